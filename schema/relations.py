"""GraphQL types for facts between entities and the evidence behind them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from ..graph import model
from ..graph.model import slug_of
from .pagination import Connection

if TYPE_CHECKING:
    from .entities import Article, Entity

@strawberry.enum(description="Which way a relation is followed, seen from an entity.")
class Direction(Enum):
    OUTGOING = strawberry.enum_value("OUTGOING", description="The entity is the fact's subject (`Nvidia` makes H20).")
    INCOMING = strawberry.enum_value("INCOMING", description="The entity is the fact's object (H20 is made by Nvidia).")
    BOTH = strawberry.enum_value("BOTH", description="Either way.")

    def plain(self) -> model.Direction:
        return model.Direction(self.value)


@strawberry.type(description="The sentence a fact was taken from.")
class Evidence:
    _evidence: strawberry.Private[model.Evidence]

    @strawberry.field(description="The sentence, copied verbatim from the source article.")
    def text(self) -> str:
        return self._evidence.text

    @strawberry.field(description="Language of the sentence (BCP 47), e.g. `ja`.")
    def lang(self) -> str | None:
        return self._evidence.lang

    @strawberry.field(description="1-based paragraph of the article the sentence is in (0 is the title).")
    def paragraph(self) -> int | None:
        return self._evidence.paragraph

    @strawberry.field(description="How the article attributes the fact (ckg:attribution): `stated`, `reported` "
                                  "(報じられています, or relayed from someone's account), `expected`, `suggested` or "
                                  "`believed`; null if the statement does not say.")
    def attribution(self) -> str | None:
        return self._evidence.attribution

    @strawberry.field(description="IRI of the rdf:Statement that records this evidence.")
    def statement_iri(self) -> str:
        return self._evidence.statement

    @strawberry.field(description="The article the sentence comes from.")
    async def source(self, info: strawberry.Info) -> Annotated["Article", strawberry.lazy(".entities")]:
        from .entities import as_graphql

        found = await info.context.entities.load(self._evidence.source)
        return as_graphql(found)  # type: ignore[return-value]


@strawberry.type(description="A fact linking two entities, with the evidence for it.")
class Relation:
    _relation: strawberry.Private[model.Relation]

    @strawberry.field(description="The predicate's local name, e.g. `makes`.")
    def predicate(self) -> str:
        return self._relation.predicate.rsplit("#", 1)[-1]

    @strawberry.field(description="The predicate's full IRI.")
    def predicate_iri(self) -> str:
        return self._relation.predicate

    @strawberry.field(description="OUTGOING if the entity asked about is the source, INCOMING if the target.")
    def direction(self) -> Direction:
        return Direction(self._relation.direction.value)

    @strawberry.field(description="The subject of the fact as stated (`Nvidia` in `Nvidia makes H20`).")
    async def source(self, info: strawberry.Info) -> Annotated["Entity", strawberry.lazy(".entities")]:
        return await _load(info, self._relation.subject)

    @strawberry.field(description="The object of the fact as stated (`H20` in `Nvidia makes H20`).")
    async def target(self, info: strawberry.Info) -> Annotated["Entity", strawberry.lazy(".entities")]:
        return await _load(info, self._relation.object)

    @strawberry.field(description="Id of the source, without loading it.")
    def source_id(self) -> strawberry.ID:
        return strawberry.ID(slug_of(self._relation.subject))

    @strawberry.field(description="Id of the target, without loading it.")
    def target_id(self) -> strawberry.ID:
        return strawberry.ID(slug_of(self._relation.object))

    @strawberry.field(description="Every sentence this fact was taken from.")
    def evidence(self) -> list[Evidence]:
        return [Evidence(_evidence=e) for e in self._relation.evidence]

    @strawberry.field(description="What the action was about (ckg:concerning): the CAC summoned Nvidia over the "
                                  "H20 and its security concerns.")
    async def concerning(self, info: strawberry.Info) -> list[Annotated["Entity", strawberry.lazy(".entities")]]:
        return [await _load(info, iri) for iri in self._relation.concerning]

    @strawberry.field(description="What the action came right after, where the article gives the order "
                                  "(ckg:shortlyAfter): the summons came right after the H20 sales permission.")
    async def shortly_after(self, info: strawberry.Info) -> list[Annotated["Entity", strawberry.lazy(".entities")]]:
        return [await _load(info, iri) for iri in self._relation.shortly_after]


async def _load(info: strawberry.Info, iri: str) -> "Entity":
    from .entities import as_graphql

    found = await info.context.entities.load(iri)
    if found is None:  # a fact pointing at an untyped resource: show it rather than fail
        found = model.Entity(iri=iri, types=(), labels=())
    return as_graphql(found)


RelationConnection = Connection[Relation]


def relation_key(relation: model.Relation) -> str:
    return "\x1f".join(relation.key)


__all__ = ["Direction", "Evidence", "Relation", "RelationConnection", "relation_key"]
