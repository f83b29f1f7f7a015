"""GraphQL types for traversal results: neighbourhood subgraphs and paths."""

from __future__ import annotations

import asyncio

import strawberry

from ..graph import model
from .entities import Entity, as_graphql
from .relations import Relation


async def _entities(info: strawberry.Info, iris: tuple[str, ...]) -> list[Entity]:
    found = await info.context.entities.load_many(list(iris))
    info.context.budget.spend(len(found))
    return [as_graphql(info, e if e is not None else model.Entity(iri=i, types=(), labels=()))
            for i, e in zip(iris, found, strict=True)]


@strawberry.type(description="A bounded neighbourhood: entities, the facts among them, and the same as Turtle.")
class Subgraph:
    _subgraph: strawberry.Private[model.Subgraph]

    @strawberry.field(description="Every entity in the neighbourhood, the centre included, sorted by IRI.")
    async def nodes(self, info: strawberry.Info) -> list[Entity]:
        return await _entities(info, self._subgraph.nodes)

    @strawberry.field(description="The facts walked, each with its evidence.")
    def edges(self, info: strawberry.Info) -> list[Relation]:
        info.context.budget.spend(len(self._subgraph.edges))
        return [Relation(_relation=r) for r in self._subgraph.edges]

    @strawberry.field(description="The subgraph as deterministic Turtle: the entities' labels and types, the "
                                  "facts, their rdf:Statements and the source articles.")
    async def turtle(self, info: strawberry.Info) -> str:
        kg = info.context.kg
        from ..graph.export import serialize

        def write() -> str:  # reads under the graph's lock and serialises: off the event loop
            return serialize(kg.describe(self._subgraph.nodes, self._subgraph.edges), "turtle").decode("utf-8")

        return await asyncio.to_thread(write)


@strawberry.type(description="A simple path between two entities; `edges[i]` joins `nodes[i]` and `nodes[i+1]`.")
class Path:
    _path: strawberry.Private[model.Path]

    @strawberry.field(description="Number of hops.")
    def length(self) -> int:
        return self._path.length

    @strawberry.field(description="The entities along the path, from start to end.")
    async def nodes(self, info: strawberry.Info) -> list[Entity]:
        return await _entities(info, self._path.nodes)

    @strawberry.field(description="The fact behind each hop, in the direction it was stated.")
    def edges(self) -> list[Relation]:
        return [Relation(_relation=r) for r in self._path.edges]


__all__ = ["Path", "Subgraph"]
