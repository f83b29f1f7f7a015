"""An article's text as paragraphs of sentences, and the reified statements taken from it.

An article's text is data: the whole text on the article (``ckg:text``) and one
``ckg:Sentence`` per sentence, with its paragraph and its position in the article, so the
shapes can check on every write that evidence is one of its article's sentences, in the
paragraph the statement names. ``text_triples`` is the one place text becomes triples:
``KnowledgeGraph.add_article`` (``chipkg ingest``, ``addArticle``) writes them, and the
seed article's Turtle holds what it makes of the shipped text (a test keeps them equal).

The pages name a sentence by an anchor made from its text (``sentence_anchor``): the same
sentence gives the same anchor wherever it is found. Paragraphs are the text's lines,
numbered from 0 (the title), as ``ckg:paragraph`` counts them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import Violation
from .model import Entity, Evidence
from .store import TripleStore
from .terms import int_value
from .vocab import CKG, PROV, RDF, XSD, compact

_TYPE = ox.NamedNode(str(RDF.type))
PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
_SENTENCE = ox.NamedNode(str(CKG.Sentence))
_TEXT = ox.NamedNode(str(CKG.text))
_PARAGRAPH = ox.NamedNode(str(CKG.paragraph))
_INDEX = ox.NamedNode(str(CKG.sentenceIndex))
_INTEGER = ox.NamedNode(str(XSD.integer))
_ARTICLE = ox.NamedNode(str(CKG.Article))
# What pyoxigraph's stubs allow as a subject (0.5 refuses the Triple at run time).
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
_STATEMENT = ox.NamedNode(str(RDF.Statement))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
# A sentence ends after one of these (Japanese full stops, ! and ?), or after a Latin "."
# that ends a word (``_latin_stop``), unless it is inside brackets or quotes:
# 「…。…」とチェン氏は述べました。 is one sentence.
_ENDS = frozenset("。．！？!?")
_OPENERS = {"「": "」", "『": "』", "（": "）", "(": ")", "“": "”"}
_CLOSERS = frozenset(_OPENERS.values())
_MARKS = re.compile("[" + re.escape("".join(sorted(_ENDS | set(_OPENERS) | _CLOSERS | {"."}))) + "]")


@dataclass(frozen=True)
class Paragraph:
    number: int
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One reified ``rdf:Statement``: the fact it describes and the evidence it carries."""

    iri: str
    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...]


def sentence_anchor(sentence: str) -> str:
    """The fragment id of a sentence on its article page (stable, HTML-id safe)."""
    return "s-" + hashlib.sha1(sentence.strip().encode("utf-8")).hexdigest()[:12]


def split_sentences(text: str) -> list[Paragraph]:
    """The text's non-empty lines as paragraphs, each cut into sentences after a full stop.
    A line ends at "\n" only: ``str.splitlines`` also breaks at U+2028, form feeds and the
    like, which would shift every later paragraph number from the line a reader counts."""
    paragraphs = []
    for number, line in enumerate(text.split("\n")):  # lines end at \n only (\r\n too: strip() drops the \r)
        line = line.strip()
        if not line:
            continue
        paragraphs.append(Paragraph(number, tuple(_sentences(line))))
    return paragraphs


def _sentences(line: str) -> list[str]:
    # Only brackets, quotes and stops change anything: visiting just those (``_MARKS``)
    # rather than every character made a bulk load's text check 1.0 s faster at 1M.
    pieces, start, depth = [], 0, 0
    for mark in _MARKS.finditer(line):
        i, char = mark.start(), mark.group()
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and (char in _ENDS or _latin_stop(line, i)):
            pieces.append(line[start:i + 1].strip())
            start = i + 1
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def sentence_iri(article: str, index: int) -> str:
    """A sentence is addressed inside its article: ``…/resource/h20-article#sentence-3``."""
    return f"{article}#sentence-{index}"


def text_triples(article: str, text: str, lang: str) -> list[ox.Triple]:
    """The article's text and its sentences as triples, split as evidence is cut."""
    node = ox.NamedNode(article)
    triples = [ox.Triple(node, _TEXT, ox.Literal(text, language=lang))]
    index = 0
    for paragraph in split_sentences(text):
        for sentence in paragraph.sentences:
            s = ox.NamedNode(sentence_iri(article, index))
            triples += [ox.Triple(s, _TYPE, _SENTENCE), ox.Triple(s, PART_OF, node),
                        ox.Triple(s, _TEXT, ox.Literal(sentence, language=lang)),
                        ox.Triple(s, _PARAGRAPH, ox.Literal(str(paragraph.number), datatype=_INTEGER)),
                        ox.Triple(s, _INDEX, ox.Literal(str(index), datatype=_INTEGER))]
            index += 1
    return triples


def _latin_stop(line: str, i: int) -> bool:
    """A "." ends a sentence when a space (or the line's end) follows and a lowercase
    letter or a digit precedes it: "chip. It" does, "U.S. export" and "v3.5" do not."""
    before = line[i - 1:i]
    return line[i] == "." and line[i + 1:i + 2] in (" ", "") and (before.islower() or before.isdigit())


def text_problems(store: TripleStore, remove: Sequence[ox.Triple], add: Sequence[ox.Triple]) -> list[Violation]:
    """Why a write may not touch these article texts, if it may not.

    Evidence is checked against an article's sentences, so the sentences must be what the
    article's text says: they are written once, all together and exactly as
    ``text_triples`` cuts the text (``add_article``, ``chipkg ingest``, or loading an
    export that holds them), and never edited or removed. Otherwise anyone who may write
    could invent a "sentence" and then quote it.
    """
    sentences = _sentence_nodes(store, [*remove, *add])
    articles_added = {t.subject for t in add if t.predicate == _TYPE and t.object == _ARTICLE}

    def is_text(t: ox.Triple) -> bool:
        return (t.predicate in (PART_OF, _INDEX) or (t.predicate == _TYPE and t.object == _SENTENCE)
                or t.subject in sentences
                or (t.predicate == _TEXT and (t.subject in articles_added or _is_article(store, t.subject))))

    changed = [t for t in remove if is_text(t)]
    if changed:
        return [Violation(focus=compact(_name(changed[0].subject)), message=_WRITTEN_ONCE)]
    by_article: dict[ox.NamedNode, set[ox.Triple]] = defaultdict(set)
    part_of = {t.subject: t.object for t in add if t.predicate == PART_OF}
    for t in add:
        if not is_text(t):
            continue
        article = t.subject if t.predicate == _TEXT and t.subject not in sentences else \
            part_of.get(t.subject) or next((p.object for p in store.triples(t.subject, PART_OF, None)), None)
        if not isinstance(article, ox.NamedNode):
            return [Violation(focus=compact(_name(t.subject)),
                              message="a sentence is part of an article's text: add it with the article (add_article)")]
        by_article[article].add(t)
    problems = []
    for article, written in sorted(by_article.items(), key=lambda kv: kv[0].value):
        if any(True for _ in store.triples(article, _TEXT, None)) or \
                any(True for _ in store.triples_to(PART_OF, [article])):
            problems.append(Violation(focus=compact(article.value), message=_WRITTEN_ONCE))
            continue
        texts = [t.object for t in written if t.subject == article and t.predicate == _TEXT]
        if len(texts) != 1 or not isinstance(texts[0], ox.Literal):
            problems.append(Violation(focus=compact(article.value), message=(
                "sentences need their article's text (one ckg:text): add both with add_article")))
            continue
        text = texts[0]
        if written != set(text_triples(article.value, text.value, text.language or "")):
            problems.append(Violation(focus=compact(article.value), message=(
                "these sentences are not the ones chipkg cuts from the article's text (ckg:text); "
                "give the text alone, with add_article or chipkg ingest, and chipkg writes its sentences")))
    return problems


_WRITTEN_ONCE = ("an article's text and its sentences are written once, with the article (add_article, "
                 "chipkg ingest); they cannot be changed or removed")


def _sentence_nodes(store: TripleStore, triples: Sequence[ox.Triple]) -> set[Subject]:
    """The subjects that are sentences, by what the write or the store says of them."""
    found = {t.subject for t in triples if t.predicate in (PART_OF, _INDEX)
             or (t.predicate == _TYPE and t.object == _SENTENCE)}
    for subject in {t.subject for t in triples} - found:
        if any(True for _ in store.triples(subject, _TYPE, _SENTENCE)) or \
                any(True for _ in store.triples(subject, PART_OF, None)):
            found.add(subject)
    return found


def _name(node: Subject) -> str:
    return node.value if isinstance(node, ox.NamedNode | ox.BlankNode) else str(node)


def _is_article(store: TripleStore, node: Subject) -> bool:
    return any(True for _ in store.triples(node, _TYPE, _ARTICLE))


def article_text(article: Entity) -> str | None:
    """The article's text, from the graph (``ckg:text``); None if it has none."""
    texts = article.attributes.get(str(CKG.text), ())
    return texts[0].value if texts else None


def _statement_from(iri: str, triples: Iterable[ox.Triple]) -> Statement | None:
    values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = defaultdict(list)
    for t in triples:
        values[t.predicate.value].append(t.object)  # type: ignore[arg-type]
    if _STATEMENT not in values[_TYPE.value]:
        return None
    try:
        (s,), (p,), (o,) = values[str(RDF.subject)], values[str(RDF.predicate)], values[str(RDF.object)]
    except ValueError:
        return None
    paragraphs = values[str(CKG.paragraph)]
    paragraph = int_value(paragraphs[0]) if paragraphs else None
    sources = values[_DERIVED.value]
    source = sources[0].value if sources else ""
    evidence = tuple(Evidence(text=e.value, lang=getattr(e, "language", None), paragraph=paragraph, source=source,
                              statement=iri) for e in values[str(CKG.evidence)] if isinstance(e, ox.Literal))
    return Statement(iri, s.value, p.value, o.value, evidence)


def read_statement(store: TripleStore, iri: str) -> Statement | None:
    """The statement at ``iri``; None if ``iri`` is not an ``rdf:Statement``."""
    return _statement_from(iri, store.triples(ox.NamedNode(iri), None, None))


def statements_from(store: TripleStore, article_iri: str) -> list[Statement]:
    """Every statement derived from the article, sorted by paragraph then IRI."""
    nodes = sorted({t.subject.value for t in store.triples_to(_DERIVED, [ox.NamedNode(article_iri)])
                    if isinstance(t.subject, ox.NamedNode)})
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for t in store.triples_of([ox.NamedNode(n) for n in nodes]):
        by_subject[t.subject.value].append(t)  # type: ignore[union-attr]  # RDF 1.1
    found = [_statement_from(n, by_subject[n]) for n in nodes]
    statements = [s for s in found if s is not None]
    return sorted(statements, key=lambda s: (min((e.paragraph or 0 for e in s.evidence), default=0), s.iri))


__all__ = ["PART_OF", "Paragraph", "Statement", "article_text", "read_statement", "sentence_anchor", "sentence_iri",
           "split_sentences", "statements_from", "text_problems", "text_triples"]
