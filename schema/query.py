"""The ``Query`` root: lookups, lists, search and traversal."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from ..graph.model import iri_of
from ..graph.vocab import ONTOLOGY_IRI, compact
from .entities import Chip, Company, Entity, Person, Policy, Regulator, as_graphql
from .ontology import Count, Ontology, Stats, ontology_of
from .arguments import After, EntityId, First, Predicates
from .pagination import Connection, Edge, check_first, paginate
from .relations import Direction
from .traversal import Path, Subgraph


async def _class_page(info: strawberry.Info, class_name: str, first: int | None, after: str | None) -> Connection:
    iris = await asyncio.to_thread(info.context.kg.instances, class_name)
    page, page_info, total = paginate(iris, lambda iri: iri, first, after)
    found = await info.context.entities.load_many([iri for _, iri in page])
    info.context.budget.spend(len(found))
    return Connection(edges=[Edge(cursor=c, node=as_graphql(e)) for (c, _), e in zip(page, found) if e],
                      page_info=page_info, total_count=total)


@strawberry.type(description="Questions about AI-chip companies, chips, regulators, policies and people.")
class Query:
    @strawberry.field(description="One entity by id (`nvidia`), `ckr:` name or IRI; null if unknown.")
    async def entity(self, info: strawberry.Info, id: EntityId) -> Entity | None:
        found = await info.context.entities.load(iri_of(id))
        return as_graphql(found) if found is not None else None

    @strawberry.field(description="Entities whose labels or aliases contain `text`, in any language, ignoring "
                                  "case and full/half width; exact matches first. `types` are class names.")
    async def search(self, info: strawberry.Info,
                     text: Annotated[str, strawberry.argument(description="Text to look for in labels and aliases.")],
                     types: Annotated[list[str] | None, strawberry.argument(
                         description="Only entities of these classes (local names, e.g. `Company`).")] = None,
                     first: First = 10) -> list[Entity]:
        limit = check_first(first, default=10)
        found = await asyncio.to_thread(info.context.kg.search, text, types, limit)
        return [as_graphql(e) for e in found]

    @strawberry.field(description="Companies, paged.")
    async def companies(self, info: strawberry.Info, first: First = 20, after: After = None) -> Connection[Company]:
        return await _class_page(info, "Company", first, after)

    @strawberry.field(description="Chips, paged.")
    async def chips(self, info: strawberry.Info, first: First = 20, after: After = None) -> Connection[Chip]:
        return await _class_page(info, "Chip", first, after)

    @strawberry.field(description="Regulators and governments, paged.")
    async def regulators(self, info: strawberry.Info, first: First = 20, after: After = None) -> Connection[Regulator]:
        return await _class_page(info, "Regulator", first, after)

    @strawberry.field(description="Policies, paged.")
    async def policies(self, info: strawberry.Info, first: First = 20, after: After = None) -> Connection[Policy]:
        return await _class_page(info, "Policy", first, after)

    @strawberry.field(description="People, paged.")
    async def people(self, info: strawberry.Info, first: First = 20, after: After = None) -> Connection[Person]:
        return await _class_page(info, "Person", first, after)

    @strawberry.field(description="Instances of any ontology class (`Organization`, `Place`, `Quote` …), paged.")
    async def entities(self, info: strawberry.Info,
                       type: Annotated[str, strawberry.argument(description="Class local name, e.g. `Place`.")],
                       first: First = 20, after: After = None) -> Connection[Entity]:
        return await _class_page(info, type, first, after)

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
    async def paths(self, info: strawberry.Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from", description="Id of the start entity.")],
                    to: Annotated[strawberry.ID, strawberry.argument(description="Id of the end entity.")],
                    max_length: Annotated[int, strawberry.argument(description="Most hops per path, 1 to 6.")] = 4,
                    first: Annotated[int, strawberry.argument(description="Most paths to return, 1 to 10.")] = 3) -> list[Path]:
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
