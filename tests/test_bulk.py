"""``chipkg load``: what a bulk load commits is what it checked, and a refused one changes
nothing, on both of its commit paths (one transaction from the stage below
``transactional_below`` triples; above it, the bulk writer, from the files read again or
from the stage). The tests lower ``transactional_below`` to reach the bulk writer with
small files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_articles import acme

from chipkg.graph import InvalidInput, KnowledgeGraph, ValidationFailed
from chipkg.graph.bulk import STAGE, _context_by_lookup, _context_by_scan, bulk_load
from chipkg.graph.store import OxigraphStore
from chipkg.graph.vocab import ONTOLOGY_IRI

BULK, ONE_TRANSACTION = 0, 10**9  # values of transactional_below
CKR = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
# A fact without the rdf:Statement that gives its evidence: the shapes refuse it.
UNPROVEN = f"<{CKR}acme> <{CKG}makes> <{CKR}h20> .\n"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and an article with its sentences, as ``chipkg export`` writes it (with the ontology)."""
    kg = KnowledgeGraph()
    kg.add_article(*acme())
    path = tmp_path_factory.mktemp("bulk") / "export.nt"
    path.write_bytes(kg.export("nt"))
    return path


@pytest.fixture(scope="module")
def facts(export: Path) -> Path:
    """The same without the ontology: a file the bulk writer commits by reading it again."""
    path = export.with_name("facts.nt")
    kept = [q for q in ox.parse(path=str(export)) if not q.subject.value.startswith(ONTOLOGY_IRI)
            and not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)]
    ox.serialize(kept, output=str(path), format=ox.RdfFormat.N_QUADS)
    return path


@pytest.fixture
def target(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    """A new on-disk store, as ``chipkg load`` opens one: the ontology alone."""
    kg = KnowledgeGraph.open(f"oxigraph:{tmp_path / 'store'}", seed_data=False, lazy=True)
    yield kg
    kg.close()


def load(kg: KnowledgeGraph, files: list[Path], transactional_below: int, **options: object) -> int:
    return bulk_load(kg.store, kg.validator, kg.write_checks.checks, files,  # type: ignore[arg-type]
                     transactional_below=transactional_below, **options)


def stored(kg: KnowledgeGraph) -> set[ox.Triple]:
    return set(kg.store.triples())


def in_file(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(path))}


@pytest.mark.parametrize("file", ["facts", "export"])
@pytest.mark.parametrize("below", [BULK, ONE_TRANSACTION])
def test_a_load_commits_the_file(target: KnowledgeGraph, request: pytest.FixtureRequest, file: str,
                                 below: int) -> None:
    path: Path = request.getfixturevalue(file)
    before = stored(target)
    added = load(target, [path], below)
    facts = {t for t in in_file(path) if not t.subject.value.startswith(ONTOLOGY_IRI)  # type: ignore[union-attr]
             and not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
    assert len(facts) > 1000
    assert stored(target) == before | facts
    assert added == len(facts - before)


@pytest.mark.parametrize("below", [BULK, ONE_TRANSACTION])
def test_a_refused_load_leaves_a_new_store_as_it_was_and_usable(target: KnowledgeGraph, facts: Path,
                                                                 tmp_path: Path, below: int) -> None:
    before = stored(target)
    bad = tmp_path / "bad.nt"
    bad.write_text(facts.read_text(encoding="utf-8") + UNPROVEN, encoding="utf-8")
    with pytest.raises(ValidationFailed, match="no rdf:Statement"):
        load(target, [bad], below)
    assert stored(target) == before
    assert load(target, [facts], below) > 1000
    assert target.entity("acme").label() == "Acme"


def test_named_graphs_are_refused(target: KnowledgeGraph, tmp_path: Path) -> None:
    """A TriG file's named graphs would go round the stage, and every check."""
    trig = tmp_path / "graphs.trig"
    trig.write_text(f"<{CKR}g> {{ {UNPROVEN} }}", encoding="utf-8")
    before = stored(target)
    with pytest.raises(InvalidInput, match="named graphs"):
        load(target, [trig], BULK)
    assert stored(target) == before


def test_a_file_changed_after_it_was_checked_is_not_read_again(target: KnowledgeGraph, facts: Path,
                                                               tmp_path: Path) -> None:
    """What goes in is what was checked, even if the file changes in between."""
    path = tmp_path / "changing.nt"
    path.write_bytes(facts.read_bytes())

    def change(message: str, _fraction: float | None) -> None:
        if message.startswith("checked"):
            with path.open("a", encoding="utf-8") as out:
                out.write(UNPROVEN)

    load(target, [path], BULK, progress=change)
    assert UNPROVEN in path.read_text(encoding="utf-8")
    assert stored(target) >= in_file(facts)
    assert not in_file(path) - in_file(facts) & stored(target)


def test_both_ways_of_reading_the_context_agree(facts: Path) -> None:
    """A store smaller than the load is read whole; a larger one is looked up node by node."""
    kg = KnowledgeGraph()
    kg.add_article(*acme())
    stage = OxigraphStore()
    stage.bulk_load(facts, ox.RdfFormat.N_TRIPLES, graph=STAGE)
    by_scan = _context_by_scan(kg.store, stage)
    assert by_scan  # the file names stored nodes: their triples and statements come along
    assert set(by_scan) == set(_context_by_lookup(kg.store, stage, batch=7))
