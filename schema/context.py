"""The per-request context: the graph, whether the caller may write, and the DataLoaders.

Loaders are built per request (never at module level), so one request's cache cannot
leak into another's and a write is seen by the next request.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from ..graph import Direction, Entity, KnowledgeGraph, QueryTooLarge, Relation
from ..graph.model import iri_of
from ..graph.reads import PageRequest, RelationPage

RelationKey = tuple[str, tuple[str, ...] | None, Direction]
# (entity IRI, predicate IRIs or None, direction, sort key to start after, page size)
PageKey = tuple[str, frozenset[str] | None, Direction, str | None, int]

# How many entities and relations one request may materialise before it is refused;
# depth and `first` limits alone still allow 100 × 100 × 100 fan-out.
DEFAULT_RESULT_BUDGET = 20_000


@dataclass
class Budget:
    remaining: int

    def spend(self, count: int) -> None:
        self.remaining -= count
        if self.remaining < 0:
            raise QueryTooLarge("the query asks for too many objects in all; ask for fewer "
                                "items per list or less nesting")


@dataclass
class Context:
    kg: KnowledgeGraph
    authorized: bool = False
    entities: DataLoader[str, Entity | None] = field(init=False)
    relations: DataLoader[RelationKey, list[Relation]] = field(init=False)
    pages: DataLoader[PageKey, RelationPage] = field(init=False)
    budget: Budget = field(default_factory=lambda: Budget(DEFAULT_RESULT_BUDGET))

    def __post_init__(self) -> None:
        kg = self.kg

        # Graph calls run in worker threads, never on the event loop: they take the graph's
        # lock, which a long neighbourhood or a write may hold for a while, and waiting for
        # it on the loop would stall every other request, /healthz included.
        async def load_entities(ids: list[str]) -> list[Entity | None]:
            iris = [iri_of(i) for i in ids]
            cached = kg.peek_entities(iris)  # cached and unchanged: no hop
            return cached if cached is not None else await asyncio.to_thread(kg.cached_entities, iris)

        def relations_of(keys: list[RelationKey]) -> list[list[Relation]]:
            # One graph call per (predicates, direction) group, not one per entity.
            groups: dict[tuple[tuple[str, ...] | None, Direction], list[int]] = defaultdict(list)
            for index, (_, predicates, direction) in enumerate(keys):
                groups[(predicates, direction)].append(index)
            results: list[list[Relation]] = [[] for _ in keys]
            for (predicates, direction), indexes in groups.items():
                found = kg.relations_many([keys[i][0] for i in indexes], predicates, direction)
                for i, relations in zip(indexes, found, strict=True):
                    results[i] = relations
            return results

        async def load_relations(keys: list[RelationKey]) -> list[list[Relation]]:
            return await asyncio.to_thread(relations_of, keys)

        async def load_pages(keys: list[PageKey]) -> list[RelationPage]:
            # One graph call for every `relations` page of the batch: the pages, their
            # evidence and the entities they mention (see graph/reads.py). Pages read
            # cached and unchanged never get here (``page_now``).
            return await asyncio.to_thread(kg.relation_pages, [PageRequest(*key) for key in keys])

        self.entities = DataLoader(load_fn=load_entities)
        self.pages = DataLoader(load_fn=load_pages)
        self.relations = DataLoader(load_fn=load_relations)

    # A value cached and unchanged since it was read is returned as it is, so graphql-core completes it
    # in the same step: each await (a DataLoader batch, a turn of the event loop) costs more
    # than a small page's fields. Only what is not cached goes through the loaders, batched.

    def entity_now(self, iri: str) -> Entity | Awaitable[Entity | None] | None:
        """The entity (None if unknown) when it is cached and unchanged, else an
        awaitable from the entity loader."""
        cached = self.kg.peek_entities([iri])
        return cached[0] if cached is not None else self.entities.load(iri)

    def page_now(self, key: PageKey) -> RelationPage | Awaitable[RelationPage]:
        """The page when all it shows is cached and unchanged, else an awaitable
        from the page loader."""
        cached = self.kg.cached_relation_pages([PageRequest(*key)])
        return cached[0] if cached is not None else self.pages.load(key)

    @classmethod
    def for_request(cls, kg: KnowledgeGraph, authorized: bool = False) -> Context:
        return cls(kg=kg, authorized=authorized)


__all__ = ["Context", "PageKey", "RelationKey"]
