"""An article's text as paragraphs of sentences, and the reified statements taken from it.

The pages show an article with each sentence linked to the facts drawn from it, and a
fact's evidence linked back to its sentence. Both sides name a sentence by an anchor made
from its text (``sentence_anchor``), so the link needs neither the article text nor a
sentence index stored in the graph: the same sentence gives the same anchor wherever it
is found. Paragraphs are the text file's lines, numbered from 0 (the title), as
``ckg:paragraph`` counts them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .. import seed
from .model import Entity, Evidence
from .store import TripleStore
from .terms import int_value
from .vocab import CKG, PROV, RDF

_TYPE = ox.NamedNode(str(RDF.type))
_STATEMENT = ox.NamedNode(str(RDF.Statement))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
# A sentence ends after one of these (Japanese and Western full stops, ! and ?), unless it
# is inside brackets or quotes: 「…。…」とチェン氏は述べました。 is one sentence.
_ENDS = frozenset("。．！？!?")
_OPENERS = {"「": "」", "『": "』", "（": "）", "(": ")", "“": "”"}
_CLOSERS = frozenset(_OPENERS.values())


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
    """The text's non-empty lines as paragraphs, each cut into sentences after a full stop."""
    paragraphs = []
    for number, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line:
            continue
        paragraphs.append(Paragraph(number, tuple(_sentences(line))))
    return paragraphs


def _sentences(line: str) -> list[str]:
    pieces, start, depth = [], 0, 0
    for i, char in enumerate(line):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char in _ENDS and depth == 0:
            pieces.append(line[start:i + 1].strip())
            start = i + 1
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def article_text(article: Entity) -> str | None:
    """The text an article's evidence was copied from, if chipkg ships it (``ckg:sourceFile``)."""
    files = article.attributes.get(str(CKG.sourceFile), ())
    if not files:
        return None
    try:
        return seed.article_text(files[0].value)
    except FileNotFoundError:
        return None


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
    paragraph = int_value(paragraphs[0]) if paragraphs else None  # type: ignore[arg-type]
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
        by_subject[t.subject.value].append(t)
    found = [_statement_from(n, by_subject[n]) for n in nodes]
    statements = [s for s in found if s is not None]
    return sorted(statements, key=lambda s: (min((e.paragraph or 0 for e in s.evidence), default=0), s.iri))


__all__ = ["Paragraph", "Statement", "article_text", "read_statement", "sentence_anchor", "split_sentences",
           "statements_from"]
