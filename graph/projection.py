"""The entity network as networkx graphs, for neighbourhoods and paths.

Only IRI→IRI facts stated with an ontology object property are projected: literals and
the ``rdf:subject``/``rdf:object`` links of provenance statements would make unrelated
entities look connected. The projection is built once from the store and then kept in
step with every write, never rebuilt per query.

Neighbourhoods are bounded breadth-first searches (``nx.ego_graph`` copies the whole
graph per call: 900 ms at 1M triples against 0.4 ms for the bounded search).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence

import networkx as nx
import pyoxigraph as ox

from .errors import QueryTooLarge
from .model import Direction
from .store import TripleStore

Fact = tuple[str, str, str]  # (subject IRI, predicate IRI, object IRI)


class Projection:
    def __init__(self, object_properties: Iterable[str]) -> None:
        self.object_properties = frozenset(object_properties)
        self.directed: nx.MultiDiGraph = nx.MultiDiGraph()
        # Paths ignore direction: "the CAC summoned Nvidia, whose CEO is Jensen Huang".
        self.undirected: nx.Graph = nx.Graph()

    def load(self, store: TripleStore) -> None:
        """Project the store's facts: one pattern match per object property."""
        for predicate in sorted(self.object_properties):
            self.add((t.subject.value, predicate, t.object.value)
                     for t in store.triples(None, ox.NamedNode(predicate), None)
                     if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode))

    def add(self, facts: Iterable[Fact]) -> None:
        for s, p, o in facts:
            if p not in self.object_properties:
                continue
            self.directed.add_edge(s, o, key=p)
            if self.undirected.has_edge(s, o):
                self.undirected.edges[s, o]["facts"].add((s, p, o))
            else:
                self.undirected.add_edge(s, o, facts={(s, p, o)})

    def remove(self, facts: Iterable[Fact]) -> None:
        for s, p, o in facts:
            if not self.directed.has_edge(s, o, key=p):
                continue
            self.directed.remove_edge(s, o, key=p)
            joined = self.undirected.edges[s, o]["facts"]
            joined.discard((s, p, o))
            if not joined:
                self.undirected.remove_edge(s, o)

    def __contains__(self, node: str) -> bool:
        return node in self.directed

    def degree(self, node: str) -> int:
        """How many facts touch ``node``, either way (O(1))."""
        return self.directed.degree(node) if node in self.directed else 0

    def facts_of(self, node: str, direction: Direction = Direction.BOTH,
                 predicates: frozenset[str] | None = None) -> Iterator[Fact]:
        """The facts touching ``node`` that run in ``direction`` and use ``predicates``."""
        if node not in self.directed:
            return
        if direction in (Direction.OUTGOING, Direction.BOTH):
            for _, o, p in self.directed.out_edges(node, keys=True):
                if predicates is None or p in predicates:
                    yield (node, p, o)
        if direction in (Direction.INCOMING, Direction.BOTH):
            for s, _, p in self.directed.in_edges(node, keys=True):
                if (predicates is None or p in predicates) and not (s == node and direction == Direction.BOTH):
                    yield (s, p, node)

    def facts_of_many(self, nodes: Sequence[str], direction: Direction = Direction.BOTH,
                      predicates: frozenset[str] | None = None) -> list[list[Fact]]:
        """``facts_of`` for each of ``nodes`` (a remote traversal answers it in one query)."""
        return [list(self.facts_of(node, direction, predicates)) for node in nodes]

    def neighborhood(self, center: str, depth: int, *, direction: Direction = Direction.BOTH,
                     predicates: frozenset[str] | None = None,
                     max_nodes: int = 1000) -> tuple[list[str], list[Fact]]:
        """Nodes within ``depth`` hops of ``center`` and the facts walked to reach them."""
        seen = {center}
        facts: set[Fact] = set()
        frontier = [center]
        for _ in range(depth):
            following = []
            for node in frontier:
                for fact in self.facts_of(node, direction, predicates):
                    facts.add(fact)
                    other = fact[2] if fact[0] == node else fact[0]
                    if other not in seen:
                        seen.add(other)
                        following.append(other)
                        if len(seen) > max_nodes:
                            raise QueryTooLarge(
                                f"the neighbourhood of {center} at depth {depth} has more than "
                                f"{max_nodes} nodes; ask for less depth or fewer predicates")
            frontier = following
            if not frontier:
                break
        return sorted(seen), sorted(facts)

    def paths(self, source: str, target: str, *, max_length: int, limit: int,
              max_nodes: int = 5000, timeout: float = 2.0) -> list[list[str]]:
        """Up to ``limit`` simple paths of at most ``max_length`` hops, shortest first.

        The search runs only over nodes that can lie on such a path (distance from the
        source plus distance to the target within ``max_length``), which keeps Yen's
        algorithm in ``shortest_simple_paths`` from wandering over the whole graph.
        """
        if source not in self.undirected or target not in self.undirected or source == target:
            return []
        reach = max(max_length - 1, 0)
        from_source = nx.single_source_shortest_path_length(self.undirected, source, cutoff=max_length)
        if target not in from_source:
            return []
        to_target = nx.single_source_shortest_path_length(self.undirected, target, cutoff=reach + 1)
        corridor = [n for n, d in from_source.items() if d + to_target.get(n, max_length + 1) <= max_length]
        if len(corridor) > max_nodes:
            raise QueryTooLarge(f"more than {max_nodes} nodes lie on paths of up to {max_length} hops "
                                f"between {source} and {target}; ask for a shorter maxLength")
        inside = set(corridor)
        edges = [(a, b) for a in corridor for b in self.undirected.adj[a] if b in inside and a <= b]
        return ranked_paths(corridor, edges, source, target, max_length=max_length, limit=limit,
                            deadline=time.monotonic() + timeout, timeout=timeout)

    def facts_between(self, a: str, b: str) -> list[Fact]:
        if not self.undirected.has_edge(a, b):
            return []
        return sorted(self.undirected.edges[a, b]["facts"])


def ranked_paths(nodes: Iterable[str], edges: Iterable[tuple[str, str]], source: str, target: str, *,
                 max_length: int, limit: int, deadline: float, timeout: float) -> list[list[str]]:
    """Up to ``limit`` simple paths of at most ``max_length`` hops in the undirected graph
    ``nodes``/``edges``, shortest first (Yen's algorithm, ``shortest_simple_paths``).

    The graph is rebuilt in sorted order, so paths of equal length come out in the same
    order whichever traversal found the corridor and in whatever order it met the edges.
    (Yen's algorithm runs ~3x faster on this copy than on a subgraph view, which pays for
    the copy: 0.2 ms against 0.25 ms at p50 for corridors of a 100k-triple corpus.)
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted((a, b) if a <= b else (b, a) for a, b in edges))
    if source not in graph or target not in graph:
        return []
    found: list[list[str]] = []
    try:
        for path in nx.shortest_simple_paths(graph, source, target):
            if len(path) - 1 > max_length or len(found) >= limit:
                break
            found.append(path)
            if time.monotonic() > deadline:
                raise QueryTooLarge(f"the path search between {source} and {target} ran past "
                                    f"{timeout:.1f} s; ask for a shorter maxLength or fewer paths")
    except nx.NetworkXNoPath:
        return []
    return found


def traversal_for(store: TripleStore, object_properties: Iterable[str]) -> Projection:
    """The traversal engine for ``store``: a networkx projection, built from the store.

    A store that sets ``remote = True`` (a SPARQL server) must not be pulled into memory;
    the scale issue gives it a traversal that expands frontiers with batched queries.
    """
    if getattr(store, "remote", False):
        from .remote import RemoteTraversal  # only remote deployments need it

        # A store that says it is remote is a SparqlStore; RemoteTraversal answers as Projection does.
        return RemoteTraversal(store, object_properties)  # type: ignore[return-value, arg-type]
    projection = Projection(object_properties)
    projection.load(store)
    return projection


__all__ = ["Fact", "Projection", "ranked_paths", "traversal_for"]
