"""GraphQL types for facts between entities and the evidence behind them.

A page of ``relations`` comes from one prefetching graph call (``graph/reads.py``): the
page, its evidence and every entity it mentions. The ends and the evidence's article are
then plain attribute reads, with no await per item; relations that come from elsewhere
(traversal, mutations) load their ends through the DataLoader instead.
"""

from __future__ import annotations

from collections.abc import Awaitable
from enum import Enum
from inspect import isawaitable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLResolveInfo

from ..graph import model
from ..graph.model import slug_of
from ..graph.reads import RelationPage, fact_key
from .pagination import Connection, Edge, PageInfo, check_first, decode_cursor, encode_cursor
from .plain import PLAIN, replaced, views_of

if TYPE_CHECKING:
    from .entities import Entity


@strawberry.enum(description="Which way a relation is followed, seen from an entity.")
class Direction(Enum):
    OUTGOING = strawberry.enum_value("OUTGOING", description="The entity is the fact's subject (`Nvidia` makes H20).")
    INCOMING = strawberry.enum_value("INCOMING", description="The entity is the fact's object (H20 is made by Nvidia).")
    BOTH = strawberry.enum_value("BOTH", description="Either way.")

    def plain(self) -> model.Direction:
        return model.Direction(self.value)


async def _load(info: Any, iri: str) -> Entity:
    found = await info.context.entities.load(iri)
    return views_of(info).view_or_resource(iri, found)


def _end(info: Any, iri: str, ends: dict[str, model.Entity | None] | None) -> Any:
    if ends is not None and iri in ends:
        return views_of(info).view_or_resource(iri, ends[iri])
    return _load(info, iri)


def _evidence_source(source: Any, info: GraphQLResolveInfo) -> Any:
    return _end(info, source._evidence.source, source._ends)


@strawberry.type(description="The sentence a fact was taken from.")
class Evidence:
    _evidence: strawberry.Private[model.Evidence]
    _ends: strawberry.Private[dict[str, model.Entity | None] | None] = None

    @strawberry.field(description="The sentence, copied verbatim from the source article.",
                      metadata={PLAIN: lambda source, info: source._evidence.text})
    def text(self) -> str:
        return replaced()

    @strawberry.field(description="Language of the sentence (BCP 47), e.g. `ja`.",
                      metadata={PLAIN: lambda source, info: source._evidence.lang})
    def lang(self) -> str | None:
        return replaced()

    @strawberry.field(description="1-based paragraph of the article the sentence is in (0 is the title).",
                      metadata={PLAIN: lambda source, info: source._evidence.paragraph})
    def paragraph(self) -> int | None:
        return replaced()

    @strawberry.field(description="How the article attributes the fact (ckg:attribution): `stated`, `reported` "
                                  "(報じられています, or relayed from someone's account), `expected`, `suggested` or "
                                  "`believed`; null if the statement does not say.",
                      metadata={PLAIN: lambda source, info: source._evidence.attribution})
    def attribution(self) -> str | None:
        return replaced()

    @strawberry.field(description="IRI of the rdf:Statement that records this evidence.",
                      metadata={PLAIN: lambda source, info: source._evidence.statement})
    def statement_iri(self) -> str:
        return replaced()

    @strawberry.field(description="The article the sentence comes from (an `Article`).",
                      metadata={PLAIN: _evidence_source})
    def source(self) -> Annotated[Entity, strawberry.lazy(".entities")]:
        return replaced()


def _evidence(source: Any, info: GraphQLResolveInfo) -> list[Evidence]:
    ends = source._ends
    return [Evidence(_evidence=e, _ends=ends) for e in source._relation.evidence]


@strawberry.type(description="A fact linking two entities, with the evidence for it.")
class Relation:
    _relation: strawberry.Private[model.Relation]
    _ends: strawberry.Private[dict[str, model.Entity | None] | None] = None

    @strawberry.field(description="The predicate's local name, e.g. `makes`.",
                      metadata={PLAIN: lambda source, info: source._relation.predicate.rsplit("#", 1)[-1]})
    def predicate(self) -> str:
        return replaced()

    @strawberry.field(description="The predicate's full IRI.",
                      metadata={PLAIN: lambda source, info: source._relation.predicate})
    def predicate_iri(self) -> str:
        return replaced()

    @strawberry.field(description="OUTGOING if the entity asked about is the source, INCOMING if the target.",
                      metadata={PLAIN: lambda source, info: Direction(source._relation.direction.value)})
    def direction(self) -> Direction:
        return replaced()

    @strawberry.field(description="The subject of the fact as stated (`Nvidia` in `Nvidia makes H20`).",
                      metadata={PLAIN: lambda source, info: _end(info, source._relation.subject, source._ends)})
    def source(self) -> Annotated[Entity, strawberry.lazy(".entities")]:
        return replaced()

    @strawberry.field(description="The object of the fact as stated (`H20` in `Nvidia makes H20`).",
                      metadata={PLAIN: lambda source, info: _end(info, source._relation.object, source._ends)})
    def target(self) -> Annotated[Entity, strawberry.lazy(".entities")]:
        return replaced()

    @strawberry.field(description="Id of the source, without loading it.",
                      metadata={PLAIN: lambda source, info: slug_of(source._relation.subject)})
    def source_id(self) -> strawberry.ID:
        return replaced()

    @strawberry.field(description="Id of the target, without loading it.",
                      metadata={PLAIN: lambda source, info: slug_of(source._relation.object)})
    def target_id(self) -> strawberry.ID:
        return replaced()

    @strawberry.field(description="Every sentence this fact was taken from.", metadata={PLAIN: _evidence})
    def evidence(self) -> list[Evidence]:
        return replaced()

    @strawberry.field(description="What the action was about (ckg:concerning): the CAC summoned Nvidia over the "
                                  "H20 and its security concerns.")
    async def concerning(self, info: strawberry.Info) -> list[Annotated[Entity, strawberry.lazy(".entities")]]:
        return [await _load(info, iri) for iri in self._relation.concerning]

    @strawberry.field(description="What the action came right after, where the article gives the order "
                                  "(ckg:shortlyAfter): the summons came right after the H20 sales permission.")
    async def shortly_after(self, info: strawberry.Info) -> list[Annotated[Entity, strawberry.lazy(".entities")]]:
        return [await _load(info, iri) for iri in self._relation.shortly_after]


RelationConnection = Connection[Relation]


def relation_key(relation: model.Relation) -> str:
    return fact_key(relation.key)


def page_connection(info: Any, page: RelationPage) -> Connection[Relation]:
    """A ``RelationConnection`` over a prefetched page."""
    info.context.budget.spend(len(page.relations))
    edges = [Edge(cursor=encode_cursor(fact_key(r.key)), node=Relation(_relation=r, _ends=page.entities))
             for r in page.relations]
    return Connection(edges=edges, total_count=page.total, page_info=PageInfo(
        has_next_page=page.has_next, has_previous_page=page.has_previous,
        start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None))


def relation_page(info: Any, iri: str, predicate: list[str] | None, direction: model.Direction,
                  first: int | None, after: str | None) -> Connection[Relation] | Awaitable[Connection[Relation]]:
    """The page of an entity's facts: at once when all it shows was read since the last
    write, else through the per-request page loader (batched across entities)."""
    kg = info.context.kg
    predicates = frozenset(kg.predicate_iri(p) for p in predicate) if predicate else None
    size = check_first(first)
    marker = decode_cursor(after) if after is not None else None
    page = info.context.page_now((iri, predicates, direction, marker, size))
    return _connection_when_loaded(info, page) if isawaitable(page) else page_connection(info, page)


async def _connection_when_loaded(info: Any, page: Awaitable[RelationPage]) -> Connection[Relation]:
    return page_connection(info, await page)


__all__ = ["Direction", "Evidence", "Relation", "RelationConnection", "page_connection", "relation_key",
           "relation_page"]
