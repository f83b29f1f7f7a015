"""The derived views of a store: the traversal projection, the name index and the
statement index, built on first use and kept in step by each commit.

Commits change them in place inside ``SeqLock.commit()``, so readers that overlap a
commit read again (see ``seqlock.py``); building one from the store holds commits back
so it starts from one state. Views on a SPARQL server shared with other processes
cannot see those processes' writes: the name index, the only one that copies data, is
rebuilt when the store's version moves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from .projection import Fact, Projection, traversal_for
from .provenance import RemoteStatements, StatementIndex, statements_for
from .search import NameIndex
from .store import TripleStore
from .vocab import RDF, RDFS, SKOS

_TYPE = ox.NamedNode(str(RDF.type))
_NAMES = (str(RDFS.label), str(SKOS.altLabel))


class Views:
    def __init__(self, store: TripleStore, object_properties: frozenset[str], classes: frozenset[str],
                 exclusive: Callable[[], object]) -> None:
        self._store = store
        self._properties = object_properties
        self._classes = classes
        self._exclusive = exclusive  # a context manager that holds commits back
        self._shared = bool(getattr(store, "remote", False))
        self._projection: Projection | None = None
        self._names: NameIndex | None = None
        self._names_version: int | None = None
        self._statements: StatementIndex | RemoteStatements | None = None

    @property
    def projection(self) -> Projection:
        """The traversal view (networkx in process, batched SPARQL remotely)."""
        found = self._projection
        if found is None:
            with self._exclusive():  # type: ignore[attr-defined]
                if self._projection is None:
                    self._projection = traversal_for(self._store, self._properties)
                found = self._projection
        return found

    def local_projection(self) -> Projection | None:
        """The projection if it is built and in process, else ``None``: never builds it and
        never waits, for a reader on the event loop."""
        return None if self._shared else self._projection

    @property
    def statements(self) -> StatementIndex | RemoteStatements:
        """Which statements describe which fact (see ``provenance.py``)."""
        found = self._statements
        if found is None:
            with self._exclusive():  # type: ignore[attr-defined]
                if self._statements is None:
                    self._statements = statements_for(self._store)
                found = self._statements
        return found

    def names(self, version: Callable[[], int]) -> NameIndex:
        """The search index over labels and aliases; ``version`` is asked only when other
        processes may write the store."""
        found = self._names
        if found is not None and not self._shared:
            return found
        with self._exclusive():  # type: ignore[attr-defined]
            now = version() if self._shared else None
            if self._names is None or now != self._names_version:
                index = NameIndex()
                for iri in entity_iris(self._store, self._classes):
                    self._index(iri, index)
                self._names, self._names_version = index, now
            return self._names

    def _index(self, iri: str, index: NameIndex) -> None:
        names, types = [], []
        for t in self._store.triples(ox.NamedNode(iri), None, None):
            if t.predicate == _TYPE:
                types.append(t.object.value)  # type: ignore[union-attr]  # RDF 1.1
            elif t.predicate.value in _NAMES and isinstance(t.object, ox.Literal):
                names.append(t.object.value)
        if any(t in self._classes for t in types):
            index.set(iri, names)
        else:
            index.discard(iri)

    def facts(self, triples: Iterable[ox.Triple]) -> list[Fact]:
        return [(t.subject.value, t.predicate.value, t.object.value) for t in triples
                if t.predicate.value in self._properties
                and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)]

    def committed(self, remove: list[ox.Triple], add: list[ox.Triple], touched: set[str]) -> set[Fact] | None:
        """Bring the views built so far in step with a write the store has just taken
        (inside the commit); a view not built yet reads the store when it is. Returns the
        facts whose evidence the write may have changed, or None when that is not known
        (the statement index is not built, or is a remote one)."""
        if self._projection is not None:
            self._projection.remove(self.facts(remove))
            self._projection.add(self.facts(add))
        if self._names is not None:
            for iri in touched:
                self._index(iri, self._names)
            if self._shared and self._names_version is not None:
                # This write bumped the store's counter by one; if another process wrote
                # too, the counter is further on and the next search rebuilds the index.
                self._names_version += 1
        if self._statements is None or self._shared:
            return None
        return self._statements.refresh({t.subject.value for t in remove + add})  # type: ignore[union-attr]  # RDF 1.1

    def forget(self) -> None:
        """Drop every view (after a bulk load); each is rebuilt on next use."""
        self._projection = self._names = self._statements = None
        self._names_version = None


def entity_iris(store: TripleStore, classes: Iterable[str]) -> set[str]:
    return {t.subject.value for c in classes for t in store.triples(None, _TYPE, ox.NamedNode(c))
            if isinstance(t.subject, ox.NamedNode)}


__all__ = ["Views", "entity_iris"]
