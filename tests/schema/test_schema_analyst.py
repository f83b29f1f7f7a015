"""The analysts' questions from the SPEC, asked the way an analyst would, answered from the seed."""

from __future__ import annotations

from itertools import pairwise

import pyoxigraph as ox
import pytest

RESOURCE = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CAC = "cyberspace-administration-of-china"

REGULATORS_ON_NVIDIA = """{ entity(id: "nvidia") {
  relations(direction: INCOMING, first: 100) { nodes {
    predicate direction source { __typename id label } target { id }
    evidence { text lang paragraph source { id } } } } } }"""


def test_which_regulators_acted_on_nvidia_and_on_what_evidence(gql, article_ja):
    relations = gql(REGULATORS_ON_NVIDIA)["entity"]["relations"]["nodes"]
    by_regulators = [r for r in relations if r["source"]["__typename"] == "Regulator"]
    assert [(r["source"]["id"], r["predicate"]) for r in by_regulators] == [(CAC, "summoned")]
    for relation in by_regulators:
        assert relation["direction"] == "INCOMING" and relation["target"] == {"id": "nvidia"}
        assert relation["evidence"], "a fact without evidence"
        for evidence in relation["evidence"]:
            assert evidence["text"] in article_ja
            assert "Nvidiaを召喚" in evidence["text"]  # the sentence says the CAC summoned Nvidia
            assert evidence["lang"] == "ja" and evidence["paragraph"] == 2
            assert evidence["source"] == {"id": "h20-article"}
    # Everything else pointing at Nvidia is not a regulator's act, so the filter did real work.
    assert {r["source"]["__typename"] for r in relations} - {"Regulator"} >= {"Policy", "Person", "Quote"}


def test_regulators_acting_on_nvidia_through_policies(gql, article_ja):
    """The second half of the answer: policies that apply to Nvidia, and who issued them."""
    data = gql("""{ entity(id: "nvidia") { ... on Company { policies { id ... on Policy {
        issuedBy { __typename id }
        relations(predicate: ["appliesTo"], direction: OUTGOING) { nodes { target { id } evidence { text } } }
    } } } } }""")
    policies = {p["id"]: p for p in data["entity"]["policies"]}
    assert {pid: [r["id"] for r in p["issuedBy"]] for pid, p in policies.items()} == {
        "h20-sales-permission": ["trump-administration"], "us-export-restrictions": ["us-government"]}
    for policy in policies.values():
        assert {r["__typename"] for r in policy["issuedBy"]} == {"Regulator"}
        to_nvidia = [r for r in policy["relations"]["nodes"] if r["target"]["id"] == "nvidia"]
        assert to_nvidia and all(e["text"] in article_ja for r in to_nvidia for e in r["evidence"])


PATHS = """query($from: ID!, $to: ID!, $first: Int!) { paths(from: $from, to: $to, first: $first) {
  length nodes { id } edges { predicate source { id } target { id } evidence { text } } } }"""


@pytest.mark.parametrize("first", [1, 3, 10])
def test_how_is_the_cac_connected_to_jensen_huang(gql, article_ja, first):
    paths = gql(PATHS, **{"from": CAC, "to": "jensen-huang", "first": first})["paths"]
    assert 1 <= len(paths) <= first
    shortest = paths[0]
    assert shortest["length"] == 2
    assert [n["id"] for n in shortest["nodes"]] == [CAC, "nvidia", "jensen-huang"]
    assert [(e["source"]["id"], e["predicate"], e["target"]["id"]) for e in shortest["edges"]] == [
        (CAC, "summoned", "nvidia"), ("jensen-huang", "ceoOf", "nvidia")]
    lengths = [p["length"] for p in paths]
    assert lengths == sorted(lengths), "paths must come shortest first"
    for path in paths:
        nodes = [n["id"] for n in path["nodes"]]
        assert nodes[0] == CAC and nodes[-1] == "jensen-huang"
        assert len(set(nodes)) == len(nodes), "paths must be simple"
        assert path["length"] == len(path["edges"]) == len(nodes) - 1 <= 4  # the default maxLength
        for (a, b), edge in zip(pairwise(nodes), path["edges"], strict=True):
            assert {edge["source"]["id"], edge["target"]["id"]} == {a, b}, "edges[i] joins nodes[i] and nodes[i+1]"
            assert edge["evidence"] and all(e["text"] in article_ja for e in edge["evidence"])
    if first == 10:
        assert len(paths) > 3 and lengths[-1] > 2


def test_max_length_bounds_the_paths(gql):
    short = gql('{ paths(from: "%s", to: "jensen-huang", maxLength: 2, first: 10) { length } }' % CAC)["paths"]
    assert [p["length"] for p in short] == [2]
    assert gql('{ paths(from: "%s", to: "jensen-huang", maxLength: 1) { length } }' % CAC)["paths"] == []


H20_TURTLE = ('{ neighborhood(id: "h20") { nodes { id iri } '
              'edges { predicateIri source { iri } target { iri } } turtle } }')


def test_h20_neighbourhood_as_turtle(gql, article_ja):
    data = gql(H20_TURTLE)["neighborhood"]
    triples = [q.triple for q in ox.parse(data["turtle"], format=ox.RdfFormat.TURTLE)]
    assert triples
    subjects = {t.subject.value for t in triples}
    typed = {t.subject.value for t in triples if t.predicate.value == RDF + "type"}
    node_iris = {n["iri"] for n in data["nodes"]}
    assert node_iris == {RESOURCE + i for i in ("h20", "h20-sales-permission", "nvidia",
                                                 "quote-jensen-huang-h20-availability")}
    assert node_iris <= typed, "every node is in the Turtle with its type"
    labelled = {(t.subject.value, t.object.language) for t in triples
                if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label"}
    assert {(iri, lang) for iri in node_iris for lang in ("en", "ja")} <= labelled
    as_tuples = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    for edge in data["edges"]:
        fact = (edge["source"]["iri"], edge["predicateIri"], edge["target"]["iri"])
        assert fact in as_tuples
        statements = {t.subject.value for t in triples if t.predicate.value == RDF + "subject"
                      and t.object.value == fact[0]}
        assert any((s, RDF + "predicate", fact[1]) in as_tuples and (s, RDF + "object", fact[2]) in as_tuples
                   for s in statements), f"no rdf:Statement for {fact}"
    evidence = [t.object for t in triples if t.predicate.value == CKG + "evidence"]
    assert evidence and all(e.value in article_ja and e.language == "ja" for e in evidence)
    assert RESOURCE + "h20-article" in subjects, "the source article is described too"
    assert RESOURCE + "jensen-huang" not in subjects, "nothing beyond depth 1"


def test_neighbourhood_turtle_is_deterministic_and_uses_the_prefixes(gql):
    first = gql(H20_TURTLE)["neighborhood"]["turtle"]
    again = gql(H20_TURTLE)["neighborhood"]["turtle"]
    assert first == again
    assert "@prefix ckg: <https://w3id.org/chipkg/ontology#>" in first
    assert "@prefix ckr: <https://w3id.org/chipkg/resource/>" in first
    assert "ckr:h20 " in first
