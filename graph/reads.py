"""Prefetching reads for the GraphQL layer: a page of facts with just what it shows.

A ``relations`` page used to read the evidence of every fact of an entity (a hub has
thousands) and then load each end through its own awaited DataLoader call. Here one call
under the graph's lock picks the page first, reads evidence for that page only, then
reads every entity the page mentions (both ends and the articles) in one batched read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .model import Direction, Entity, Relation
from .projection import Fact

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph


@dataclass(frozen=True)
class PageRequest:
    """Which facts of ``iri`` to page through; ``after`` is the sort key of the last fact seen."""

    iri: str
    predicates: frozenset[str] | None
    direction: Direction
    after: str | None
    size: int


@dataclass(frozen=True)
class RelationPage:
    """One page of facts in key order, each with its evidence, and the entities it mentions."""

    relations: tuple[Relation, ...]
    total: int
    has_previous: bool
    has_next: bool
    entities: dict[str, Entity | None]


class EntityCache:
    """Entities read since the last write, so the ends of one page and the next are read once.

    Keyed on the graph's ``version`` (bumped by every write): the first read after a write
    empties it. Bounded: past ``limit`` entities it starts again. Safe for readers that take no lock.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        # Each entry carries the version it was read at and is served for that version
        # only: readers take no lock (see seqlock.py), so an entry read while a commit ran
        # may land after a newer reader's; tagging it keeps it from being served as current.
        self._found: dict[str, tuple[int, Entity | None]] = {}

    def read(self, kg: KnowledgeGraph, iris: Sequence[str]) -> list[Entity | None]:
        version = kg.version
        found = self._found
        missing = [i for i in dict.fromkeys(iris) if found.get(i, (None,))[0] != version]
        if missing:
            if len(found) + len(missing) > self._limit:
                found.clear()
            for iri, entity in zip(missing, kg._read_entities(missing), strict=True):
                found[iri] = (version, entity)
        return [found[i][1] if i in found else kg._read_entities([i])[0] for i in iris]

    def peek(self, version: int, iris: Sequence[str]) -> list[Entity | None] | None:
        """The entities if all are cached for ``version``, else None: a cached read costs
        no thread hop (dict reads are atomic)."""
        found = self._found
        out = []
        for iri in iris:
            entry = found.get(iri)
            if entry is None or entry[0] != version:
                return None
            out.append(entry[1])
        return out

    def clear(self) -> None:
        self._found.clear()


def cached_entities(kg: KnowledgeGraph, iris: Sequence[str]) -> list[Entity | None]:
    """``kg.entities`` through the graph's entity cache."""
    return kg._gate.read(lambda: kg.entity_cache.read(kg, iris))


def fact_key(fact: Fact) -> str:
    """The sort and cursor key of a fact; ``\\x1f`` sorts below any IRI character, so key
    order is ``(subject, predicate, object)`` order."""
    return "\x1f".join(fact)


def _page(facts: list[Fact], after: str | None, size: int) -> tuple[list[Fact], int]:
    start = 0
    if after is not None:
        start = next((i for i, f in enumerate(facts) if fact_key(f) > after), len(facts))
    return facts[start:start + size], start


def relation_pages(kg: KnowledgeGraph, requests: Sequence[PageRequest]) -> list[RelationPage]:
    """A page for each request, from one traversal pass, one evidence read and one entity read."""
    def read() -> tuple[list[tuple[list[Fact], int, int]], dict, dict[str, Entity | None]]:
        chosen: list[tuple[list[Fact], int, int]] = []
        for request in requests:
            facts = sorted(set(kg.projection.facts_of(request.iri, request.direction, request.predicates)))
            page, start = _page(facts, request.after, request.size)
            chosen.append((page, start, len(facts)))
        evidence = kg._evidence(f for page, _, _ in chosen for f in page)
        mentioned = {iri for page, _, _ in chosen for s, _, o in page for iri in (s, o)}
        mentioned |= {e.source for found in evidence.values() for e in found}
        ordered = sorted(mentioned)
        return chosen, evidence, dict(zip(ordered, kg.entity_cache.read(kg, ordered), strict=True))

    chosen, evidence, entities = kg._gate.read(read)
    pages = []
    for request, (page, start, total) in zip(requests, chosen, strict=True):
        relations = tuple(Relation(s, p, o, Direction.OUTGOING if s == request.iri else Direction.INCOMING,
                                   evidence[(s, p, o)]) for s, p, o in page)
        pages.append(RelationPage(relations, total, start > 0, start + len(page) < total, entities))
    return pages


def facts_with(kg: KnowledgeGraph, predicate: str, after: str | None, size: int) -> RelationPage:
    """A page of every fact stated with ``predicate`` (an IRI) across the graph."""
    def read() -> tuple[list[Fact], list[Fact], int, dict, dict[str, Entity | None]]:
        facts = sorted({(t.subject.value, predicate, t.object.value)
                        for t in kg.store.triples(None, ox.NamedNode(predicate), None)
                        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)})
        page, start = _page(facts, after, size)
        evidence = kg._evidence(page)
        mentioned = sorted({iri for s, _, o in page for iri in (s, o)}
                           | {e.source for found in evidence.values() for e in found})
        return facts, page, start, evidence, dict(zip(mentioned, kg.entity_cache.read(kg, mentioned), strict=True))

    facts, page, start, evidence, entities = kg._gate.read(read)
    relations = tuple(Relation(s, p, o, Direction.OUTGOING, evidence[(s, p, o)]) for s, p, o in page)
    return RelationPage(relations, len(facts), start > 0, start + len(page) < len(facts), entities)




def article_relations(kg: KnowledgeGraph, article: str) -> list[Relation]:
    """Every fact with evidence from ``article`` (an IRI), each with all its evidence."""
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    parts = [ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#" + p)
             for p in ("subject", "predicate", "object")]
    def read() -> list[Relation]:
        statements = [t.subject for t in kg.store.triples(None, derived, ox.NamedNode(article))
                      if isinstance(t.subject, ox.NamedNode)]
        found: dict[str, dict[str, str]] = {}
        for t in kg.store.triples_of(statements):
            if t.predicate in parts and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
                found.setdefault(t.subject.value, {})[t.predicate.value.rsplit("#", 1)[-1]] = t.object.value
        facts = {(f["subject"], f["predicate"], f["object"]) for f in found.values() if len(f) == 3}
        return kg._relations(facts)

    return kg._gate.read(read)


__all__ = ["EntityCache", "PageRequest", "RelationPage", "article_relations", "cached_entities", "fact_key",
           "facts_with", "relation_pages"]
