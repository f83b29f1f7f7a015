"""No server-side requests: ``SERVICE``, ``LOAD`` and remote graphs in SPARQL, remote
``@context`` in JSON-LD, ``owl:imports`` in Turtle, URLs as ids. Each is refused or
ignored, and a listener on 127.0.0.1 proves no connection was attempted.

The listener answers whatever reaches it with a document that would add
``ckr:smuggled`` to the graph, so a fetch would also show in the data. Two positive
controls show the listener would notice: pyoxigraph's own ``SERVICE`` and rdflib's JSON-LD
parser both do connect to it when called directly, which is why chipkg never calls them
that way.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from chipkg.graph import ChipKGError, KnowledgeGraph

from .support import CKR, Listener, Server, check_error_body

SMUGGLED = f"<{CKR}smuggled> a <https://w3id.org/chipkg/ontology#Company> .\n".encode()
CONTEXT = json.dumps({"@context": {"name": "http://www.w3.org/2000/01/rdf-schema#label"}}).encode()
CLI = [sys.executable, "-m", "chipkg.api.cli"]


@pytest.fixture
def turtle_listener(make_listener: Callable[..., Listener]) -> Listener:
    return make_listener(body=SMUGGLED, content_type="text/turtle")


@pytest.fixture
def context_listener(make_listener: Callable[..., Listener]) -> Listener:
    return make_listener(body=CONTEXT, content_type="application/ld+json")


def test_the_listener_would_notice_a_fetch(turtle_listener: Listener, context_listener: Listener) -> None:
    """Positive controls: the very libraries chipkg uses do connect when asked directly."""
    import time

    import rdflib

    kg = KnowledgeGraph()
    # What they make of the listener's answer does not matter; that they asked does.
    with contextlib.suppress(Exception):
        list(kg.store.query(f"SELECT * WHERE {{ SERVICE <{turtle_listener.url('/sparql')}> {{ ?s ?p ?o }} }}"))
    doc = json.dumps({"@context": context_listener.url("/ctx.jsonld"), "@id": "http://e/x", "name": "x"})
    with contextlib.suppress(Exception):
        rdflib.Graph().parse(data=doc, format="json-ld")
    deadline = time.monotonic() + 10  # a ceiling for the wait, not a speed
    while time.monotonic() < deadline and not (turtle_listener.connections and context_listener.connections):
        time.sleep(0.05)
    assert turtle_listener.connections, "pyoxigraph's SERVICE did not reach the listener"
    assert context_listener.connections, "rdflib's JSON-LD parser did not reach the listener"


# ------------------------------------------------------------------ SPARQL


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . SERVICE <{url}> {{ ?s ?q ?v }} }} LIMIT 1",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX : <http://e/> SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "ASK FROM <{url}> {{ ?s ?p ?o }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "DESCRIBE <{url}> FROM <{url}>",
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <http://e/g>",
    # issue 8: a local name's escape hid SERVICE from the old scan, and pyoxigraph
    # reads keywords with no word boundary after them.
    "PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?v {{ ex:a\\# }} SERVICE <{url}> {{ ?s ?p ?o }} \n}}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ BIND(ex:a\\' AS ?v) SERVICE <{url}> {{ ?s ?p ?o }} }} # '",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE <{url}> {{ }} }}",
    "SELECT * WHERE {{ ?s a ?o SERVICESILENT <{url}> {{ }} }}",
    "ASKFROM <{url}> {{ ?s ?p ?o }}",
])
def test_sparql_never_fetches(fuzz_server: Server, turtle_listener: Listener, query: str) -> None:
    text = query.format(url=turtle_listener.url("/data.ttl"))
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:
        for response in (client.get("/sparql", params={"query": text}),
                         client.post("/sparql", data={"query": text}),
                         client.post("/sparql", content=text.encode(),
                                     headers={"Content-Type": "application/sparql-query"}),
                         client.post("/sparql", content=text.encode(),
                                     headers={"Content-Type": "application/sparql-update"})):
            assert response.status_code == 400, response.text
            assert check_error_body(response) == "SPARQL_REFUSED"
    assert turtle_listener.connections == []


HARMLESS = [  # from/service/load inside names, IRIs, strings and variables
    "PREFIX ckr: <https://w3id.org/chipkg/resource/> "
    "DESCRIBE ckr:h20-sales-permission-departs-from-us-export-restrictions",
    "PREFIX ex: <http://e/> SELECT ?from ?service $load WHERE {{ ?from ?service $load "
    "FILTER(?service != ex:load-from-service && ?load != <{url}> && STR(?from) != 'service from load') }} LIMIT 1",
    "PREFIX ex: <http://e/> ASK {{ ?s ?p ?o FILTER(?o != ex:a\\#from) }} # SERVICE <{url}> {{ }}",
]


@pytest.mark.parametrize("query", HARMLESS)
def test_harmless_words_are_answered_and_fetch_nothing(fuzz_server: Server, turtle_listener: Listener,
                                                       query: str) -> None:
    """The positive control for the guard: it refuses keywords, not words."""
    text = query.format(url=turtle_listener.url("/data.ttl"))
    response = httpx.post(fuzz_server.base + "/sparql", content=text.encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert response.content
    assert turtle_listener.connections == []


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri", "using-graph-uri"])
def test_sparql_dataset_parameters_are_refused(fuzz_server: Server, turtle_listener: Listener, param: str) -> None:
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", param: turtle_listener.url("/g")}
    response = httpx.get(fuzz_server.base + "/sparql", params=params, timeout=30)
    assert response.status_code == 400
    assert check_error_body(response) == "SPARQL_REFUSED"
    assert turtle_listener.connections == []


def test_graph_with_a_remote_iri_reads_only_the_local_store(fuzz_server: Server, turtle_listener: Listener) -> None:
    query = f"SELECT * WHERE {{ GRAPH <{turtle_listener.url('/g')}> {{ ?s ?p ?o }} }}"
    response = httpx.get(fuzz_server.base + "/sparql", params={"query": query},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    assert turtle_listener.connections == []


# ------------------------------------------------------------------ JSON-LD contexts


def _jsonld_documents(url: str) -> list[dict[str, Any]]:
    entity = {"@id": f"{CKR}remote-co", "@type": "https://w3id.org/chipkg/ontology#Company",
              "name": "Remote Co"}
    return [
        {"@context": url, **entity},
        {"@context": [url, {"x": "http://e/x"}], **entity},
        {"@context": {"@import": url}, **entity},
        {"@context": {"@vocab": "http://e/", "sub": {"@id": "http://e/sub", "@context": url}},
         "@id": f"{CKR}remote-co", "sub": {"@id": "http://e/y"}},
        {"@graph": [{"@context": url, **entity}]},
    ]


def test_remote_json_ld_contexts_are_never_fetched(context_listener: Listener) -> None:
    kg = KnowledgeGraph()
    before = kg.export()
    for doc in _jsonld_documents(context_listener.url("/ctx.jsonld")):
        with pytest.raises(ChipKGError) as caught:
            kg.add(json.dumps(doc), fmt="jsonld")
        assert caught.value.code == "PARSE_ERROR"
        assert "remote context" in caught.value.message.lower() or "load" in caught.value.message.lower()
    assert kg.export() == before
    assert context_listener.connections == []


@pytest.mark.parametrize("command", ["load", "validate"])
def test_the_cli_never_fetches_a_remote_context(tmp_path: Path, context_listener: Listener, command: str) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_jsonld_documents(context_listener.url("/ctx.jsonld"))[0]), "utf-8")
    args = [*CLI, command, str(path)] + (["--store", f"oxigraph:{tmp_path / 'store'}"] if command == "load" else [])
    done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and done.stderr.strip(), done.stderr
    assert context_listener.connections == []


# ------------------------------------------------------------------ owl:imports


IMPORTS = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{subject}> owl:imports <{url}> .
"""


@pytest.mark.parametrize("subject", [CKR + "some-dataset", "https://w3id.org/chipkg/ontology"])
def test_owl_imports_are_never_followed(turtle_listener: Listener, subject: str) -> None:
    kg = KnowledgeGraph()
    with contextlib.suppress(ChipKGError):  # refused is fine; followed is not
        kg.add(IMPORTS.format(subject=subject, url=turtle_listener.url("/onto.ttl")))
    assert turtle_listener.connections == []
    assert not kg.search("smuggled") and kg.entities([f"{CKR}smuggled"]) == [None]
    assert kg.validate() == []  # pySHACL runs with owl:imports processing off


@pytest.mark.parametrize("command", ["load", "validate"])
def test_the_cli_never_follows_owl_imports(tmp_path: Path, turtle_listener: Listener, command: str) -> None:
    path = tmp_path / "imports.ttl"
    path.write_text(IMPORTS.format(subject=CKR + "some-dataset", url=turtle_listener.url("/onto.ttl")), "utf-8")
    args = [*CLI, command, str(path)] + (["--store", f"oxigraph:{tmp_path / 'store'}"] if command == "load" else [])
    done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert turtle_listener.connections == []


# ------------------------------------------------------------------ URLs where ids go


def test_urls_as_ids_are_looked_up_not_fetched(fuzz_server: Server, turtle_listener: Listener) -> None:
    url = turtle_listener.url("/x")
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:
        for query in (f'{{ entity(id: "{url}") {{ id }} }}', f'{{ neighborhood(id: "{url}") {{ nodes {{ id }} }} }}',
                      f'{{ paths(from: "{url}", to: "nvidia") {{ length }} }}'):
            response = client.post("/graphql", json={"query": query})
            assert response.status_code == 200
        assert client.get("/resource/" + url.replace("://", "%3A%2F%2F")).status_code in (400, 404)
        assert client.get("/export", params={"entity": url}).status_code in (400, 404)
    assert turtle_listener.connections == []
