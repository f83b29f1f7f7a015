"""Which entities the benchmark asks about, chosen from the corpus itself (not from
chipkg's internals), with a seeded RNG so every run asks the same questions.

The entity network is rebuilt from the corpus file: IRI→IRI facts with an ontology
object property, undirected, as chipkg's projection walks them. From it:

- ``entities``: entities with at least one fact, for the entity + relations query;
- ``centers``: entities whose depth-2 neighbourhood has between 10 and 1,000 nodes
  (chipkg refuses more than 1,000 by default; with power-law hubs most entities are two
  hops from a hub, so the ones asked about are the ones chipkg is allowed to answer);
- ``pairs``: two entities exactly three hops apart whose path corridor fits chipkg's
  budget (5,000 nodes on some path of at most three hops).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.queries import object_properties

CKR = "https://w3id.org/chipkg/resource/"
MAX_NEIGHBORHOOD = 1000
MAX_CORRIDOR = 5000


@dataclass(frozen=True)
class Workload:
    entities: list[str]  # slugs
    fresh: list[str]  # other entities with facts, never in ``entities``: asked about once, cold
    centers: list[str]
    pairs: list[tuple[str, str]]
    max_degree: int
    facts: int


def network(corpus: Path) -> tuple[dict[str, set[str]], int]:
    """Undirected adjacency over object-property facts, and how many facts there are."""
    properties = {ox.NamedNode(p) for p in object_properties()}
    adjacency: dict[str, set[str]] = defaultdict(set)
    facts = 0
    for quad in ox.parse(path=str(corpus)):
        if quad.predicate in properties and isinstance(quad.object, ox.NamedNode) and quad.subject != quad.object:
            s, o = quad.subject.value, quad.object.value
            adjacency[s].add(o)
            adjacency[o].add(s)
            facts += 1
    return adjacency, facts


def _within(adjacency: dict[str, set[str]], start: str, depth: int, limit: int) -> dict[str, int] | None:
    """Distances from ``start`` up to ``depth`` hops; None once more than ``limit`` nodes."""
    seen = {start: 0}
    frontier = [start]
    for d in range(1, depth + 1):
        following = []
        for node in frontier:
            for other in adjacency[node]:
                if other not in seen:
                    seen[other] = d
                    following.append(other)
                    if len(seen) > limit:
                        return None
        frontier = following
    return seen


def choose(corpus: Path, seed: int = 7, count: int = 200) -> Workload:
    adjacency, facts = network(corpus)
    rng = random.Random(seed)
    nodes = sorted(adjacency)
    entities = [n.removeprefix(CKR) for n in rng.sample(nodes, min(count * 5, len(nodes)))]
    asked = set(entities)
    rest = [n for n in nodes if n.removeprefix(CKR) not in asked]
    # its own generator, so the other choices stay what they were before it existed
    fresh = [n.removeprefix(CKR) for n in random.Random(seed + 1).sample(rest, min(count, len(rest)))]
    centers: list[str] = []
    pairs: list[tuple[str, str]] = []
    for node in rng.sample(nodes, len(nodes)):
        if len(centers) >= count and len(pairs) >= count:
            break
        if len(centers) < count:
            near = _within(adjacency, node, 2, MAX_NEIGHBORHOOD)
            if near is not None and len(near) >= 10:
                centers.append(node.removeprefix(CKR))
        if len(pairs) < count:
            pair = _pair(adjacency, node, rng)
            if pair is not None:
                pairs.append(pair)
    return Workload(entities=entities, fresh=fresh, centers=centers, pairs=pairs,
                    max_degree=max(len(v) for v in adjacency.values()), facts=facts)


def _pair(adjacency: dict[str, set[str]], source: str, rng: random.Random) -> tuple[str, str] | None:
    from_source = _within(adjacency, source, 3, MAX_CORRIDOR * 4)
    if from_source is None:
        return None
    far = sorted(n for n, d in from_source.items() if d == 3)
    if not far:
        return None
    target = far[rng.randrange(len(far))]
    to_target = _within(adjacency, target, 2, MAX_CORRIDOR * 4)
    if to_target is None:
        return None
    corridor = 1 + sum(1 for n, d in from_source.items() if d + to_target.get(n, 4) <= 3)  # +1: the source
    if corridor > MAX_CORRIDOR:
        return None
    return source.removeprefix(CKR), target.removeprefix(CKR)


__all__ = ["Workload", "choose", "network"]
