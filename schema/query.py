"""The ``Query`` root: lookups, lists, search and traversal."""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import Annotated, Any

import strawberry

from ..graph.model import iri_of
from ..graph.vocab import ONTOLOGY_IRI, compact
from .arguments import After, EntityId, First, Predicates
from .entities import Entity, as_graphql
from .filters import EntityOrder, EntityWhere, order_key, ordered, select
from .ontology import Count, Ontology, Stats, ontology_of
from .pagination import Connection, Edge, check_first, decode_cursor, paginate
from .plain import PLAIN, enum_value, replaced, views_of
from .relations import Direction, Relation, page_connection
from .traversal import Path, Subgraph


async def class_page(info: Any, class_name: str, where: dict[str, Any] | None, order: Any,
                     first: int | None, after: str | None) -> Connection[Entity]:
    """A page of a class's instances; without ``where`` or a label order only the page is loaded."""
    kg = info.context.kg
    iris = await asyncio.to_thread(kg.instances, class_name)
    views = views_of(info)
    order = enum_value(order)
    if not where and order in (None, "ID_ASC"):
        page, page_info, total = paginate(iris, lambda iri: iri, first, after)
        found = await info.context.entities.load_many([iri for _, iri in page])
        info.context.budget.spend(len(found))
        return Connection(edges=[Edge(cursor=c, node=views.view(e))
                                 for (c, _), e in zip(page, found, strict=True) if e],
                          page_info=page_info, total_count=total)
    loaded = [e for e in await info.context.entities.load_many(iris) if e is not None]
    chosen = ordered(await select(info, loaded, where), order or "ID_ASC")
    key, descending = order_key(order)
    entities, page_info, total = paginate(chosen, key, first, after, descending)
    info.context.budget.spend(len(entities))
    return Connection(edges=[Edge(cursor=c, node=views.view(e)) for c, e in entities], page_info=page_info,
                      total_count=total)


def _entity(source: Any, info: Any, id: str) -> Any:
    """``Query.entity``: at once when the entity was read since the last write (plain resolver)."""
    found = info.context.entity_now(iri_of(id))
    return _view_when_loaded(info, found) if isawaitable(found) else _view(info, found)


def _view(info: Any, found: Any) -> Entity | None:
    return as_graphql(info, found) if found is not None else None


async def _view_when_loaded(info: Any, found: Any) -> Entity | None:
    return _view(info, await found)


def _plain_where(where: EntityWhere | None) -> dict[str, Any] | None:
    """A strawberry ``EntityWhere`` as the dict plain resolvers get."""
    if where is None:
        return None
    label = where.label
    return {"id": where.id, "type": where.type, "relatedTo": where.related_to,
            "label": None if label is None else {"eq": label.eq, "contains": label.contains,
                                                  "startsWith": label.starts_with}}


@strawberry.type(name="QueryBase", description="The Query fields that do not depend on the ontology's classes.")
class Query:
    @strawberry.field(description="One entity by id (`nvidia`), `ckr:` name or IRI; null if unknown.",
                      metadata={PLAIN: _entity})
    def entity(self, id: EntityId) -> Entity | None:
        return replaced()

    @strawberry.field(description="Entities whose labels or aliases contain `text`, in any language, ignoring "
                                  "case and full/half width; exact matches first. `types` are class names.")
    async def search(self, info: strawberry.Info,
                     text: Annotated[str, strawberry.argument(description="Text to look for in labels and aliases.")],
                     types: Annotated[list[str] | None, strawberry.argument(
                         description="Only entities of these classes (local names, e.g. `Company`).")] = None,
                     first: First = 10) -> list[Entity]:
        limit = check_first(first, default=10)
        found = await asyncio.to_thread(info.context.kg.search, text, types, limit)
        return [as_graphql(info, e) for e in found]

    @strawberry.field(description="Instances of any ontology class (`Organization`, `Place`, `Quote` …), paged.")
    async def entities(self, info: strawberry.Info,
                       type: Annotated[str, strawberry.argument(description="Class local name, e.g. `Place`.")],
                       where: Annotated[EntityWhere | None, strawberry.argument(
                           description="Keep only the entities that match.")] = None,
                       order_by: Annotated[EntityOrder | None, strawberry.argument(
                           description="Sort order; by IRI if omitted.")] = None,
                       first: First = 20, after: After = None) -> Connection[Entity]:
        return await class_page(info, type, _plain_where(where), order_by, first, after)

    @strawberry.field(description="Facts stated with one predicate across the whole graph, each with its "
                                  "evidence, in (subject, predicate, object) order; paged.")
    async def facts(self, info: strawberry.Info,
                    predicate: Annotated[str, strawberry.argument(description="Predicate local name, e.g. `makes`.")],
                    first: First = 20, after: After = None) -> Connection[Relation]:
        size = check_first(first)
        marker = decode_cursor(after) if after is not None else None
        page = await asyncio.to_thread(info.context.kg.facts, predicate, marker, size)
        return page_connection(info, page)

    @strawberry.field(description="Entities within `depth` hops of `id` and the facts between them, with evidence "
                                  "and as Turtle. `predicates` are local names; direction is relative to `id`.")
    async def neighborhood(self, info: strawberry.Info, id: EntityId,
                           depth: Annotated[int, strawberry.argument(description="Hops from the centre, 0 to 4.")] = 1,
                           predicates: Predicates = None,
                           direction: Annotated[Direction, strawberry.argument(
                               description="Follow facts OUTGOING from, INCOMING to, or BOTH ways.")] = Direction.BOTH,
                           ) -> Subgraph:
        # CPU-bound on big graphs: off the event loop so other clients keep being served.
        found = await asyncio.to_thread(info.context.kg.neighborhood, id, depth, predicates, direction.plain())
        return Subgraph(_subgraph=found)

    @strawberry.field(description="Up to `first` (≤ 10) simple paths of at most `maxLength` (≤ 6) hops between "
                                  "two entities, shortest first, following facts in either direction.")
    async def paths(self, info: strawberry.Info,
                    from_: Annotated[strawberry.ID,
                                     strawberry.argument(name="from", description="Id of the start entity.")],
                    to: Annotated[strawberry.ID, strawberry.argument(description="Id of the end entity.")],
                    max_length: Annotated[int, strawberry.argument(description="Most hops per path, 1 to 6.")] = 4,
                    first: Annotated[int, strawberry.argument(description="Most paths to return, 1 to 10.")] = 3,
                    ) -> list[Path]:
        found = await asyncio.to_thread(info.context.kg.paths, from_, to, max_length, first)
        return [Path(_path=p) for p in found]

    @strawberry.field(description="The ontology's classes and properties.")
    def ontology(self, info: strawberry.Info) -> Ontology:
        return ontology_of(info.context.kg.ontology_terms(), ONTOLOGY_IRI)

    @strawberry.field(description="Counts of triples, entities by class and triples by predicate.")
    async def stats(self, info: strawberry.Info) -> Stats:
        kg = info.context.kg
        stats = await asyncio.to_thread(kg.stats)
        return Stats(triples=stats.triples, entities=stats.entities, statements=stats.statements,
                     by_class=[Count(key=compact(k), count=v) for k, v in stats.by_class.items()],
                     by_predicate=[Count(key=compact(k), count=v) for k, v in stats.by_predicate.items()],
                     version=kg.version)


__all__ = ["Query"]
