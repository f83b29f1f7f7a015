"""RDF/XML wherever RDF is served, and GraphQL over HTTP's graphql-response+json, on a
real server: what SPARQLWrapper, rdflib's SPARQLStore and graphql-http clients ask for."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

CKR = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
RDF_XML = "application/rdf+xml"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def triples(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=fmt)}


@pytest.mark.parametrize("url", ["/export", "/export?entity=h20", "/resource/nvidia", "/resource/nvidia-makes-h20-2",
                                 "/ontology"])
def test_rdf_xml_says_what_turtle_says(http: httpx.Client, url: str) -> None:
    xml = http.get(url, headers={"Accept": RDF_XML})
    turtle = http.get(url, headers={"Accept": "text/turtle"})
    assert xml.status_code == 200
    assert xml.headers["content-type"].split(";")[0] == RDF_XML
    assert "Accept" in xml.headers["vary"]
    found = triples(xml.content, ox.RdfFormat.RDF_XML)
    assert found and found == triples(turtle.content, ox.RdfFormat.TURTLE)


def test_rdf_xml_by_format_parameter(http: httpx.Client) -> None:
    response = http.get("/export", params={"format": "rdfxml", "ontology": "1"})
    assert response.headers["content-type"].split(";")[0] == RDF_XML
    assert ox.Triple(ox.NamedNode(CKG + "Company"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://www.w3.org/2002/07/owl#Class")) in triples(response.content,
                                                                                      ox.RdfFormat.RDF_XML)


@pytest.mark.parametrize("query", [f"CONSTRUCT WHERE {{ <{CKR}nvidia> ?p ?o }}", f"DESCRIBE <{CKR}nvidia>"])
def test_sparql_graph_results_as_rdf_xml(http: httpx.Client, query: str) -> None:
    response = http.get("/sparql", params={"query": query}, headers={"Accept": RDF_XML})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == RDF_XML
    found = triples(response.content, ox.RdfFormat.RDF_XML)
    assert ox.Triple(ox.NamedNode(CKR + "nvidia"), ox.NamedNode(CKG + "makes"), ox.NamedNode(CKR + "h20")) in found


def test_rdflib_sparqlstore_construct_in_its_defaults(server: str) -> None:
    """rdflib's SPARQLStore asks for RDF/XML for CONSTRUCT unless told otherwise (it got 406)."""
    store = SPARQLStore(server + "/sparql")
    result = rdflib.Graph(store=store).query(f"CONSTRUCT WHERE {{ <{CKR}nvidia> <{CKG}makes> ?o }}")
    assert set(result) == {(rdflib.URIRef(CKR + "nvidia"), rdflib.URIRef(CKG + "makes"), rdflib.URIRef(CKR + "h20"))}


# ------------------------------------------------------------------ application/graphql-response+json

OK_QUERY = '{ entity(id: "h20") { label } }'


@pytest.mark.parametrize(("body", "status", "has_data"), [
    ({"query": OK_QUERY}, 200, True),
    ({"query": "{ entity(id: "}, 400, False),                          # does not parse
    ({"query": "{ noSuchField }"}, 400, False),                         # does not validate
    ({"query": "query ($n: Int!) { search(text: \"x\", first: $n) { id } }", "variables": {"n": "many"}},
     400, False),                                                       # variables do not coerce
    ({"query": '{ entity(id: "no-such-entity") { label } }'}, 200, True),  # executed: a field error
])
def test_graphql_response_media_type_status_codes(http: httpx.Client, body: dict, status: int,
                                                  has_data: bool) -> None:
    response = http.post("/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == GRAPHQL_RESPONSE
    assert ("data" in response.json()) == has_data
    assert "errors" in response.json() or status == 200
    # The same request as application/json keeps the 200 every JSON client expects.
    legacy = http.post("/graphql", json=body, headers={"Accept": "application/json"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].split(";")[0] == "application/json"


@pytest.mark.parametrize(("accept", "media"), [
    (None, "application/json"),
    ("*/*", "application/json"),
    ("application/json, application/graphql-response+json;q=0.9", "application/json"),
    ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE),
])
def test_graphql_media_type_follows_accept(http: httpx.Client, accept: str | None, media: str) -> None:
    response = http.post("/graphql", json={"query": OK_QUERY}, headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"].split(";")[0] == media


def test_cached_get_answers_follow_accept_too(http: httpx.Client) -> None:
    """The GET cache keeps one body per query; each client still gets the type it asked for."""
    params = {"query": '{ entity(id: "nvidia") { label } }'}
    first = http.get("/graphql", params=params, headers={"Accept": "application/json"})
    second = http.get("/graphql", params=params, headers={"Accept": GRAPHQL_RESPONSE})
    third = http.get("/graphql", params=params, headers={"Accept": "application/json"})
    assert first.headers["content-type"].startswith("application/json")
    assert second.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert third.headers["content-type"].startswith("application/json")
    assert first.json() == second.json() == third.json()
