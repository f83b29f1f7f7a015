"""An article as paragraphs of sentences, and the statements taken from it: every
evidence sentence of the seed is one whole sentence of the split text, so every evidence
link lands on a sentence."""

from __future__ import annotations

import pytest

from chipkg.graph import KnowledgeGraph
from chipkg.graph.articles import article_text, read_statement, sentence_anchor, split_sentences, statements_from

CKR = "https://w3id.org/chipkg/resource/"


@pytest.mark.parametrize(("line", "expected"), [
    ("一つ目。二つ目！三つ目？", ["一つ目。", "二つ目！", "三つ目？"]),
    ("「引用。続き。」と彼は述べました。次。", ["「引用。続き。」と彼は述べました。", "次。"]),
    ("括弧（例。）の中。終わりなし", ["括弧（例。）の中。", "終わりなし"]),
    ("U.S. v3.5 chips? Yes!", ["U.S. v3.5 chips?", "Yes!"]),  # a Western . is too ambiguous to split on
])
def test_sentences_end_at_full_stops_outside_quotes(line: str, expected: list[str]) -> None:
    assert list(split_sentences(line)[0].sentences) == expected


def test_paragraphs_are_numbered_by_line_from_the_title() -> None:
    paragraphs = split_sentences("title\n\nfirst。second。\n")
    assert [(p.number, p.sentences) for p in paragraphs] == [(0, ("title",)), (2, ("first。", "second。"))]


def test_every_seed_evidence_is_a_whole_sentence_of_its_paragraph(seed_kg: KnowledgeGraph) -> None:
    article = seed_kg.entity("h20-article")
    text = article_text(article)
    assert text is not None
    by_number = {p.number: set(p.sentences) for p in split_sentences(text)}
    statements = statements_from(seed_kg.store, article.iri)
    assert len(statements) >= 80
    for st in statements:
        for ev in st.evidence:
            assert ev.text in by_number[ev.paragraph], (st.iri, ev.text)


def test_anchors_are_stable_ids() -> None:
    assert sentence_anchor("文。") == sentence_anchor(" 文。 ")
    assert sentence_anchor("文。") != sentence_anchor("別の文。")
    assert sentence_anchor("x").startswith("s-") and sentence_anchor("x")[2:].isalnum()


def test_read_statement(seed_kg: KnowledgeGraph) -> None:
    evidence = seed_kg.relations("nvidia", predicates=["makes"])[0].evidence[0]
    statement = read_statement(seed_kg.store, evidence.statement)
    assert statement is not None
    assert (statement.subject, statement.object) == (CKR + "nvidia", CKR + "h20")
    assert statement.evidence[0].text == evidence.text
    assert read_statement(seed_kg.store, CKR + "nvidia") is None  # an entity is not a statement
