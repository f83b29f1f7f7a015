"""Embedding: a developer's own graph, served by the schema in-process, as the SPEC promises.

Only the public names are used: ``chipkg.KnowledgeGraph`` and ``chipkg.schema``'s
``build_schema`` and ``Context``.
"""

from __future__ import annotations

import asyncio

import pytest

from chipkg import KnowledgeGraph, ValidationFailed
from chipkg.schema import Context, build_schema

TINY = """
@prefix ckg:     <https://w3id.org/chipkg/ontology#> .
@prefix ckr:     <https://w3id.org/chipkg/resource/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .

ckr:tiny-news a ckg:Article ;
    rdfs:label       "Tiny news"@en , "小さなニュース"@ja ;
    dcterms:title    "Tiny news"@en ;
    dcterms:language "en" .

ckr:acme a ckg:Company ;
    rdfs:label "Acme Semiconductor"@en , "アクメ半導体"@ja ;
    ckg:makes  ckr:acme-x1 .

ckr:acme-x1 a ckg:Chip ;
    rdfs:label "Acme X1"@en , "アクメX1"@ja .

ckr:acme-makes-acme-x1 a rdf:Statement ;
    rdf:subject         ckr:acme ;
    rdf:predicate       ckg:makes ;
    rdf:object          ckr:acme-x1 ;
    ckg:evidence        "Acme Semiconductor makes the X1 accelerator."@en ;
    ckg:paragraph       1 ;
    prov:wasDerivedFrom ckr:tiny-news .
"""

# The article's text: the evidence above is its second line (paragraph 1).
TINY_TEXT = "Tiny news\nAcme Semiconductor makes the X1 accelerator.\n"

QUERY = """{
  companies { totalCount nodes { id label ja: label(lang: "ja") products { id } } }
  chips { nodes { id ... on Chip { maker { id label } } } }
  entity(id: "acme-x1") { relations { nodes { predicate source { id }
    evidence { text lang paragraph source { id ... on Article { title } } } } } }
  nvidia: entity(id: "nvidia") { id }
  stats { entities statements }
}"""


@pytest.fixture(scope="module")
def tiny() -> KnowledgeGraph:
    kg = KnowledgeGraph(seed_data=False)
    assert kg.stats().entities == 0  # the ontology only: no article, no entity
    before = len(kg.store)
    kg.add_article(TINY_TEXT, TINY)
    assert len(kg.store) - before == 19 + 1 + 2 * 5  # the facts, the text, two sentences of 5 triples
    return kg


def execute(kg: KnowledgeGraph, query: str):
    return asyncio.run(build_schema().execute(query, context_value=Context.for_request(kg)))


def test_the_schema_serves_the_embedders_graph(tiny):
    result = execute(tiny, QUERY)
    assert result.errors is None
    assert result.data == {
        "companies": {"totalCount": 1, "nodes": [
            {"id": "acme", "label": "Acme Semiconductor", "ja": "アクメ半導体", "products": [{"id": "acme-x1"}]}]},
        "chips": {"nodes": [{"id": "acme-x1", "maker": {"id": "acme", "label": "Acme Semiconductor"}}]},
        "entity": {"relations": {"nodes": [{"predicate": "makes", "source": {"id": "acme"}, "evidence": [
            {"text": "Acme Semiconductor makes the X1 accelerator.", "lang": "en", "paragraph": 1,
             "source": {"id": "tiny-news", "title": "Tiny news"}}]}]}},
        "nvidia": None,  # nothing of the seed leaks in
        "stats": {"entities": 3, "statements": 1},
    }


def test_the_same_schema_serves_two_graphs_apart(tiny, new_graph):
    schema = build_schema()
    seeded = new_graph()

    def ask(kg):
        result = asyncio.run(schema.execute("{ companies { totalCount } entity(id: \"acme\") { id } }",
                                            context_value=Context.for_request(kg)))
        assert result.errors is None
        return result.data

    assert ask(tiny) == {"companies": {"totalCount": 1}, "entity": {"id": "acme"}}
    assert ask(seeded) == {"companies": {"totalCount": 8}, "entity": None}
    assert ask(tiny) == {"companies": {"totalCount": 1}, "entity": {"id": "acme"}}


def test_writes_through_the_schema_land_in_the_embedders_graph():
    kg = KnowledgeGraph(seed_data=False)
    kg.add_article(TINY_TEXT, TINY)
    schema = build_schema()
    mutation = 'mutation { addEntity(input: {type: "Company", label: "Beta Chips", labelJa: "ベータ"}) { id } }'
    refused = asyncio.run(schema.execute(mutation, context_value=Context.for_request(kg)))
    assert [e.extensions["code"] for e in refused.errors] == ["UNAUTHENTICATED"]
    added = asyncio.run(schema.execute(mutation, context_value=Context.for_request(kg, authorized=True)))
    assert added.errors is None and added.data == {"addEntity": {"id": "beta-chips"}}
    assert [e.id for e in kg.search("beta")] == ["beta-chips"]
    assert execute(kg, "{ companies { totalCount } }").data == {"companies": {"totalCount": 2}}


UNEVIDENCED = """
@prefix ckg:  <https://w3id.org/chipkg/ontology#> .
@prefix ckr:  <https://w3id.org/chipkg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ckr:beta a ckg:Company ; rdfs:label "Beta"@en , "ベータ"@ja ; ckg:competesWith ckr:acme .
"""


def test_a_fact_without_evidence_is_refused_by_the_embedders_graph():
    """The shapes guard an embedder's graph too, though it has no seed: no statement, no fact."""
    kg = KnowledgeGraph(seed_data=False)
    kg.add_article(TINY_TEXT, TINY)
    before = kg.export()
    with pytest.raises(ValidationFailed, match="no rdf:Statement"):
        kg.add(UNEVIDENCED)
    assert kg.export() == before
    assert execute(kg, '{ entity(id: "beta") { id } }').data == {"entity": None}
