"""An article as paragraphs of sentences, and the statements taken from it: every
evidence sentence of the seed is one whole sentence of the split text, so every evidence
link lands on a sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from chipkg.graph import InvalidInput, KnowledgeGraph, NotFound, ValidationFailed
from chipkg.graph.articles import (
    PART_OF,
    article_text,
    read_statement,
    sentence_anchor,
    sentence_iri,
    split_sentences,
    statements_from,
)

CKR = "https://w3id.org/chipkg/resource/"


@pytest.mark.parametrize(("line", "expected"), [
    ("一つ目。二つ目！三つ目？", ["一つ目。", "二つ目！", "三つ目？"]),
    ("「引用。続き。」と彼は述べました。次。", ["「引用。続き。」と彼は述べました。", "次。"]),
    ("括弧（例。）の中。終わりなし", ["括弧（例。）の中。", "終わりなし"]),
    # A Latin "." ends a sentence after a lowercase word or a number, not in U.S. or v3.5.
    ("U.S. v3.5 chips? Yes!", ["U.S. v3.5 chips?", "Yes!"]),
    ("Acme makes the X1 chip. It ships in 2026. U.S. buyers wait.", ["Acme makes the X1 chip.", "It ships in 2026.",
                                                                    "U.S. buyers wait."]),
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


# ------------------------------------------------------------------ articles are data

DATA = Path(__file__).parent / "data"
ACME = CKR + "acme-ships-x1"


def acme() -> tuple[str, str]:
    return (DATA / "acme-article.txt").read_text(encoding="utf-8"), (DATA / "acme-article.ttl").read_text()


def test_an_article_is_added_with_its_text_sentences_and_facts(fresh_kg: Callable[..., KnowledgeGraph]) -> None:
    kg = fresh_kg()
    text, facts = acme()
    article = kg.add_article(text, facts)
    assert article.iri == ACME and article_text(article) == text
    sentences = {t.subject.value: t for t in kg.store.triples(None, PART_OF, ox.NamedNode(ACME))}
    assert sorted(sentences) == [sentence_iri(ACME, i) for i in range(5)] == sorted(sentences)
    second = {t.predicate.value.rsplit("#", 1)[-1]: t.object.value for t in kg.store.triples(
        ox.NamedNode(sentence_iri(ACME, 1)), None, None)}
    assert (second["text"], second["paragraph"], second["sentenceIndex"]) == ("Acme makes the X1 chip.", "1", "1")
    assert {(r.predicate.rsplit("#", 1)[-1], r.object) for r in kg.relations("acme")} >= {
        ("makes", CKR + "x1"), ("competesWith", CKR + "nvidia")}
    assert kg.validate() == []


@pytest.mark.parametrize(("change", "message"), [
    (("Acme makes the X1 chip.", "Acme makes chips."), "not, verbatim, a sentence"),
    (("Acme makes the X1 chip.", "Acme makes the X1 chip"), "not, verbatim, a sentence"),  # a part is not whole
    (('"Acme makes the X1 chip."@en', '"Acme makes the X1 chip."@ja'), "not, verbatim, a sentence"),
    (("ckg:paragraph 1", "ckg:paragraph 2"), "not in the paragraph"),
    (("ckg:paragraph 1", "ckg:paragraph 99"), "not in the paragraph"),
])
def test_a_new_article_with_bad_evidence_changes_nothing(fresh_kg: Callable[..., KnowledgeGraph],
                                                          change: tuple[str, str], message: str) -> None:
    kg = fresh_kg()
    text, facts = acme()
    before = len(kg.store)
    with pytest.raises(ValidationFailed) as refused:
        kg.add_article(text, facts.replace(*change, 1))
    assert any(message in v.message for v in refused.value.violations), refused.value.violations
    assert len(kg.store) == before
    with pytest.raises(NotFound):
        kg.entity("acme-ships-x1")


def test_every_write_path_checks_evidence_against_the_article(fresh_kg: Callable[..., KnowledgeGraph],
                                                              ttl: Callable[[str], str]) -> None:
    kg = fresh_kg()
    kg.add_article(*acme())
    # add_fact: an invented sentence, and a real one in the wrong paragraph
    with pytest.raises(ValidationFailed, match="not, verbatim"):
        kg.add_fact("x1", "madeBy", "acme", evidence="Acme designed it.", source_id="acme-ships-x1", paragraph=1)
    with pytest.raises(ValidationFailed, match="not in the paragraph"):
        kg.add_fact("x1", "madeBy", "acme", evidence="Acme makes the X1 chip.", source_id="acme-ships-x1",
                    paragraph=99)
    # kg.add: a statement written by hand
    statement = ttl('ckr:x1 ckg:madeBy ckr:acme . ckr:st a rdf:Statement ; rdf:subject ckr:x1 ; '
                    'rdf:predicate ckg:madeBy ; rdf:object ckr:acme ; ckg:evidence "{e}"@en ; ckg:paragraph 1 ; '
                    'prov:wasDerivedFrom ckr:acme-ships-x1 .')
    with pytest.raises(ValidationFailed, match="not, verbatim"):
        kg.add(statement.format(e="Acme designed it."))
    kg.add(statement.format(e="Acme makes the X1 chip."))
    assert kg.relations("x1", predicates=["madeBy"])[0].evidence[0].paragraph == 1


def test_a_quoted_sentence_cannot_be_removed(fresh_kg: Callable[..., KnowledgeGraph]) -> None:
    kg = fresh_kg()
    kg.add_article(*acme())
    quoted = list(kg.store.triples(ox.NamedNode(sentence_iri(ACME, 1)), None, None))
    with pytest.raises(ValidationFailed, match="written once"):
        kg.remove(quoted)
    assert len(list(kg.store.triples(ox.NamedNode(sentence_iri(ACME, 1)), None, None))) == len(quoted)


INVENTED = ('<{article}#sentence-99> a ckg:Sentence ; <http://purl.org/dc/terms/isPartOf> <{article}> ; '
            'ckg:paragraph 1 ; ckg:sentenceIndex 99 ; ckg:text "Acme bought Nvidia."@en . ')
QUOTING = ('ckr:acme ckg:competesWith ckr:huawei . ckr:invented a rdf:Statement ; rdf:subject ckr:acme ; '
           'rdf:predicate ckg:competesWith ; rdf:object ckr:huawei ; ckg:evidence "Acme bought Nvidia."@en ; '
           'ckg:paragraph 1 ; prov:wasDerivedFrom <{article}> .')


@pytest.mark.parametrize("how", ["add", "add_article", "load", "bulk_load", "untyped", "edit", "retype",
                                 "drop the text"])
def test_a_sentence_cannot_be_invented_edited_or_dropped(fresh_kg: Callable[..., KnowledgeGraph],
                                                         ttl: Callable[[str], str], tmp_path: Path, how: str) -> None:
    """Sentences are what evidence is checked against, so they are written once, exactly as
    chipkg cuts the text, and never changed: else one could invent a sentence and quote it."""
    kg = fresh_kg() if how != "bulk_load" else KnowledgeGraph.open(f"oxigraph:{tmp_path / 'store'}")
    text, facts = acme()
    if how != "add_article":
        kg.add_article(text, facts)
    before = len(kg.store)
    invented = ttl(INVENTED.format(article=ACME) + QUOTING.format(article=ACME))
    file = tmp_path / "invented.ttl"
    file.write_text(invented, encoding="utf-8")
    first = sentence_iri(ACME, 1)
    writes = {
        "add": lambda: kg.add(invented),
        "add_article": lambda: kg.add_article(text, facts + INVENTED.format(article=ACME).replace(
            "ckg:Sentence", "<https://w3id.org/chipkg/ontology#Sentence>").replace(
            "ckg:", "<https://w3id.org/chipkg/ontology#").replace("paragraph 1", "paragraph> 1").replace(
            "sentenceIndex 99", "sentenceIndex> 99").replace("text \"", "text> \"")),
        "load": lambda: kg.load([file]),
        "bulk_load": lambda: kg.bulk_load([file]),
        "untyped": lambda: kg.add(ttl(INVENTED.format(article=ACME).replace("a ckg:Sentence ;", "")
                                      + QUOTING.format(article=ACME))),
        "edit": lambda: kg.add(ttl(f'<{first}> ckg:text "Acme bought Nvidia."@en .')),
        "retype": lambda: kg.remove(ttl(f"<{first}> a ckg:Sentence .")),
        "drop the text": lambda: kg.remove([t for t in kg.store.triples(ox.NamedNode(ACME), None, None)
                                            if t.predicate.value.endswith("#text")]),
    }
    try:
        with pytest.raises(ValidationFailed) as refused:
            writes[how]()
        assert any("written once" in v.message or "not the ones chipkg cuts" in v.message
                   or "part of an article's text" in v.message for v in refused.value.violations), refused.value
        assert len(kg.store) == before
    finally:
        if how == "bulk_load":
            kg.close()


def test_an_export_with_articles_loads_into_a_new_store(fresh_kg: Callable[..., KnowledgeGraph],
                                                        tmp_path: Path) -> None:
    """Sentences written as chipkg cuts them go in with their text: a whole export loads back."""
    kg = fresh_kg()
    kg.add_article(*acme())
    dump = tmp_path / "dump.nt"
    dump.write_bytes(kg.export("nt"))
    target = KnowledgeGraph.open(f"oxigraph:{tmp_path / 'store'}", seed_data=False)
    try:
        assert target.bulk_load([dump]).added > 1000
        assert article_text(target.entity("acme-ships-x1")) == acme()[0]
        assert target.validate() == []
    finally:
        target.close()


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda kg, text, facts: kg.add_article(text, facts), InvalidInput, "already has its text"),
    (lambda kg, text, facts: kg.add_article("", facts), InvalidInput, "empty"),
    (lambda kg, text, facts: kg.add_article(text, facts.replace("ckg:Article", "ckg:Event")), InvalidInput,
     "no ckg:Article"),
    (lambda kg, text, facts: kg.add_article(text, "", article_id="no-such-article"), NotFound, "no article"),
    (lambda kg, text, facts: kg.add_article(text, facts.replace('dcterms:language "en" ', 'dcterms:language "en" ')
                                            .replace("acme-ships-x1", "acme-again"), lang="not a tag!"),
     InvalidInput, "language tag"),
])
def test_bad_article_calls_are_refused_plainly(fresh_kg: Callable[..., KnowledgeGraph], call: Callable[..., object],
                                               error: type[Exception], message: str) -> None:
    kg = fresh_kg()
    kg.add_article(*acme())
    before = len(kg.store)
    with pytest.raises(error, match=message):
        call(kg, *acme())
    assert len(kg.store) == before


def test_text_can_be_given_to_an_article_already_in_the_graph(fresh_kg: Callable[..., KnowledgeGraph],
                                                             ttl: Callable[[str], str]) -> None:
    kg = fresh_kg()
    kg.add(ttl('ckr:memo a ckg:Article ; rdfs:label "Memo"@en , "メモ"@ja ; '
               '<http://purl.org/dc/terms/title> "Memo"@en ; <http://purl.org/dc/terms/language> "en" .'))
    article = kg.add_article("Memo\nNvidia makes the H20 chip.", article_id="memo")
    assert article_text(article) == "Memo\nNvidia makes the H20 chip."
    kg.add_fact("nvidia", "makes", "h20", evidence="Nvidia makes the H20 chip.", source_id="memo", paragraph=1)


def test_bulk_load_checks_evidence_against_stored_sentences(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(f"oxigraph:{tmp_path / 'store'}")
    try:
        kg.add_article(*acme())
        good = (DATA / "acme-article.ttl").read_text().split("ckr:acme ckg:makes")[0] + (
            'ckr:x1 ckg:madeBy ckr:acme . ckr:x1-made-by-acme a rdf:Statement ; rdf:subject ckr:x1 ; '
            'rdf:predicate ckg:madeBy ; rdf:object ckr:acme ; ckg:evidence "{e}"@en ; ckg:paragraph 1 ; '
            'prov:wasDerivedFrom ckr:acme-ships-x1 .')
        bad = tmp_path / "bad.ttl"
        bad.write_text(good.format(e="Acme designed the X1."), encoding="utf-8")
        before = len(kg.store)
        with pytest.raises(ValidationFailed, match="not, verbatim"):
            kg.bulk_load([bad])
        assert len(kg.store) == before
        fine = tmp_path / "fine.ttl"
        fine.write_text(good.format(e="Acme makes the X1 chip."), encoding="utf-8")
        assert kg.bulk_load([fine]).added > 0
    finally:
        kg.close()
