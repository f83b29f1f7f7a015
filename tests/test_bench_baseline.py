"""bench/baseline.py: the earlier server's copy of the corpus.

Issue 10's "5× today's req/s" is measured against chipkg at the commit the issue was filed
on, whose ontology has no ``ckg:Sentence``. Its copy of the corpus must leave out exactly
what that ontology cannot take (else its load refuses) and keep everything else (else it
would answer less, and faster). The end-to-end run, the same answers from both servers
included, is in ``test_bench_smoke.py``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import baseline

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


def test_a_resource_with_a_known_type_keeps_its_triples_but_not_the_unknown_type() -> None:
    both = triple(ckr("nvidia"), RDF_TYPE, ckg("Sentence"))
    kept, dropped = baseline.loadable([*ENTITY, both], known_without_sentences())
    assert kept == ENTITY and dropped == 1


def test_with_todays_ontology_nothing_is_left_out() -> None:
    everything = ENTITY + SENTENCE_TRIPLES
    kept, dropped = baseline.loadable(everything, baseline.defined_terms(ROOT / "seed" / "ontology.ttl"))
    assert kept == everything and dropped == 0


def test_export_gives_the_commits_tree_as_the_chipkg_package(tmp_path: Path) -> None:
    root = baseline.export("HEAD", ROOT, tmp_path / "baseline")
    committed = subprocess.run(["git", "show", "HEAD:seed/ontology.ttl"], cwd=ROOT, capture_output=True,
                               check=True).stdout
    assert (root / "chipkg" / "seed" / "ontology.ttl").read_bytes() == committed
    assert (root / "chipkg" / "__init__.py").exists()


def test_export_of_an_unknown_commit_says_so(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="git archive no-such-rev-anywhere"):
        baseline.export("no-such-rev-anywhere", ROOT, tmp_path / "baseline")
