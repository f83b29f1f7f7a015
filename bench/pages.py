"""How long the browser pages take to build on a big graph, beside the same entity's
data read alone (``KnowledgeGraph.relations``) as the anchor, in one run.

    python bench/pages.py --data /work/benchdata/bench-100k

The corpus's N-Triples are loaded into an in-memory store; each figure is the median of
``--repeats`` renders (in-process, no HTTP). The hub is the entity with the most facts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from chipkg.api.linked_data import resource_html
from chipkg.api.pages import home_view, search_view
from chipkg.graph import KnowledgeGraph


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a bench corpus directory (corpus.nt)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    kg = KnowledgeGraph()
    kg.bulk_load([args.data / "corpus.nt"])
    print(f"loaded {len(kg.store):,} triples in {time.perf_counter() - start:.1f} s")
    degree: Counter[str] = Counter(dict(kg.projection.directed.degree()))  # type: ignore[attr-defined]
    hub, facts = degree.most_common(1)[0]
    label = kg.entity(hub).label("en") or ""
    anchor = median_ms(lambda: kg.relations(hub), args.repeats)
    rows = [
        ("entity page of the hub", median_ms(lambda: resource_html(kg, hub), args.repeats), anchor),
        ("home page (counts by class)", median_ms(lambda: home_view(kg), args.repeats), anchor),
        (f"search {label[:12]!r}", median_ms(lambda: search_view(kg, label[:12], ""), args.repeats), anchor),
    ]
    print(f"hub: {hub} ({facts} facts); anchor: relations() with evidence = {anchor:.1f} ms")
    print(f"{'page':32} {'ms':>8} {'x anchor':>9}")
    for name, ms, base in rows:
        print(f"{name:32} {ms:8.1f} {ms / base:9.2f}")


if __name__ == "__main__":
    main()
