"""Single writes are checked in the store with the compiled shapes, scoped to the write's
focus nodes, and must report what pySHACL (the reference) reports for the whole graph
after the write, for every known-bad addition and removal; nothing is left behind."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest

from chipkg.graph.store import OxigraphStore
from chipkg.graph.validation import Validator
from chipkg.graph.write_check import WriteChecks

from test_validation import BAD_INPUTS, EVIDENCE, as_rdflib, statement

CKR, CKG = "https://w3id.org/chipkg/resource/", "https://w3id.org/chipkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture(scope="module")
def checks() -> WriteChecks:
    return WriteChecks(Validator.from_files())


@pytest.fixture
def store(seed_triples: list[ox.Triple]) -> OxigraphStore:
    store = OxigraphStore()
    store.add_many(seed_triples)
    return store


def reference(checks: WriteChecks, triples: list[ox.Triple]) -> set[str]:
    """The closed-vocabulary verdict if it refuses (a write stops there), else pySHACL's."""
    vocabulary = checks.validator.check_vocabulary(triples)
    return {str(v) for v in vocabulary or checks.validator.validate(as_rdflib(triples))}


def unchanged(store: OxigraphStore, seed_triples: list[ox.Triple]) -> bool:
    return len(store) == len(set(seed_triples)) and not list(store._store.named_graphs())


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_a_bad_addition_gets_the_reference_verdict(checks: WriteChecks, store: OxigraphStore,
                                                   seed_triples: list[ox.Triple], ttl: Callable[[str], str],
                                                   body: str, offender: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    found = {str(v) for v in checks.check(store, [], bad)}
    assert found, "the bad write was accepted"
    assert found == reference(checks, seed_triples + bad)
    assert unchanged(store, seed_triples)


def _fact_statement(seed_triples: list[ox.Triple]) -> tuple[ox.Triple, list[ox.Triple]]:
    """A fact of the seed and the triples of one statement that describes it."""
    by_subject: dict[str, dict[str, ox.Term]] = {}
    for t in seed_triples:
        by_subject.setdefault(t.subject.value, {})[t.predicate.value] = t.object
    for st, parts in sorted(by_subject.items()):
        if {RDF + "subject", RDF + "predicate", RDF + "object"} <= parts.keys():
            fact = ox.Triple(parts[RDF + "subject"], parts[RDF + "predicate"], parts[RDF + "object"])
            return fact, [t for t in seed_triples if t.subject.value == st]
    raise AssertionError("the seed has no statements")


def removals(seed_triples: list[ox.Triple]) -> dict[str, list[ox.Triple]]:
    fact, statement = _fact_statement(seed_triples)
    nvidia = ox.NamedNode(CKR + "nvidia")
    return {
        "ja-label": [t for t in seed_triples if t.subject == nvidia and isinstance(t.object, ox.Literal)
                     and t.object.language == "ja" and t.predicate.value.endswith("#label")],
        "type-of-a-company": [t for t in seed_triples if t.subject == nvidia and t.predicate.value == RDF + "type"],
        "fact-leaving-its-statement": [fact],
        "statement-leaving-its-fact": statement,
        "evidence-of-a-statement": [t for t in statement if t.predicate.value == CKG + "evidence"],
        "type-of-the-article": [t for t in seed_triples if t.subject.value == CKR + "h20-article"
                                and t.predicate.value == RDF + "type"],
    }


@pytest.mark.parametrize("case", ["ja-label", "type-of-a-company", "fact-leaving-its-statement",
                                  "statement-leaving-its-fact", "evidence-of-a-statement", "type-of-the-article"])
def test_a_bad_removal_gets_the_reference_verdict(checks: WriteChecks, store: OxigraphStore,
                                                  seed_triples: list[ox.Triple], case: str) -> None:
    remove = removals(seed_triples)[case]
    assert remove
    gone = {str(t) for t in remove}
    after = [t for t in seed_triples if str(t) not in gone]
    expected = reference(checks, after)
    assert expected, "the removal should break something"
    assert {str(v) for v in checks.check(store, remove, [])} == expected
    assert unchanged(store, seed_triples)


def test_a_good_write_passes_and_leaves_nothing_staged(checks: WriteChecks, store: OxigraphStore,
                                                       seed_triples: list[ox.Triple],
                                                       ttl: Callable[[str], str]) -> None:
    good = [q.triple for q in ox.parse(ttl('ckr:acme a ckg:Company ; rdfs:label "Acme"@en , "アクメ"@ja .\n'),
                                       format=ox.RdfFormat.TURTLE)]
    assert checks.check(store, [], good) == []
    fact, statement = _fact_statement(seed_triples)
    assert checks.check(store, [fact, *statement], []) == []  # a fact with its evidence may go
    assert unchanged(store, seed_triples)


# ------------------------------------------------------------------ writes on a hub

RIVALS = 40  # facts the hub gets on top of the seed's


@pytest.fixture(scope="module")
def hub_triples(seed_triples: list[ox.Triple], ttl: Callable[[str], str]) -> list[ox.Triple]:
    """The seed with ckr:nvidia made a hub: a rival company per fact, each with its statement."""
    body = "".join(f'ckr:rival-{i} a ckg:Company ; rdfs:label "Rival {i}"@en , "ライバル{i}"@ja .\n'
                   f"ckr:nvidia ckg:competesWith ckr:rival-{i} .\n"
                   + statement("ckr:nvidia", "ckg:competesWith", f"ckr:rival-{i}", name=f"ckr:rival-statement-{i}")
                   for i in range(RIVALS))
    return seed_triples + [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]


@pytest.fixture
def hub_store(hub_triples: list[ox.Triple]) -> OxigraphStore:
    store = OxigraphStore()
    store.add_many(hub_triples)
    return store


NEW_RIVAL = 'ckr:new-rival a ckg:Company ; rdfs:label "New rival"@en , "新しいライバル"@ja .\n'


# A write that only adds is checked as far as the added triples reach (graph/additions.py):
# on a node that was already a target, only the rows that join an added triple. Each case
# is a violation that confinement must still see, on a node with many facts of the kind.
@pytest.mark.parametrize("body", [
    pytest.param(NEW_RIVAL + "ckr:nvidia ckg:competesWith ckr:new-rival .\n", id="hub-fact-without-statement"),
    pytest.param(NEW_RIVAL + "ckr:nvidia ckg:competesWith ckr:new-rival .\n"
                 + statement("ckr:nvidia", "ckg:competesWith", "ckr:rival-0"), id="statement-of-another-fact"),
    pytest.param(NEW_RIVAL + "ckr:nvidia ckg:competesWith ckr:new-rival .\n"
                 + statement("ckr:nvidia", "ckg:competesWith", "ckr:new-rival").replace("ckg:paragraph 3",
                                                                                       "ckg:paragraph 1"),
                 id="evidence-from-another-paragraph"),
    pytest.param(NEW_RIVAL + "ckr:new-rival ckg:competesWith ckr:nvidia .\n", id="fact-to-the-hub-without-statement"),
    pytest.param('ckr:nvidia rdfs:label "NVIDIA Corporation"@en .\n', id="second-english-label-on-the-hub"),
    pytest.param('ckr:nvidia ckg:competesWith "Intel" .\n', id="hub-fact-to-a-literal"),
    pytest.param('ckr:rival-statement-0 ckg:evidence "言っていないこと"@ja .\n', id="evidence-added-to-a-statement"),
    pytest.param("ckr:rival-statement-0 ckg:paragraph 4 .\n", id="second-paragraph-of-a-statement"),
    pytest.param("ckr:nvidia a ckg:Person .\n", id="hub-retyped-into-a-disjoint-class"),
    pytest.param(NEW_RIVAL + "ckr:new-rival a ckg:Chip .\n", id="new-entity-of-two-disjoint-classes"),
    pytest.param('ckr:orphan ckg:paragraph "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
                 id="paragraph-on-an-untyped-node"),
])
def test_an_addition_on_a_hub_gets_the_reference_verdict(checks: WriteChecks, hub_store: OxigraphStore,
                                                         hub_triples: list[ox.Triple], ttl: Callable[[str], str],
                                                         body: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    found = {str(v) for v in checks.check(hub_store, [], bad)}
    assert found, "the bad write was accepted"
    assert found == reference(checks, hub_triples + bad)


def test_a_valid_fact_on_a_hub_passes(checks: WriteChecks, hub_store: OxigraphStore,
                                      ttl: Callable[[str], str]) -> None:
    body = (NEW_RIVAL + "ckr:nvidia ckg:competesWith ckr:new-rival .\n"
            + statement("ckr:nvidia", "ckg:competesWith", "ckr:new-rival"))
    assert checks.check(hub_store, [], [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]) == []
    assert EVIDENCE in body  # the evidence is a sentence of the article, in paragraph 3


def test_a_valid_fact_runs_no_disjointness_check(checks: WriteChecks, hub_store: OxigraphStore,
                                                ttl: Callable[[str], str]) -> None:
    """A class check runs for a node only if an added triple reaches it: a fact between
    two entities adds no rdf:type to either, so neither's disjointness is checked again.
    A retyping does reach it: the company's check, and the new class's own."""
    disjoint = {i: c.shape.rsplit("#", 1)[-1] for i, c in enumerate(checks.checks.checks)
                if c.shape.endswith("-disjoint")}

    def ran(body: str) -> set[str]:
        add = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
        added = ox.NamedNode("urn:chipkg:test:added")
        data = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in add)
        hub_store.update(f"INSERT DATA {{ GRAPH {added} {{ {data} }} }}")  # staged, as a write does
        try:
            queries = checks._addition_queries(hub_store, add, added)
        finally:
            hub_store.update(f"DROP SILENT GRAPH {added}")
        return {name for i, name in disjoint.items() for query in queries if f"BIND({i} AS ?check)" in query}

    fact = "ckr:nvidia ckg:competesWith ckr:rival-1 .\n" + statement("ckr:nvidia", "ckg:competesWith", "ckr:rival-1")
    assert ran(fact) == set()
    assert ran("ckr:nvidia a ckg:Person .\n") == {"Organization-disjoint", "Person-disjoint"}
