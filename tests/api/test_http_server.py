"""End to end against a real uvicorn on 127.0.0.1 (the ``server`` fixture), with httpx.

Everything here goes over a socket: content negotiation on ``/export``, ``/resource`` and
``/ontology``, the SPARQL protocol and its refusals, body limits with and without
``Content-Length``, and that the server keeps answering after hostile requests.
"""

from __future__ import annotations

import html
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from chipkg.graph import KnowledgeGraph

CKR = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
MIB = 1 << 20

FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/trig": ox.RdfFormat.TRIG}


def triples(response: httpx.Response) -> list[ox.Triple]:
    """The response body parsed by pyoxigraph in the format its Content-Type names."""
    media = response.headers["content-type"].split(";")[0]
    quads = list(ox.parse(response.content, format=FORMATS[media]))
    assert quads, "the body parsed to nothing"
    return [q.triple for q in quads]


def error_code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()["error"]["code"]


def count_triples(http: httpx.Client) -> int:
    """The graph's size, asked of /sparql (``/healthz`` no longer counts the store)."""
    response = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def total_triples(http: httpx.Client) -> int:
    return count_triples(http)


# ------------------------------------------------------------------ health


def test_healthz_reports_the_graph(http: httpx.Client) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "version": body["version"], "writable": True}
    assert isinstance(body["version"], int)
    assert count_triples(http) > 1000


# ------------------------------------------------------------------ /export


@pytest.mark.parametrize(("url", "accept", "media"), [
    ("/export", None, "text/turtle"),
    ("/export", "*/*", "text/turtle"),
    ("/export?format=nt", None, "application/n-triples"),
    ("/export?format=trig", None, "application/trig"),
    ("/export", "application/ld+json", "application/ld+json"),
    ("/export", "application/n-triples;q=0.4, text/turtle;q=0.9", "text/turtle"),
    ("/export", "text/turtle;q=0.1, application/n-triples", "application/n-triples"),
    ("/export?format=jsonld", "text/turtle", "application/ld+json"),  # ?format= wins
])
def test_export_negotiates_and_parses(http: httpx.Client, total_triples: int, url: str, accept: str | None,
                                      media: str) -> None:
    response = http.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    assert len(triples(response)) == total_triples


def test_export_turtle_is_deterministic(http: httpx.Client) -> None:
    assert http.get("/export").content == http.get("/export").content


def test_export_neighbourhood(http: httpx.Client, total_triples: int) -> None:
    response = http.get("/export", params={"entity": "h20", "depth": 1})
    assert response.status_code == 200
    found = triples(response)
    assert ox.Triple(ox.NamedNode(CKR + "nvidia"), ox.NamedNode(CKG + "makes"), ox.NamedNode(CKR + "h20")) in found
    assert len(found) < total_triples
    deeper = triples(http.get("/export", params={"entity": "h20", "depth": 2}))
    assert len(deeper) > len(found)


def test_export_ontology_only(http: httpx.Client) -> None:
    found = triples(http.get("/export?ontology=1"))
    assert ox.Triple(ox.NamedNode(CKG + "Company"), RDF_TYPE, OWL_CLASS) in found
    assert not any(isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(CKR) for t in found)


@pytest.mark.parametrize(("url", "accept", "status", "code"), [
    ("/export", "image/png", 406, "NOT_ACCEPTABLE"),
    ("/export", "text/turtle;q=0", 406, "NOT_ACCEPTABLE"),
    ("/export?format=pdf", None, 400, "BAD_USER_INPUT"),
    ("/export?entity=no-such-entity", None, 404, "NOT_FOUND"),
    ("/export?entity=h20&depth=99", None, 400, "QUERY_TOO_LARGE"),
    ("/export?entity=h20&depth=deep", None, 400, "BAD_USER_INPUT"),
    ("/no/such/route", None, 404, "NOT_FOUND"),
])
def test_export_errors_are_json(http: httpx.Client, url: str, accept: str | None, status: int, code: str) -> None:
    response = http.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    assert error_code(response) == code
    assert response.json()["error"]["message"]


# ------------------------------------------------------------------ /resource/{id}


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("*/*", "text/turtle"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/turtle;q=0.2, application/ld+json;q=0.8", "application/ld+json"),
])
def test_resource_as_rdf(http: httpx.Client, accept: str, media: str) -> None:
    response = http.get("/resource/nvidia", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    found = triples(response)
    nvidia = ox.NamedNode(CKR + "nvidia")
    assert ox.Triple(nvidia, RDFS_LABEL, ox.Literal("Nvidia", language="en")) in found
    assert ox.Triple(nvidia, RDF_TYPE, ox.NamedNode(CKG + "Company")) in found
    assert ox.Triple(nvidia, ox.NamedNode(CKG + "makes"), ox.NamedNode(CKR + "h20")) in found
    # The facts come with their evidence.
    assert any(t.predicate.value == CKG + "evidence" for t in found)


def test_resource_as_html(http: httpx.Client, shared_kg: KnowledgeGraph) -> None:
    response = http.get("/resource/nvidia", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    page = response.text
    assert "<h1>Nvidia</h1>" in page
    assert CKR + "nvidia" in page
    assert 'href="../resource/h20"' in page  # a relative link to another /resource page
    sentences = [ev.text for r in shared_kg.relations("nvidia") for ev in r.evidence]
    assert sentences and all(html.escape(s) in page for s in sentences)


@pytest.mark.parametrize("accept", ["text/turtle", BROWSER_ACCEPT])
def test_unknown_resource_is_404(http: httpx.Client, accept: str) -> None:
    response = http.get("/resource/no-such-entity", headers={"Accept": accept})
    assert response.status_code == 404
    assert error_code(response) == "NOT_FOUND"


def test_resource_406(http: httpx.Client) -> None:
    response = http.get("/resource/nvidia", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert error_code(response) == "NOT_ACCEPTABLE"


# ------------------------------------------------------------------ /ontology


@pytest.mark.parametrize(("accept", "media"), [(None, "text/turtle"), ("application/ld+json", "application/ld+json")])
def test_ontology(http: httpx.Client, accept: str | None, media: str) -> None:
    response = http.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    found = triples(response)
    assert ox.Triple(ox.NamedNode(CKG + "Regulator"), RDF_TYPE, OWL_CLASS) in found
    assert not any(isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(CKR) for t in found)


def test_ontology_406(http: httpx.Client) -> None:
    assert http.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


# ------------------------------------------------------------------ /sparql

LABELS = f"SELECT ?label WHERE {{ <{CKR}nvidia> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label"


def test_sparql_select_json_over_get(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["label"]
    assert {"type": "literal", "value": "Nvidia", "xml:lang": "en"} in [b["label"] for b in body["results"]["bindings"]]


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_sparql_select_formats_parse(http: httpx.Client, accept: str, media: str, fmt: ox.QueryResultsFormat) -> None:
    response = http.post("/sparql", content=LABELS.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    rows = list(ox.parse_query_results(response.content, format=fmt))
    assert ox.Literal("Nvidia", language="en") in [row["label"] for row in rows]


def test_sparql_select_csv_over_form_post(http: httpx.Client) -> None:
    response = http.post("/sparql", data={"query": LABELS}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0] == "label"
    assert "Nvidia" in lines


def test_sparql_ask(http: httpx.Client) -> None:
    yes = http.get("/sparql", params={"query": f"ASK {{ <{CKR}nvidia> <{CKG}makes> <{CKR}h20> }}"})
    no = http.get("/sparql", params={"query": f"ASK {{ <{CKR}h20> <{CKG}makes> <{CKR}nvidia> }}"})
    assert yes.status_code == no.status_code == 200
    assert yes.json()["boolean"] is True
    assert no.json()["boolean"] is False


def test_sparql_construct_as_turtle(http: httpx.Client) -> None:
    query = f"CONSTRUCT {{ ?chip <{CKG}madeBy> ?maker }} WHERE {{ ?maker <{CKG}makes> ?chip }}"
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    found = triples(response)
    assert ox.Triple(ox.NamedNode(CKR + "h20"), ox.NamedNode(CKG + "madeBy"), ox.NamedNode(CKR + "nvidia")) in found
    as_nt = http.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert as_nt.headers["content-type"].startswith("application/n-triples")
    assert sorted(map(str, triples(as_nt))) == sorted(map(str, found))


def test_sparql_describe(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": f"DESCRIBE <{CKR}h20>"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert ox.Triple(ox.NamedNode(CKR + "h20"), RDF_TYPE, ox.NamedNode(CKG + "Chip")) in triples(response)


INSERT = f"INSERT DATA {{ <{CKR}nvidia> <{CKG}makes> <{CKR}pwned> }}"
PWNED = f"ASK {{ <{CKR}nvidia> <{CKG}makes> <{CKR}pwned> }}"


@pytest.mark.parametrize(("request_kwargs", "code"), [
    ({"content": INSERT, "headers": {"Content-Type": "application/sparql-update"}}, "SPARQL_REFUSED"),
    ({"content": INSERT, "headers": {"Content-Type": "application/sparql-query"}}, "SPARQL_REFUSED"),
    ({"data": {"update": INSERT}}, "SPARQL_REFUSED"),
    ({"data": {"query": INSERT}}, "SPARQL_REFUSED"),
    ({"params": {"update": INSERT}, "method": "GET"}, "SPARQL_REFUSED"),
    ({"params": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}, "method": "GET"}, "SPARQL_REFUSED"),
    ({"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, "method": "GET"},
     "SPARQL_REFUSED"),
    ({"params": {"query": "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }"}, "method": "GET"},
     "SPARQL_REFUSED"),
    ({"params": {"query": "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }"},
      "method": "GET"}, "SPARQL_REFUSED"),
    ({"params": {"query": "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }"}, "method": "GET"},
     "SPARQL_REFUSED"),
    ({"params": {"query": "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }"},
      "method": "GET"}, "SPARQL_REFUSED"),
    ({"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/g"},
      "method": "GET"}, "SPARQL_REFUSED"),
    ({"params": {"query": "this is not sparql"}, "method": "GET"}, "BAD_SPARQL"),
    ({"params": {}, "method": "GET"}, "BAD_REQUEST"),
    ({"params": [("query", "ASK {}"), ("query", "ASK {}")], "method": "GET"}, "BAD_REQUEST"),
])
def test_sparql_refusals(http: httpx.Client, total_triples: int, request_kwargs: dict, code: str) -> None:
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "POST")
    response = http.request(method, "/sparql", **kwargs)
    assert response.status_code == 400
    assert error_code(response) == code
    assert count_triples(http) == total_triples
    assert http.get("/sparql", params={"query": PWNED}).json()["boolean"] is False


@pytest.mark.parametrize(("query", "accept"), [
    ("ASK { ?s ?p ?o }", "text/turtle"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json"),
])
def test_sparql_406_by_query_form(http: httpx.Client, query: str, accept: str) -> None:
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert error_code(response) == "NOT_ACCEPTABLE"


def test_sparql_unsupported_post_type(http: httpx.Client) -> None:
    response = http.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert error_code(response) == "UNSUPPORTED_MEDIA_TYPE"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket on loopback that records whether anyone connected to it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    sock.settimeout(0.5)
    yield sock
    sock.close()


def test_service_never_reaches_the_network(http: httpx.Client, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'x>') SERVICE <http://127.0.0.1:{port}/> {{ }} # '\n}}",
                  f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"):
        response = http.get("/sparql", params={"query": query})
        assert response.status_code == 400, query
    with pytest.raises(TimeoutError):
        listener.accept()


def test_sparql_timeout_leaves_the_server_responsive(http: httpx.Client) -> None:
    # About 50 million joined rows counted before the first byte of output: pyoxigraph
    # cannot be interrupted, so the client gets its 503 while the thread finishes alone.
    values = " ".join(str(i) for i in range(40))
    heavy = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f VALUES ?k {{ {values} }} }}"
    outcome: dict[str, object] = {}

    def run() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as other:
            outcome["response"] = other.get("/sparql", params={"query": heavy})

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.2)
    answered = 0
    # Behaviour, not speed: /healthz answers within a generous ceiling (ReadTimeout otherwise)
    # while the query runs, and the query ends in SPARQL_TIMEOUT (finishing it would be a 200).
    with httpx.Client(base_url=str(http.base_url), timeout=10) as health:
        while worker.is_alive() and answered < 50:
            assert health.get("/healthz").status_code == 200
            answered += 1
            time.sleep(0.05)
    worker.join(timeout=30)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503, response.text
    assert error_code(response) == "SPARQL_TIMEOUT"
    assert answered


# ------------------------------------------------------------------ /graphql (the schema has its own tests)


def test_graphiql_for_a_browser(http: httpx.Client) -> None:
    response = http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_graphql_post(http: httpx.Client) -> None:
    response = http.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


# ------------------------------------------------------------------ body limits and hostile requests


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    for _ in range(total // size):
        yield b"x" * size


@pytest.mark.parametrize("path", ["/sparql", "/graphql"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_body_is_413(http: httpx.Client, path: str, chunked: bool) -> None:
    body = _chunks(2 * MIB) if chunked else b"x" * (2 * MIB)
    content_type = "application/sparql-query" if path == "/sparql" else "application/json"
    response = http.post(path, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 413
    assert error_code(response) == "PAYLOAD_TOO_LARGE"
    assert ("transfer-encoding" in response.request.headers) == chunked


def test_oversized_body_refused_before_100_continue(server: str) -> None:
    # curl sends `Expect: 100-continue` for big bodies: the 413 must come without the body.
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n" % (2 * MIB))
        head = conn.recv(4096)
    assert head.startswith(b"HTTP/1.1 413 "), head


def test_body_under_the_limit_is_read(http: httpx.Client) -> None:
    padding = "#" + "x" * (MIB // 2) + "\n"
    response = http.post("/sparql", content=(padding + "ASK {}").encode(),
                         headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_server_answers_after_hostile_requests(http: httpx.Client, total_triples: int) -> None:
    hostile = [
        lambda: http.post("/sparql", content=_chunks(4 * MIB), headers={"Content-Type": "application/sparql-query"}),
        lambda: http.post("/graphql", content=b"{" * 10_000, headers={"Content-Type": "application/json"}),
        lambda: http.get("/sparql", params={"query": "SELECT * WHERE { " + "{ " * 500 + "}" * 500 + " }"}),
        lambda: http.get("/resource/" + "x" * 5000),
        lambda: http.get("/export", params={"entity": "h20", "depth": 10**9}),
        lambda: http.get("/export", headers={"Accept": "text/turtle;q=abc, */*;q=-1, ;;;"}),
        lambda: http.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
    ]
    for send in hostile:
        assert send().status_code < 500
    response = http.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert count_triples(http) == total_triples
    assert json.loads(http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).text)["boolean"] is True
