"""bench/baseline.py and the answer check of ``bench/run.py --baseline``.

Issue 10's "5× today's req/s" is measured against chipkg at the commit the issue was filed
on, whose ontology has no ``ckg:Sentence``. Its copy of the corpus must leave out exactly
what that ontology cannot take (else its load refuses) and keep everything else (else it
would answer less, and faster); its code must be what runs (not today's, installed
editable); and a server that answers differently, or with errors, must be caught before
its req/s is taken. The end-to-end run is in ``test_bench_smoke.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import baseline, queries
from bench.processes import Server, free_port
from bench.run import different_answers

ROOT = Path(__file__).resolve().parent.parent
CKG = "https://w3id.org/chipkg/ontology#"
CKR = "https://w3id.org/chipkg/resource/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")


def ckg(name: str) -> ox.NamedNode:
    return ox.NamedNode(CKG + name)


def ckr(name: str) -> ox.NamedNode:
    return ox.NamedNode(CKR + name)


def triple(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(s, p, o, ox.DefaultGraph())


def known_without_sentences() -> set[ox.NamedNode]:
    """Today's ontology as an earlier one saw it: no ckg:Sentence, no ckg:sentenceIndex."""
    return baseline.defined_terms(ROOT / "seed" / "ontology.ttl") - {ckg("Sentence"), ckg("sentenceIndex")}


ARTICLE, SENTENCE = ckr("article-1"), ox.NamedNode(CKR + "article-1#sentence-1")
ENTITY = [
    triple(ckr("nvidia"), RDF_TYPE, ckg("Company")),
    triple(ckr("nvidia"), RDFS_LABEL, ox.Literal("Nvidia", language="en")),
    triple(ckr("nvidia"), ckg("makes"), ckr("h20")),
    triple(ARTICLE, RDF_TYPE, ckg("Article")),
    triple(ARTICLE, ckg("text"), ox.Literal("Nvidia makes the H20.")),
]
SENTENCE_TRIPLES = [
    triple(SENTENCE, RDF_TYPE, ckg("Sentence")),
    triple(SENTENCE, PART_OF, ARTICLE),
    triple(SENTENCE, ckg("text"), ox.Literal("Nvidia makes the H20.")),
    triple(SENTENCE, ckg("paragraph"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
]


def test_what_the_earlier_ontology_cannot_take_is_left_out_and_the_rest_kept() -> None:
    kept, dropped = baseline.loadable(ENTITY + SENTENCE_TRIPLES, known_without_sentences())
    assert kept == ENTITY  # ckg:text on the article is known to it: kept
    assert dropped == len(SENTENCE_TRIPLES)


def test_an_unknown_predicate_goes_but_not_its_subject() -> None:
    index = triple(ckr("nvidia"), ckg("sentenceIndex"), ox.Literal("3"))
    kept, dropped = baseline.loadable([*ENTITY, index], known_without_sentences())
    assert kept == ENTITY and dropped == 1


def test_a_link_to_a_left_out_resource_goes_too() -> None:
    link = triple(ckr("statement-1"), ckg("sentence"), SENTENCE)  # known predicate, a sentence at its end
    known = known_without_sentences() | {ckg("sentence")}
    kept, dropped = baseline.loadable([*ENTITY, *SENTENCE_TRIPLES, link], known)
    assert kept == ENTITY and dropped == len(SENTENCE_TRIPLES) + 1


def test_a_resource_with_a_known_type_keeps_its_triples_but_not_the_unknown_type() -> None:
    both = triple(ckr("nvidia"), RDF_TYPE, ckg("Sentence"))
    kept, dropped = baseline.loadable([*ENTITY, both], known_without_sentences())
    assert kept == ENTITY and dropped == 1


def test_with_todays_ontology_nothing_is_left_out() -> None:
    everything = ENTITY + SENTENCE_TRIPLES
    kept, dropped = baseline.loadable(everything, baseline.defined_terms(ROOT / "seed" / "ontology.ttl"))
    assert kept == everything and dropped == 0


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_export_gives_the_commits_tree_not_the_working_trees(tmp_path: Path) -> None:
    """Exported: HEAD~1's bytes of a file HEAD changed, so not a copy of the checkout."""
    changed = [p for p in git("diff", "--name-only", "HEAD~1", "HEAD").split() if git("ls-tree", "HEAD~1", p)]
    assert changed, "HEAD changed no file that HEAD~1 has"
    root = baseline.export("HEAD~1", ROOT, tmp_path / "baseline")
    earlier = subprocess.run(["git", "show", f"HEAD~1:{changed[0]}"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    assert (root / "chipkg" / changed[0]).read_bytes() == earlier
    assert earlier != (ROOT / changed[0]).read_bytes()  # HEAD changed it: the checkout's copy differs


def test_the_exported_package_is_the_one_imported(tmp_path: Path) -> None:
    """PYTHONPATH puts the export ahead of today's editable install."""
    root = baseline.export("HEAD", ROOT, tmp_path / "baseline")
    found = subprocess.run([sys.executable, "-c", "import chipkg.api.cli, chipkg; print(chipkg.__file__)"],
                           env=baseline.environment(root, dict(os.environ)), cwd=tmp_path, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert Path(found) == root / "chipkg" / "__init__.py"


def test_resolve_names_the_commit_or_refuses() -> None:
    assert baseline.resolve("HEAD", ROOT) == git("rev-parse", "--short", "HEAD").strip()
    with pytest.raises(RuntimeError, match="not a commit"):
        baseline.resolve("no-such-rev-anywhere", ROOT)


def test_export_of_an_unknown_commit_says_so(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="git archive no-such-rev-anywhere"):
        baseline.export("no-such-rev-anywhere", ROOT, tmp_path / "baseline")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """chipkg serving the seed, and the bench's bare anchor answering one fixed JSON body."""
    work = tmp_path_factory.mktemp("answers")
    body = work / "body.json"
    body.write_text('{"data": {"entity": null}}', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPKG_")}
    chipkg_port, bare_port = free_port(), free_port()
    with Server("chipkg", [sys.executable, "-m", "chipkg.api.cli", "serve", "--host", "127.0.0.1",
                           "--port", str(chipkg_port)], f"http://127.0.0.1:{chipkg_port}/healthz",
                log=work / "chipkg.log", env=env, cwd=work), \
         Server("bare", [sys.executable, "-m", "uvicorn", "--factory", "bench.anchors:bare_app", "--host",
                         "127.0.0.1", "--port", str(bare_port), "--log-level", "warning"],
                f"http://127.0.0.1:{bare_port}/graphql", log=work / "bare.log",
                env={**env, "BENCH_BODY": str(body), "PYTHONPATH": str(ROOT)}, cwd=ROOT):
        yield f"http://127.0.0.1:{chipkg_port}", f"http://127.0.0.1:{bare_port}"


SEED_IDS = ["nvidia", "h20", "no-such-entity"]


def test_a_server_agrees_with_itself(servers: tuple[str, str]) -> None:
    chipkg, _ = servers
    assert different_answers(chipkg, chipkg, queries.ENTITY, SEED_IDS) == []


def test_another_answer_is_caught(servers: tuple[str, str]) -> None:
    """The bare anchor answers ``entity: null`` for all: the known entities differ, the
    unknown one (null from chipkg too) does not."""
    chipkg, bare = servers
    assert different_answers(chipkg, bare, queries.ENTITY, SEED_IDS) == ["nvidia", "h20"]


def test_errors_are_caught_even_when_both_agree(servers: tuple[str, str]) -> None:
    chipkg, _ = servers
    broken = queries.ENTITY.replace("totalCount", "totalCount noSuchField")
    assert different_answers(chipkg, chipkg, broken, SEED_IDS) == SEED_IDS
