"""The graph's version, kept in the store itself so every process that shares it agrees.

GET caches and ETags key on the version, so it must change whenever any process changes
the data. A counter in one named graph of the store (default-graph reads never see it)
is bumped by the same update request, hence the same transaction, as each write, and read
with one pattern match. In process (memory or an on-disk Oxigraph, which only one
process can open for writing) the counter is also kept in memory and never read back;
on a SPARQL server shared by several chipkg processes it is read from the server.
A store with no counter (data loaded by other tools, nothing written by chipkg) has no
version anyone can trust; ``Version`` then answers a new number at every read, which
turns caching off rather than serving stale answers.
"""

from __future__ import annotations

import itertools
import threading

import pyoxigraph as ox

from .store import TripleStore

GRAPH = ox.NamedNode("https://w3id.org/chipkg/meta#version")
WRITES = ox.NamedNode("https://w3id.org/chipkg/meta#writes")
_COUNTER = f"GRAPH {GRAPH} {{ {GRAPH} {WRITES} ?old }}"
BUMP = (f"DELETE {{ {_COUNTER} }} INSERT {{ GRAPH {GRAPH} {{ {GRAPH} {WRITES} ?new }} }} "
        f"WHERE {{ OPTIONAL {{ {_COUNTER} }} BIND(COALESCE(?old + 1, 1) AS ?new) }}")
START = f"INSERT {{ GRAPH {GRAPH} {{ {GRAPH} {WRITES} 0 }} }} WHERE {{ FILTER NOT EXISTS {{ {_COUNTER} }} }}"


def stored(store: TripleStore) -> int | None:
    """The counter in ``store``, or ``None`` when it has none."""
    rows = list(store.query(f"SELECT ?old WHERE {{ {_COUNTER} }}"))  # type: ignore[call-overload]
    if not rows:
        return None
    try:
        return int(rows[0]["old"].value)
    except ValueError:
        return None


class Version:
    """``current()`` is the graph's version; ``committed()`` follows a local write."""

    def __init__(self, store: TripleStore) -> None:
        self._store = store
        self._shared = bool(getattr(store, "remote", False))
        self._local = 0 if self._shared else (stored(store) or 0)
        self._untrusted = itertools.count(-1, -1)  # never equal to a stored counter
        self._guard = threading.Lock()
        self.last_seen = self._local

    def current(self) -> int:
        if not self._shared:
            return self._local
        found = stored(self._store)
        if found is None:
            with self._guard:
                found = next(self._untrusted)
        self.last_seen = found
        return found

    def committed(self) -> None:
        """One local write went through (the store's counter was bumped with it)."""
        self._local += 1
        self.last_seen = self._local if not self._shared else self.last_seen


__all__ = ["BUMP", "GRAPH", "START", "Version", "stored"]
