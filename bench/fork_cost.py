"""What it costs to run each ``/sparql`` query in a forked worker (``api/sparql_worker.py``).

    python bench/fork_cost.py --data /work/benchdata/bench-100k --data /work/benchdata/bench-1M

For each corpus, on an in-memory and an on-disk Oxigraph store loaded with it, in one run:
the bare ``fork`` + ``_exit`` + ``waitpid`` of the loaded process, a small query answered in
the calling thread (what ``/sparql`` did before), and the same query through
``run_forked`` (fork, rlimits, network namespace, answer, pipe, reap). Each figure is the
median of ``--repeats`` runs; the ratio is forked / in-thread, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # `python bench/fork_cost.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox

from chipkg.api.sparql import answer
from chipkg.api.sparql_worker import Budget, run_forked
from chipkg.graph.store import OxigraphStore

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bare_fork() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024


def measure(name: str, store: OxigraphStore, repeats: int) -> str:
    in_thread = median_ms(lambda: answer(store, QUERY, None, max_bytes=1 << 20), repeats)
    forked = median_ms(lambda: run_forked(lambda: answer(store, QUERY, None, max_bytes=1 << 20),
                                          Budget(time.monotonic() + 60, 60, 1 << 20, 1 << 30)), repeats)
    fork = median_ms(bare_fork, repeats)
    return (f"| {name} | {len(store):,} | {rss_mib():,.0f} | {fork:.2f} | {in_thread:.2f} | {forked:.2f} | "
            f"{forked / in_thread:.1f}x |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, type=Path, help="a corpus folder (corpus.nt)")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    print("| corpus, store | triples | process RSS MiB | bare fork ms | query in thread ms | "
          "query forked ms | forked / in thread |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for data in args.data:
        corpus = data / "corpus.nt"
        memory = OxigraphStore()
        memory.bulk_load(corpus, ox.RdfFormat.N_TRIPLES)
        print(measure(f"{data.name}, memory", memory, args.repeats), flush=True)
        del memory
        with tempfile.TemporaryDirectory(prefix="chipkg-fork-") as where:
            disk = OxigraphStore(where)
            disk.bulk_load(corpus, ox.RdfFormat.N_TRIPLES)
            print(measure(f"{data.name}, on disk", disk, args.repeats), flush=True)
            disk.close()
            del disk
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
