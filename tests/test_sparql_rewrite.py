"""The rewrites that let a single write be checked in milliseconds: negations the engine
can run for one node."""

from __future__ import annotations

from chipkg.graph.sparql_rewrite import optional_as_minus

CKG = "https://w3id.org/chipkg/ontology#"
PROVENANCE = ("?this ?path ?value . FILTER(isIRI(?value)) "
              "OPTIONAL { ?st rdf:subject ?this ; rdf:predicate ?path ; rdf:object ?value . } FILTER(!BOUND(?st))")


def test_an_optional_about_the_node_becomes_minus_any_other_not_exists() -> None:
    # About ?this: bound to one node, the MINUS side is that node's neighbourhood.
    assert "MINUS {" in optional_as_minus(PROVENANCE)
    # Not about ?this: a MINUS side would be read for the whole store.
    evidence = ("?this ckg:evidence ?value ; ckg:source ?a . "
                "OPTIONAL { ?s ckg:partOf ?a ; ckg:text ?value . } FILTER(!BOUND(?s))")
    rewritten = optional_as_minus(evidence)
    assert "FILTER NOT EXISTS {" in rewritten and "MINUS" not in rewritten and "OPTIONAL" not in rewritten
