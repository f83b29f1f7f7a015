"""Prefetching reads for the GraphQL layer: a page of facts with just what it shows.

A ``relations`` page used to read the evidence of every fact of an entity (a hub has
thousands) and then load each end through its own awaited DataLoader call. Here one call
under the graph's lock picks the page first, reads evidence for that page only, then
reads every entity the page mentions (both ends and the articles) in one batched read.

What was read is kept until a write changes it (``ReadCache``), so a page whose facts'
evidence and entities are all cached is assembled by ``cached_relation_pages`` from the
in-process projection and the cache alone: no store read, nothing that waits, cheap enough
for the event loop (a thread hop costs more than the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .model import Direction, Entity, Evidence, Relation
from .projection import Fact, Projection

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


class ReadCache:
    """Entities, and the evidence of facts, kept from one read to the next: the ends of one
    page and the next are read once, and a page read again needs no store read at all.

    Each entry carries the version it was read at. A write marks what it changed (the
    entities it wrote triples about, the facts whose statements it touched) with its new
    version, before readers can see that version; an entry is served to a reader at
    version ``v`` if it was read at or before ``v`` and nothing it holds changed since it
    was read. So a stream of writes to some entities leaves the others cached (issue 9:
    reads beside writes). A bulk load marks everything. ``strict`` (a store that other
    processes write to, whose changes nobody marks here) serves an entry only at the
    version it was read at. Bounded: past ``limit`` entries of a kind that kind starts
    again, and past ``limit`` marks every entry is dropped. Safe for readers that take no
    lock (see seqlock.py): an entry read while a commit ran is tagged with the version
    before it, which that commit's marks already cover.
    """

    def __init__(self, limit: int = 50_000, *, strict: bool = False) -> None:
        self._limit = limit
        self.strict = strict
        self._found: dict[str, tuple[int, Entity | None]] = {}
        self._evidence: dict[Fact, tuple[int, tuple[Evidence, ...]]] = {}
        self._changed: dict[str | Fact, int] = {}  # entity IRI or fact -> version of its last change
        self._floor = 0  # nothing read before this version is served

    def changed(self, entities: Iterable[str], facts: Iterable[Fact] | None, version: int) -> None:
        """A write that makes ``version`` changed these entities and these facts'
        evidence (``None``: any fact's, as after a bulk load or on a remote index)."""
        if self.strict:
            return
        marks = self._changed
        if facts is None or len(marks) > self._limit:
            marks.clear()
            self._floor = version
            return
        for key in entities:
            marks[key] = version
        for fact in facts:
            marks[fact] = version

    def _fresh(self, key: str | Fact, entry: tuple[int, Any] | None, version: int) -> bool:
        if entry is None:
            return False
        read_at = entry[0]
        if self.strict:
            return read_at == version
        return self._floor <= read_at <= version and self._changed.get(key, -1) <= read_at

    def read(self, kg: KnowledgeGraph, iris: Sequence[str], version: int | None = None) -> list[Entity | None]:
        """``kg._read_entities(iris)``, reading from the store only the entities not cached
        for ``version`` (the graph's current one when not given)."""
        version = kg.version if version is None else version
        found = self._found
        missing = [i for i in dict.fromkeys(iris) if not self._fresh(i, found.get(i), version)]
        if missing:
            if len(found) + len(missing) > self._limit:
                found.clear()
            for iri, entity in zip(missing, kg._read_entities(missing), strict=True):
                found[iri] = (version, entity)
        return [found[i][1] if i in found else kg._read_entities([i])[0] for i in iris]

    def peek(self, version: int, iris: Sequence[str]) -> list[Entity | None] | None:
        """The entities if all are cached for ``version``, else None: a cached read costs
        no thread hop (dict reads are atomic)."""
        return self._peek(self._found, version, iris)

    def evidence(self, kg: KnowledgeGraph, facts: Sequence[Fact],
                 version: int | None = None) -> dict[Fact, tuple[Evidence, ...]]:
        """``kg._evidence(facts)``, reading from the store only the facts not cached."""
        version = kg.version if version is None else version
        kept = self._evidence
        found: dict[Fact, tuple[Evidence, ...]] = {}
        missing = []
        for fact in dict.fromkeys(facts):
            entry = kept.get(fact)
            if entry is not None and self._fresh(fact, entry, version):
                found[fact] = entry[1]
            else:
                missing.append(fact)
        if missing:
            read = kg._evidence(missing)
            if len(kept) + len(read) > self._limit:
                kept.clear()
            for fact, evidence in read.items():
                kept[fact] = (version, evidence)
            found.update(read)
        return found

    def peek_evidence(self, version: int, facts: Sequence[Fact]) -> dict[Fact, tuple[Evidence, ...]] | None:
        """The evidence of ``facts`` if all of it is cached for ``version``, else None."""
        found = self._peek(self._evidence, version, facts)
        return None if found is None else dict(zip(facts, found, strict=True))

    def _peek(self, entries: dict[Any, tuple[int, Any]], version: int, keys: Sequence[Any]) -> list[Any] | None:
        out = []
        for key in keys:
            entry = entries.get(key)
            if not self._fresh(key, entry, version):
                return None
            out.append(entry[1])  # type: ignore[index]  # _fresh is False for None
        return out

    def clear(self) -> None:
        self._found.clear()
        self._evidence.clear()


def cached_entities(kg: KnowledgeGraph, iris: Sequence[str]) -> list[Entity | None]:
    """``kg.entities`` through the graph's entity cache."""
    return kg._gate.read(lambda: kg.entity_cache.read(kg, iris))


def peek_entities(kg: KnowledgeGraph, iris: Sequence[str]) -> list[Entity | None] | None:
    """The entities if all are cached and unchanged since, else ``None``; never reads the
    store (nor, on a SPARQL server, asks it for the version), so it may run on the event loop."""
    if getattr(kg.store, "remote", False):
        return None
    return kg.entity_cache.peek(kg.version, iris)


def fact_key(fact: Fact) -> str:
    """The sort and cursor key of a fact; ``\\x1f`` sorts below any IRI character, so key
    order is ``(subject, predicate, object)`` order."""
    return "\x1f".join(fact)


def _page(facts: list[Fact], after: str | None, size: int) -> tuple[list[Fact], int]:
    start = 0
    if after is not None:
        start = next((i for i, f in enumerate(facts) if fact_key(f) > after), len(facts))
    return facts[start:start + size], start


# A page is assembled on the event loop only when the entities asked about have at most
# this many facts in all: sorting them is then well under a millisecond.
INLINE_FACTS = 500


def _choose(projection: Projection, requests: Sequence[PageRequest]) -> list[tuple[list[Fact], int, int]]:
    """Each request's page of facts in key order, where it starts, and how many facts there are."""
    chosen = []
    for request in requests:
        facts = sorted(set(projection.facts_of(request.iri, request.direction, request.predicates)))
        page, start = _page(facts, request.after, request.size)
        chosen.append((page, start, len(facts)))
    return chosen


def _mentioned(chosen: list[tuple[list[Fact], int, int]], evidence: dict[Fact, tuple[Evidence, ...]]) -> list[str]:
    """Every entity the pages show: both ends of each fact and each evidence's article."""
    mentioned = {iri for page, _, _ in chosen for s, _, o in page for iri in (s, o)}
    mentioned |= {e.source for found in evidence.values() for e in found}
    return sorted(mentioned)


def _pages(requests: Sequence[PageRequest], chosen: list[tuple[list[Fact], int, int]],
           evidence: dict[Fact, tuple[Evidence, ...]], entities: dict[str, Entity | None]) -> list[RelationPage]:
    pages = []
    for request, (page, start, total) in zip(requests, chosen, strict=True):
        relations = tuple(Relation(s, p, o, Direction.OUTGOING if s == request.iri else Direction.INCOMING,
                                   evidence[(s, p, o)]) for s, p, o in page)
        pages.append(RelationPage(relations, total, start > 0, start + len(page) < total, entities))
    return pages


def relation_pages(kg: KnowledgeGraph, requests: Sequence[PageRequest]) -> list[RelationPage]:
    """A page for each request, from one traversal pass, one evidence read and one entity read."""
    def read() -> list[RelationPage]:
        version, cache = kg.version, kg.entity_cache
        chosen = _choose(kg.projection, requests)
        evidence = cache.evidence(kg, [f for page, _, _ in chosen for f in page], version)
        mentioned = _mentioned(chosen, evidence)
        return _pages(requests, chosen, evidence, dict(zip(mentioned, cache.read(kg, mentioned, version), strict=True)))

    return kg._gate.read(read)


def cached_relation_pages(kg: KnowledgeGraph, requests: Sequence[PageRequest]) -> list[RelationPage] | None:
    """``relation_pages`` from the in-process projection and the ``ReadCache`` alone, or
    ``None`` (then read them with ``relation_pages``, in a thread) when the projection is
    not in process, the entities have more than ``INLINE_FACTS`` facts, anything the pages
    show is not cached for the current version, or a commit ran meanwhile. Never reads
    the store and never waits: safe on the event loop."""
    projection = kg.views.local_projection()
    if projection is None or sum(projection.degree(r.iri) for r in requests) > INLINE_FACTS:
        return None
    cache = kg.entity_cache

    def read() -> list[RelationPage] | None:
        version = kg.version  # inside the read: a commit after this point is seen by try_read
        chosen = _choose(projection, requests)
        evidence = cache.peek_evidence(version, [f for page, _, _ in chosen for f in page])
        if evidence is None:
            return None
        mentioned = _mentioned(chosen, evidence)
        entities = cache.peek(version, mentioned)
        if entities is None:
            return None
        return _pages(requests, chosen, evidence, dict(zip(mentioned, entities, strict=True)))

    return kg._gate.try_read(read)


def facts_with(kg: KnowledgeGraph, predicate: str, after: str | None, size: int) -> RelationPage:
    """A page of every fact stated with ``predicate`` (an IRI) across the graph."""
    def read() -> tuple[list[Fact], list[Fact], int, dict, dict[str, Entity | None]]:
        facts = sorted({(t.subject.value, predicate, t.object.value)
                        for t in kg.store.triples(None, ox.NamedNode(predicate), None)
                        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)})
        page, start = _page(facts, after, size)
        version = kg.version
        evidence = kg.entity_cache.evidence(kg, page, version)
        mentioned = sorted({iri for s, _, o in page for iri in (s, o)}
                           | {e.source for found in evidence.values() for e in found})
        entities = kg.entity_cache.read(kg, mentioned, version)
        return facts, page, start, evidence, dict(zip(mentioned, entities, strict=True))

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


__all__ = ["INLINE_FACTS", "PageRequest", "ReadCache", "RelationPage", "article_relations", "cached_entities",
           "cached_relation_pages", "fact_key", "facts_with", "peek_entities", "relation_pages"]
