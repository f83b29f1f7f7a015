"""Shapes generated from the ontology: the same verdicts as the hand-written file they
replaced (kept in tests/data/), and a new class or property is enforced with no shapes edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from chipkg.graph.errors import Violation
from chipkg.graph.shacl_sparql import ShapeChecks
from chipkg.graph.validation import Validator
from chipkg.seed import ONTOLOGY, SHAPES, article_graphs

from test_shacl_sparql import store_of
from test_validation import BAD_INPUTS, as_rdflib, statement

BEFORE = Path(__file__).parent / "data" / "shapes-before-generation.ttl"


@pytest.fixture(scope="module")
def before() -> Validator:
    """Today's validator as it was: every shape written by hand."""
    return Validator(rdflib.Graph().parse(BEFORE, format="turtle"), rdflib.Graph().parse(ONTOLOGY, format="turtle"))


@pytest.fixture(scope="module")
def after() -> Validator:
    return Validator.from_files()


def both(validator: Validator, triples: list[ox.Triple]) -> tuple[list[Violation], list[Violation]]:
    """pySHACL's verdict and the compiled checks' verdict."""
    return validator.validate(as_rdflib(triples)), ShapeChecks(validator.shapes).run(store_of(triples))


def test_the_shapes_file_no_longer_restates_the_ontology(after: Validator) -> None:
    handwritten = rdflib.Graph().parse(SHAPES, format="turtle")
    names = {str(s) for s in handwritten.subjects(rdflib.RDF.type, rdflib.SH.NodeShape)}
    assert not [n for n in names if n.endswith(("-domain", "-range", "#Typed", "#Entity"))]
    assert len(after.shapes) > len(handwritten) + 200  # the generated part is there


def test_the_seed_conforms_as_before(before: Validator, after: Validator, seed_triples: list[ox.Triple]) -> None:
    assert both(after, seed_triples) == both(before, seed_triples) == ([], [])


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_every_bad_input_gets_the_same_violations(before: Validator, after: Validator, seed_triples: list[ox.Triple],
                                                  ttl: Callable[[str], str], body: str, offender: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    reference, compiled = both(before, seed_triples + bad)
    assert both(after, seed_triples + bad) == (reference, compiled)
    if reference:  # unknown terms are the vocabulary pass's, not SHACL's
        assert {str(v) for v in compiled} == {str(v) for v in reference}


# ------------------------------------------------------------------ extending the ontology alone

EXTENSION = """
ckg:Lab a owl:Class ;
    rdfs:subClassOf ckg:Entity ;
    rdfs:label "Lab"@en , "研究所"@ja ;
    rdfs:comment "A research laboratory."@en .

ckg:funds a owl:ObjectProperty ;
    rdfs:label "funds"@en , "出資する"@ja ;
    rdfs:comment "The lab puts money into the company."@en ;
    rdfs:domain ckg:Lab ; rdfs:range ckg:Company .

[] a owl:AllDisjointClasses ; owl:members ( ckg:Lab ckg:Company ) .

ckg:budget a owl:DatatypeProperty ;
    rdfs:label "budget"@en , "予算"@ja ;
    rdfs:comment "The lab's yearly budget in US dollars."@en ;
    rdfs:domain ckg:Lab ; rdfs:range xsd:integer .
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Validator, list[ox.Triple]]:
    """A copy of the ontology with one class, one object and one datatype property more;
    shapes.ttl as is."""
    path = tmp_path_factory.mktemp("ontology") / "ontology.ttl"
    path.write_text(ONTOLOGY.read_text(encoding="utf-8") + EXTENSION, encoding="utf-8")
    triples = [q.triple for p in (path, *article_graphs()) for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    return Validator.from_files(SHAPES, path), triples


LAB = 'ckr:lab a ckg:Lab ; rdfs:label "Lab"@en , "研究所"@ja ; ckg:budget 1000000 .\n'


def fact(s: str, o: str) -> str:
    return f"{s} ckg:funds {o} .\n" + statement(s, "ckg:funds", o)


@pytest.mark.parametrize(("body", "offender", "message"), [
    pytest.param('ckr:lab a ckg:Lab ; rdfs:label "Lab"@en .\n', "ckr:lab", "needs a Japanese (@ja) rdfs:label",
                 id="new-class-label"),
    pytest.param(LAB + fact("ckr:jensen-huang", "ckr:nvidia"), "ckr:jensen-huang",
                 "only a Lab can be the subject of ckg:funds", id="new-property-domain"),
    pytest.param(LAB + fact("ckr:lab", "ckr:h20"), "ckr:h20", "the object of ckg:funds must be a Company",
                 id="new-property-range"),
    pytest.param(LAB + 'ckr:lab ckg:funds "Nvidia" .\n', "'Nvidia'", "the object of ckg:funds must be a Company",
                 id="new-property-literal"),
    pytest.param(LAB + 'ckr:lab ckg:budget "lots" .\n', "ckr:lab",
                 "the values of ckg:budget must be xsd:integer literals", id="new-datatype-property-range"),
    pytest.param(LAB + "ckr:lab a ckg:Company .\n", "ckr:lab",
                 "a Lab cannot also be a Company: the ontology makes them disjoint", id="new-disjoint-classes"),
])
def test_a_new_class_and_property_are_enforced(extended: tuple[Validator, list[ox.Triple]],
                                               ttl: Callable[[str], str], body: str, offender: str,
                                               message: str) -> None:
    validator, seed = extended
    prefixes = ttl("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n")
    good = [q.triple for q in ox.parse(prefixes + LAB + fact("ckr:lab", "ckr:nvidia"), format=ox.RdfFormat.TURTLE)]
    assert validator.check_vocabulary(good) == []
    assert both(validator, seed + good) == ([], [])
    bad = [q.triple for q in ox.parse(prefixes + body, format=ox.RdfFormat.TURTLE)]
    for found in both(validator, seed + bad):
        assert (offender, message) in {(v.focus, v.message) for v in found}, found
        assert {v.focus for v in found} == {offender}
    # The unextended validator does not know the new terms at all.
    assert Validator.from_files().check_vocabulary(good)


@pytest.mark.parametrize("axiom", [
    "ckg:Person owl:disjointWith [ owl:unionOf ( ckg:Chip ckg:Policy ) ] .",
    "ckg:Person owl:disjointWith ckg:Person .",
    "ckg:Person owl:disjointWith <http://example.org/Robot> .",
])
def test_a_disjointness_the_generator_cannot_check_is_said(axiom: str) -> None:
    """Not skipped in silence: a class expression, a class disjoint with itself, a class of
    another vocabulary (whose shape name could clash with a ckg: one)."""
    from chipkg.graph.errors import InvalidInput
    from chipkg.graph.shape_generation import ontology_shapes

    ontology = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    ontology.parse(data="@prefix ckg: <https://w3id.org/chipkg/ontology#> .\n"
                        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + axiom, format="turtle")
    with pytest.raises(InvalidInput, match="disjointness"):
        ontology_shapes(ontology)
