"""Finding the statements that carry a fact's evidence, without reading a hub's all.

The store can only match ``?st rdf:subject S``: for a fact whose subject is a hub that
returns every statement about the hub (5,871 of them for one fact at 1M triples, 550 ms,
measured by the benchmark). In process, ``StatementIndex`` keeps the fact → statements
map in memory (built from three pattern scans, kept in step with writes), so a lookup
costs what it returns. A remote store gets ``RemoteStatements``, one ``VALUES`` query per
batch of facts, where the server's own join does the work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .store import TripleStore

Fact = tuple[str, str, str]
_PARTS = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#object")


class StatementIndex:
    """fact → the IRIs of the statements that describe it, for an in-process store."""

    def __init__(self, store: TripleStore) -> None:
        self._store = store
        self._by_fact: dict[Fact, set[str]] = defaultdict(set)
        self._fact_of: dict[str, Fact] = {}
        parts: dict[str, dict[str, str]] = defaultdict(dict)
        for part in _PARTS:
            for t in store.triples(None, ox.NamedNode(part), None):
                if isinstance(t.subject, ox.NamedNode) and not isinstance(t.object, ox.Literal):
                    parts[t.subject.value][part] = t.object.value  # type: ignore[union-attr]  # RDF 1.1
        for statement, found in parts.items():
            if len(found) == 3:
                self._link(statement, (found[_PARTS[0]], found[_PARTS[1]], found[_PARTS[2]]))

    def _link(self, statement: str, fact: Fact) -> None:
        self._fact_of[statement] = fact
        self._by_fact[fact].add(statement)

    def _unlink(self, statement: str) -> None:
        fact = self._fact_of.pop(statement, None)
        if fact is not None:
            self._by_fact[fact].discard(statement)
            if not self._by_fact[fact]:
                del self._by_fact[fact]

    def refresh(self, nodes: Iterable[str]) -> set[Fact]:
        """Re-read ``nodes`` after a write: any of them may have become, or stopped being,
        a statement. Returns the facts they described before or describe now (whose
        evidence the write may have changed)."""
        changed: set[Fact] = set()
        for node in nodes:
            before = self._fact_of.get(node)
            if before is not None:
                changed.add(before)
            self._unlink(node)
            # The three parts only: a write names its subject, which may be a hub with
            # thousands of triples (7 ms a write to read them all at 1M).
            found = {part: t.object.value for part in _PARTS  # type: ignore[union-attr]  # RDF 1.1
                     for t in self._store.triples(ox.NamedNode(node), ox.NamedNode(part), None)
                     if not isinstance(t.object, ox.Literal)}
            if len(found) == 3:
                fact = (found[_PARTS[0]], found[_PARTS[1]], found[_PARTS[2]])
                self._link(node, fact)
                changed.add(fact)
        return changed

    def statements(self, facts: Iterable[Fact]) -> list[str]:
        return sorted({st for fact in facts for st in self._by_fact.get(fact, ())})


class RemoteStatements:
    """The same lookups against a SPARQL server, one query per batch of facts."""

    def __init__(self, store: TripleStore, batch: int = 200) -> None:
        self._store = store
        self._batch = batch

    def refresh(self, nodes: Iterable[str]) -> set[Fact]:
        """Nothing is cached, so nothing goes stale (and what changed is not known)."""
        return set()

    def statements(self, facts: Iterable[Fact]) -> list[str]:
        facts = sorted(set(facts))
        found: set[str] = set()
        for i in range(0, len(facts), self._batch):
            rows = " ".join(f"(<{s}> <{p}> <{o}>)" for s, p, o in facts[i:i + self._batch])
            query = (f"SELECT DISTINCT ?st WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} "
                     f"?st <{_PARTS[0]}> ?s ; <{_PARTS[1]}> ?p ; <{_PARTS[2]}> ?o }}")
            found.update(row["st"].value for row in self._store.query(query))  # type: ignore[attr-defined]
        return sorted(found)


def statements_for(store: TripleStore) -> StatementIndex | RemoteStatements:
    """An in-memory index for a local store; batched queries for a remote one."""
    if getattr(store, "remote", False):
        return RemoteStatements(store)
    return StatementIndex(store)


__all__ = ["RemoteStatements", "StatementIndex", "statements_for"]
