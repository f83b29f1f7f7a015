"""The rewrites that let a single write be checked in milliseconds: negations the engine
can run for one node, the constraint confined to the added triples, the patterns through
which an added triple reaches a node. Each refuses (``Unsupported``) what it cannot prove
equivalent, and every shipped check is understood, so no check silently loses the fast
path (or, worse, is confined where it must not be)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from chipkg.graph.additions import ADDED, _Check
from chipkg.graph.shacl_sparql import ShapeChecks
from chipkg.graph.sparql_rewrite import (
    ForNode,
    TriplePattern,
    Unsupported,
    bound,
    confined,
    every_pattern,
    optional_as_minus,
    target_patterns,
    tokens,
)
from chipkg.graph.validation import Validator

CKG = "https://w3id.org/chipkg/ontology#"
PREFIXES = {"ckg": CKG, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
PROVENANCE = ("?this ?path ?value . FILTER(isIRI(?value)) "
              "OPTIONAL { ?st rdf:subject ?this ; rdf:predicate ?path ; rdf:object ?value . } FILTER(!BOUND(?st))")


@pytest.fixture(scope="module")
def checks() -> ShapeChecks:
    return ShapeChecks(Validator.from_files().shapes)


def test_an_optional_about_the_node_becomes_minus_any_other_not_exists() -> None:
    # About ?this: bound to one node, the MINUS side is that node's neighbourhood.
    assert "MINUS {" in optional_as_minus(PROVENANCE)
    # Not about ?this: a MINUS side would be read for the whole store.
    evidence = ("?this ckg:evidence ?value ; ckg:source ?a . "
                "OPTIONAL { ?s ckg:partOf ?a ; ckg:text ?value . } FILTER(!BOUND(?s))")
    rewritten = optional_as_minus(evidence)
    assert "FILTER NOT EXISTS {" in rewritten and "MINUS" not in rewritten and "OPTIONAL" not in rewritten


def test_a_constraint_is_confined_once_per_pattern_it_joins_on() -> None:
    forms = confined(optional_as_minus(PROVENANCE), "urn:g", PREFIXES)
    assert [f.pattern for f in forms] == [TriplePattern("?this", "?path", "?value")]
    where = forms[0].where
    assert where.startswith("GRAPH <urn:g> { ?this ?path ?value }")
    # The negation stays whole, tried on the staged triples first (IF runs one branch only).
    assert "IF ( EXISTS { GRAPH <urn:g> { ?st rdf:subject ?this" in where
    assert "false , NOT EXISTS { ?st rdf:subject ?this" in where
    two = confined("?this ckg:label ?_one , ?_other FILTER(?_one != ?_other)", "urn:g", PREFIXES)
    assert [f.pattern.object for f in two] == ["?_one", "?_other"]
    assert "GRAPH <urn:g> { ?this ckg:label ?_other } ?this ckg:label ?_one ." in two[1].where


def test_a_constraint_that_joins_nothing_has_no_confined_form() -> None:
    # With the node a target before the write, adding triples cannot break these.
    assert confined("FILTER NOT EXISTS { ?this ckg:label ?_v }", "urn:g", PREFIXES) == []
    assert confined("FILTER(!isIRI(?this))", "urn:g", PREFIXES) == []


@pytest.mark.parametrize("constraint", [
    pytest.param("?this ckg:p ?v OPTIONAL { ?v ckg:q ?w }", id="optional"),
    pytest.param("?this ckg:p ?v FILTER EXISTS { ?v ckg:q ?w }", id="exists-gains-rows"),
    pytest.param("?this ckg:p ?v FILTER(?v = 1 || EXISTS { ?v ckg:q ?w })", id="exists-in-an-expression"),
    pytest.param("?this ckg:p ?v FILTER NOT EXISTS { ?v ckg:q ?w FILTER NOT EXISTS { ?w ckg:r ?x } }",
                 id="negation-inside-a-negation"),
    pytest.param("?this ckg:p ?v MINUS { ?v ckg:q ?w MINUS { ?w ckg:r ?x } }", id="minus-inside-a-minus"),
    pytest.param("?this ckg:p ?v MINUS { ?a ckg:q ?b }", id="minus-sharing-no-variable"),
    pytest.param("?this ckg:p/ckg:q* ?v", id="path"),
    pytest.param("{ ?this ckg:p ?v } UNION { ?this ckg:q ?v }", id="union"),
    pytest.param("?this ckg:p ?v BIND(?v AS ?w)", id="bind"),
    pytest.param("?this unknown:p ?v", id="undeclared-prefix"),
])
def test_what_cannot_be_proved_is_not_confined(constraint: str) -> None:
    with pytest.raises(Unsupported):
        confined(constraint, "urn:g", PREFIXES)


def test_target_patterns_cover_every_step_of_a_path() -> None:
    target = ("{ ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> / "
              "<http://www.w3.org/2000/01/rdf-schema#subClassOf> * ckg:Company } UNION { ?_t ckg:makes ?this }")
    found = target_patterns(target, PREFIXES)
    assert TriplePattern("?this", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "?_step1") in found
    # The closure step can be anywhere along the chain: neither end is known.
    assert TriplePattern(None, "<http://www.w3.org/2000/01/rdf-schema#subClassOf>", None) in found
    assert TriplePattern("?_t", f"<{CKG}makes>", "?this") in found


def test_a_pattern_match_binds_its_variables() -> None:
    pattern = TriplePattern("?this", f"<{CKG}makes>", "?this")
    assert pattern.match(("<a>", f"<{CKG}makes>", "<a>")) == {"?this": "<a>"}
    assert pattern.match(("<a>", f"<{CKG}makes>", "<b>")) is None  # ?this twice: the same node
    assert pattern.match(("<a>", f"<{CKG}other>", "<a>")) is None
    assert TriplePattern("?s", None, "?o").match(("<a>", "<p>", '"x"')) == {"?s": "<a>", "?o": '"x"'}


@pytest.mark.parametrize("node", ["<https://w3id.org/chipkg/resource/nvidia>", '"テキスト"@ja',
                                  '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'])
def test_a_text_prepared_for_one_node_reads_as_bound(checks: ShapeChecks, node: str) -> None:
    for check in checks.checks:
        assert tokens(ForNode.of(check.focused).bound(node)) == tokens(bound(check.focused, node))


def test_every_shipped_check_is_understood(checks: ShapeChecks) -> None:
    """If a shape ever compiles to something the rewrites do not understand, its check
    still runs (whole, for every focus node), but writes get slower: this says so. Only
    the disjointness checks (a ``FILTER EXISTS``, which added triples can make match) have
    no confined forms: they run whole, but only for a node an added triple reaches."""
    for i, check in enumerate(checks.checks):
        taken = _Check.of(i, optional_as_minus(check.focused), checks.prefixes)
        assert taken.reach_known, check
        assert taken.analysed or check.shape.endswith("-disjoint"), check
        assert all(p.predicate for p in taken.targets or ()), check  # an index key for each
        assert all(p.predicate for p in taken.anywhere or ()), check
        # _EVERY ("not about ?this") reaches only the nodes a write names: a pattern that could
        # break an unnamed node must not hide here. The subClassOf closure is the ontology's,
        # which a write cannot change (writes of rdfs:subClassOf are refused).
        assert all(p.subject == "?this" or p.predicate == SUBCLASS for p in taken.anywhere or ()), check


def test_the_confined_forms_run_in_oxigraph(checks: ShapeChecks) -> None:
    """Every form parses and runs (on an empty store with the staged graph named)."""
    store = ox.Store()
    graphs = [ox.DefaultGraph(), ox.NamedNode("urn:g")]
    for i, check in enumerate(checks.checks):
        taken = _Check.of(i, optional_as_minus(check.focused), checks.prefixes)
        for _, form in taken.forms or ():
            where = form.bound("<https://w3id.org/chipkg/resource/x>").replace(ADDED, "urn:g")
            assert list(store.query(f"SELECT * WHERE {{ {where} }}", default_graph=graphs,
                                    prefixes=checks.prefixes)) == []  # type: ignore[arg-type]


SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
P = {"ckg": "https://w3id.org/chipkg/ontology#"}


@pytest.mark.parametrize(("where", "expected"), [
    pytest.param("FILTER EXISTS { { ?this a ckg:A } UNION { ?this a ckg:B } }",
                 [("?this", TYPE, "<https://w3id.org/chipkg/ontology#A>"),
                  ("?this", TYPE, "<https://w3id.org/chipkg/ontology#B>")], id="exists-union"),
    pytest.param("FILTER EXISTS { { ?this rdf:type/rdfs:subClassOf* ckg:A } UNION "
                 "{ ?this rdf:type/rdfs:subClassOf* ckg:B } }",
                 [("?this", TYPE, None), (None, SUBCLASS, None)], id="paths-once-each"),
    pytest.param("?this ckg:p ?x ; ckg:q ?y , ?z . FILTER NOT EXISTS { ?x ckg:r ?w } MINUS { ?y ckg:s ?v }",
                 [("?this", "<https://w3id.org/chipkg/ontology#p>", None),
                  ("?this", "<https://w3id.org/chipkg/ontology#q>", None),  # ?y
                  ("?this", "<https://w3id.org/chipkg/ontology#q>", None),  # ?z
                  (None, "<https://w3id.org/chipkg/ontology#r>", None),
                  (None, "<https://w3id.org/chipkg/ontology#s>", None)], id="lists-negations-minus"),
    pytest.param("?this ckg:p ?x FILTER(isIRI(?x) && ?x != ckg:A) FILTER EXISTS { ?x ckg:q ?this }",
                 [("?this", "<https://w3id.org/chipkg/ontology#p>", None),
                  (None, "<https://w3id.org/chipkg/ontology#q>", "?this")], id="expressions-skipped"),
])
def test_every_pattern_lists_each_triple_pattern_of_a_constraint(where: str, expected: list) -> None:
    prefixes = {**P, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    found = [(p.subject if p.subject == "?this" or p.subject is None else None, p.predicate,
              p.object if p.object in ("?this",) or (p.object or "").startswith("<") else None)
             for p in every_pattern(where, prefixes)]
    assert found == expected


@pytest.mark.parametrize("where", [
    "OPTIONAL { ?this ckg:p ?x }",
    "?this ckg:p/ckg:q ?x",
    "?this ^ckg:p ?x",
    "FILTER(EXISTS { ?this ckg:p ?x })",  # a group inside an expression
    "{ SELECT ?this WHERE { ?this ckg:p ?x } }",
    "BIND(1 AS ?x) ?this ckg:p ?x",
])
def test_every_pattern_refuses_what_it_cannot_list(where: str) -> None:
    with pytest.raises(Unsupported):
        every_pattern(where, P)
