"""The SPARQL-compiled shapes agree with pySHACL, the reference, on the seed and on every
known-bad input, and can be confined to the nodes of a staged named graph."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest
import rdflib

from chipkg.graph.errors import InvalidInput
from chipkg.graph.shacl_sparql import ShapeChecks
from chipkg.graph.validation import Validator

from test_validation import BAD_INPUTS, as_rdflib

STAGE = "urn:chipkg:test-stage"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_files()


@pytest.fixture(scope="module")
def checks(validator: Validator) -> ShapeChecks:
    return ShapeChecks(validator.shapes)


def store_of(triples: list[ox.Triple], graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def test_every_constraint_is_compiled(checks: ShapeChecks) -> None:
    # One check per domain and range shape alone is 41; the entity, statement and quote
    # shapes add their property constraints.
    assert len(checks.checks) > 80


def test_the_seed_conforms_in_both(validator: Validator, checks: ShapeChecks, seed_triples: list[ox.Triple]) -> None:
    assert len(seed_triples) > 1000
    assert checks.run(store_of(seed_triples)) == []
    assert validator.validate(as_rdflib(seed_triples)) == []


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_both_validators_report_the_same(validator: Validator, checks: ShapeChecks, seed_triples: list[ox.Triple],
                                         ttl: Callable[[str], str], body: str, offender: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    reference = validator.validate(as_rdflib(seed_triples + bad))
    if not reference:  # an unknown term: the closed-vocabulary pass catches it, not SHACL
        assert validator.check_vocabulary(bad)
        return
    compiled = checks.run(store_of(seed_triples + bad))
    assert {str(v) for v in compiled} == {str(v) for v in reference}
    assert {v.focus for v in compiled} == {offender}


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_a_staged_graph_is_checked_against_what_is_stored(checks: ShapeChecks, seed_triples: list[ox.Triple],
                                                          ttl: Callable[[str], str], body: str,
                                                          offender: str) -> None:
    store = store_of(seed_triples)
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(STAGE)) for t in bad)
    unscoped = checks.run(store)  # the default graph alone: still the clean seed
    assert unscoped == []
    found = checks.run(store, scope=STAGE)
    if found:
        assert {v.focus for v in found} == {offender}


def test_a_clean_stage_passes(checks: ShapeChecks, seed_triples: list[ox.Triple], ttl: Callable[[str], str]) -> None:
    store = store_of(seed_triples)
    good = ttl('ckr:acme a ckg:Company ; rdfs:label "Acme"@en , "アクメ"@ja .\n')
    store.load(good.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(STAGE))
    assert len(store) > len(seed_triples)
    assert checks.run(store, scope=STAGE) == []


def test_unsupported_shapes_are_refused_at_compile_time() -> None:
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true .
    """, format="turtle")
    with pytest.raises(InvalidInput, match="does not compile"):
        ShapeChecks(shapes)


# The rules generated since the hand-written verdicts of BAD_INPUTS were fixed (those are
# compared with the shapes as they were before generation, which had neither).
NEW_RULES = [
    pytest.param("ckr:nvidia a ckg:Chip .\n", "ckr:nvidia", id="company-and-chip"),
    pytest.param("ckr:h20 a ckg:Person .\n", "ckr:h20", id="chip-and-person"),
    pytest.param('ckr:orphan ckg:paragraph 3 .\n', "ckr:orphan", id="paragraph-on-an-untyped-node"),
    pytest.param('ckr:orphan ckg:text "words"@en .\n', "ckr:orphan", id="text-on-an-untyped-node"),
]


@pytest.mark.parametrize(("body", "offender"), NEW_RULES)
def test_both_validators_agree_on_the_newer_rules(validator: Validator, checks: ShapeChecks,
                                                  seed_triples: list[ox.Triple], ttl: Callable[[str], str],
                                                  body: str, offender: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    reference = {str(v) for v in validator.validate(as_rdflib(seed_triples + bad))}
    assert offender in {v.focus for v in validator.validate(as_rdflib(seed_triples + bad))}
    assert {str(v) for v in checks.run(store_of(seed_triples + bad))} == reference


@pytest.mark.parametrize("negated", [
    "[ sh:class ckg:Chip , ckg:Person ]",  # two classes in one shape: both, not either
    "[ sh:or ( [ sh:class ckg:Chip ; sh:nodeKind sh:IRI ] ) ]",  # a member with more than its class
    "[ sh:or ( [ sh:class ckg:Chip , ckg:Person ] ) ]",
])
def test_an_sh_not_the_checker_would_misread_is_refused(negated: str) -> None:
    shapes = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ckg: <https://w3id.org/chipkg/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass ckg:Company ; sh:not {negated} .""", format="turtle")
    with pytest.raises(InvalidInput, match="sh:not"):
        ShapeChecks(shapes)
