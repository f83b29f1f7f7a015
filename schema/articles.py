"""An article's text and its sentences, each with the facts taken from it.

The text is data in the graph (``ckg:text`` on the article, written by ``addArticle``
and ``chipkg ingest``): one paragraph a line, the title first (paragraph 0). Its
sentences are cut by the graph layer's splitter, the one that wrote the article's
``ckg:Sentence`` resources, so each keeps the index in its id.
"""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from graphql import GraphQLResolveInfo

from ..graph import model
from ..graph.articles import article_text, sentence_iri, split_sentences
from .plain import PLAIN, replaced
from .relations import Relation


def sentences_of(text: str) -> list[tuple[int, int, str]]:
    """(index, paragraph, sentence) for every sentence; the index counts from 0 over the article.
    The graph layer's splitter, which keeps 「…。…」 whole: evidence is cut the same way."""
    found: list[tuple[int, int, str]] = []
    for paragraph in split_sentences(text):
        for sentence in paragraph.sentences:
            found.append((len(found), paragraph.number, sentence))
    return found


@strawberry.type(description="One sentence of an article, with the facts whose evidence it is.")
class Sentence:
    id: strawberry.ID = strawberry.field(description="The sentence's IRI: its article's, with #sentence-INDEX.")
    index: int = strawberry.field(description="0-based position of the sentence in the whole article.")
    paragraph: int = strawberry.field(description="The paragraph it is in (0 is the title).")
    text: str = strawberry.field(description="The sentence, verbatim.")
    facts: list[Relation] = strawberry.field(description="Facts this sentence is the evidence for.")


def _text(source: Any, info: GraphQLResolveInfo) -> str | None:
    return article_text(source._entity)


async def _sentences(source: Any, info: GraphQLResolveInfo) -> list[Sentence]:
    text = article_text(source._entity)
    if text is None:
        return []
    iri = source._entity.iri
    relations = await asyncio.to_thread(info.context.kg.article_relations, iri)
    by_sentence: dict[tuple[int | None, str], list[model.Relation]] = {}
    for relation in relations:
        for evidence in relation.evidence:
            if evidence.source == iri:
                by_sentence.setdefault((evidence.paragraph, evidence.text), []).append(relation)
    found = []
    for index, paragraph, sentence in sentences_of(text):
        facts = by_sentence.get((paragraph, sentence), []) + by_sentence.get((None, sentence), [])
        info.context.budget.spend(1 + len(facts))
        found.append(Sentence(id=strawberry.ID(sentence_iri(iri, index)), index=index, paragraph=paragraph,
                              text=sentence, facts=[Relation(_relation=r) for r in facts]))
    return found


def article_fields() -> dict[str, Any]:
    """The fields an ``Article`` type gets beside the ontology's: its text and sentences."""

    @strawberry.field(description="The article's full text (ckg:text); null if it has none.",
                      metadata={PLAIN: _text})
    def text(self: Any) -> str | None:
        return replaced()

    @strawberry.field(description="The article's sentences in order, each with the facts taken from it.",
                      metadata={PLAIN: _sentences})
    def sentences(self: Any) -> list[Sentence]:
        return replaced()

    return {"text": text, "sentences": sentences}


__all__ = ["Sentence", "article_fields", "article_text", "sentences_of"]
