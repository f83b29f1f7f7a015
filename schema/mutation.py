"""The ``Mutation`` root: guarded, validated, atomic writes.

Every mutation checks the bearer token first (no token configured means writes are off),
then hands the write to the graph layer, which validates it against the ontology and the
shapes before changing anything.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from ..graph import Unauthenticated
from ..graph.model import LangString as PlainLangString
from ..graph.vocab import SCHEMA
from .entities import Entity, as_graphql
from .relations import Relation


@strawberry.input(description="A string with its language tag.")
class LangStringInput:
    value: str = strawberry.field(description="The text.")
    lang: str | None = strawberry.field(default=None, description="BCP 47 tag, e.g. `en`.")


@strawberry.input(description="A new entity. Its id is minted from the English label unless given.")
class AddEntityInput:
    type: str = strawberry.field(description="Ontology class local name, e.g. `Company`.")
    label: str = strawberry.field(description="English label.")
    label_ja: str = strawberry.field(description="Japanese label.")
    id: strawberry.ID | None = strawberry.field(default=None, description="Kebab-case id; minted if absent.")
    aliases: list[LangStringInput] = strawberry.field(default_factory=list, description="skos:altLabel values.")
    job_titles: list[LangStringInput] = strawberry.field(default_factory=list,
                                                         description="schema:jobTitle values, for people.")


@strawberry.input(description="A fact with the sentence it came from.")
class AddFactInput:
    subject: strawberry.ID = strawberry.field(description="Id of the subject entity.")
    predicate: str = strawberry.field(description="Object-property local name, e.g. `makes`.")
    object: strawberry.ID = strawberry.field(description="Id of the object entity.")
    evidence: str = strawberry.field(description="The sentence, verbatim from the source article.")
    source: strawberry.ID = strawberry.field(description="Id of the source article.")
    paragraph: int | None = strawberry.field(default=None, description="The paragraph of the sentence: the line "
                                                                        "of the article's text, 0 being the title.")
    lang: str | None = strawberry.field(default=None, description="Language of the sentence; defaults to the "
                                                                   "article's.")


@strawberry.input(description="A new article: its text and, in Turtle, the facts taken from it.")
class AddArticleInput:
    text: str = strawberry.field(description="The article's text, verbatim: one paragraph a line, the title first.")
    facts: str = strawberry.field(default="", description="Turtle: the article (a ckg:Article with a dcterms:title "
                                                          "and dcterms:language), the entities, the facts and their "
                                                          "statements, whose evidence must be sentences of the text.")
    id: strawberry.ID | None = strawberry.field(default=None, description="The article's id, if the facts describe "
                                                                          "none or several, or it is already in the "
                                                                          "graph without a text.")
    lang: str | None = strawberry.field(default=None, description="The text's language; defaults to the "
                                                                   "article's dcterms:language.")


@strawberry.type(description="What a removal changed.")
class RemoveFactPayload:
    removed_triples: int = strawberry.field(description="Triples removed: the fact and its statements.")


def _require_token(info: strawberry.Info) -> None:
    if not info.context.authorized:
        raise Unauthenticated("writes need the configured bearer token (Authorization: Bearer …); "
                              "with no token configured, writes are off")


def _plain(values: list[LangStringInput]) -> list[PlainLangString]:
    return [PlainLangString(v.value, v.lang) for v in values]


@strawberry.type(description="Writes; each needs the bearer token and is checked against the ontology and shapes.")
class Mutation:
    @strawberry.mutation(description="Add an entity with English and Japanese labels.")
    async def add_entity(self, info: strawberry.Info,
                         input: Annotated[AddEntityInput,
                                          strawberry.argument(description="The entity to add.")]) -> Entity:
        _require_token(info)
        kg = info.context.kg
        attributes = {str(SCHEMA.jobTitle): _plain(input.job_titles)} if input.job_titles else None
        entity = await asyncio.to_thread(kg.add_entity, input.type, input.label, input.label_ja,
                                         entity_id=input.id, alt_labels=_plain(input.aliases),
                                         attributes=attributes)
        return as_graphql(info, entity)

    @strawberry.mutation(description="State a fact between two entities with its evidence sentence and source.")
    async def add_fact(self, info: strawberry.Info,
                       input: Annotated[AddFactInput,
                                        strawberry.argument(description="The fact and its evidence.")]) -> Relation:
        _require_token(info)
        relation = await asyncio.to_thread(
            info.context.kg.add_fact, input.subject, input.predicate, input.object, evidence=input.evidence,
            source_id=input.source, paragraph=input.paragraph, lang=input.lang)
        return Relation(_relation=relation)

    @strawberry.mutation(description="Add an article's text with the facts taken from it, in one checked write: "
                                     "every evidence must be one of the text's sentences, in the paragraph it names.")
    async def add_article(self, info: strawberry.Info,
                          input: Annotated[AddArticleInput,
                                           strawberry.argument(description="The article and its facts.")]) -> Entity:
        _require_token(info)
        entity = await asyncio.to_thread(info.context.kg.add_article, input.text, input.facts,
                                         article_id=input.id, lang=input.lang)
        return as_graphql(info, entity)

    @strawberry.mutation(description="Remove a fact and the statements that record its evidence.")
    async def remove_fact(self, info: strawberry.Info,
                          subject: Annotated[strawberry.ID, strawberry.argument(description="Id of the subject.")],
                          predicate: Annotated[str, strawberry.argument(description="Predicate local name.")],
                          object: Annotated[strawberry.ID,
                                            strawberry.argument(description="Id of the object.")]) -> RemoveFactPayload:
        _require_token(info)
        result = await asyncio.to_thread(info.context.kg.remove_fact, subject, predicate, object)
        return RemoveFactPayload(removed_triples=result.removed)


__all__ = ["Mutation"]
