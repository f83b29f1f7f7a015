"""Reads beside writes and exports: does a stream of writes or a loop of full exports
slow readers down? (issue 9, item 6; issue 8, item 5).

Against one ``chipkg serve`` on the loaded store (writes on, with a token), in phases of
the same length: idle; beside a writer thread streaming ``addEntity`` + ``addFact`` (leaf
writes, each checked); beside a client looping ``GET /export`` (the whole graph as Turtle,
streamed and discarded); beside both. Throughout, one client asks the entity + relations
+ evidence query (the same entities in every phase, each read once first to warm the
store) and another polls ``/healthz``. Each loaded p99 is set against the idle p99 of the
same run and server.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path

import httpx

from bench import queries
from bench.loadgen import Request, one_client
from bench.processes import Server, free_port
from bench.report import Figure, Report

# A sentence of the seed article, verbatim (paragraph 5): evidence for the writer's facts.
EVIDENCE = "Huaweiは、高度なAIシステムを駆動するNvidiaと直接競合するように設計された、多数のチップを展示しました。"
ADD_ENTITY = "mutation($i: AddEntityInput!) { addEntity(input: $i) { id } }"
ADD_FACT = "mutation($i: AddFactInput!) { addFact(input: $i) { predicate } }"


class Background:
    """A loop in a thread until ``stop()``; counts its rounds and keeps its latencies."""

    def __init__(self, name: str, step) -> None:
        self.name, self.step = name, step
        self.times: list[float] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Background:
        self._thread.start()
        return self

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                self.step(n)
            except Exception as exc:  # noqa: BLE001 - reported, not raised, from a thread
                self.errors.append(f"{type(exc).__name__}: {exc}")
                if len(self.errors) > 20:
                    return
            else:
                self.times.append((time.perf_counter() - started) * 1000)
            n += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=600)


def _healthz(base: str, stop: threading.Event) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return times


def _phase(base: str, reads: list[Request], budget: float, check) -> tuple[list[float], list[float]]:
    """Entity-query latencies of one client for ``budget`` seconds, and /healthz latencies meanwhile."""
    stop = threading.Event()
    health: list[float] = []
    poller = threading.Thread(target=lambda: health.extend(_healthz(base, stop)), daemon=True)
    poller.start()
    try:
        times = one_client(base, reads, 1_000_000, check, budget=budget)
    finally:
        stop.set()
        poller.join(timeout=60)
    return times, health


def measure_reads(report: Report, *, command: list[str], store: Path, work: Path, env: dict[str, str],
                  entities: list[str], budget: float, pct, check) -> None:
    token = secrets.token_hex(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    run = secrets.token_hex(3)
    reads = [Request("POST", "/graphql", queries.graphql_body(queries.ENTITY, {"id": i}),
                     (("Content-Type", "application/json"),)) for i in entities]
    with Server("chipkg serve (writes on)", [*command, "serve", "--host", "127.0.0.1", "--port", str(port),
                                             "--store", f"oxigraph:{store}"],
                base + "/healthz", log=work / "chipkg-serve-reads.log", env={**env, "CHIPKG_TOKEN": token},
                cwd=work):
        one_client(base, reads, len(reads), check, budget=budget)  # warm: every entity read once
        idle, idle_health = _phase(base, reads, budget, check)
        writer_http = httpx.Client(base_url=base, timeout=600, headers={"Authorization": f"Bearer {token}"})
        export_http = httpx.Client(base_url=base, timeout=600)
        exported = [0]
        written = [0]

        def write(n: int) -> None:
            n = written[0] = written[0] + 1
            slug = f"bench-writer-{run}-{n}"
            _mutate(writer_http, ADD_ENTITY, {"type": "Company", "label": f"Bench Writer {run} {n}",
                                              "labelJa": f"ベンチ書き手{n}", "id": slug})
            if n > 1:
                _mutate(writer_http, ADD_FACT, {"subject": f"bench-writer-{run}-{n - 1}", "predicate": "competesWith",
                                                "object": slug, "evidence": EVIDENCE, "source": "h20-article"})

        def export(n: int) -> None:
            with export_http.stream("GET", "/export", params={"format": "turtle"}) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    exported[0] += len(chunk)

        results = {}
        try:
            for phase, steps in (("writes", [write]), ("exports", [export]), ("both", [write, export])):
                loops = [Background(step.__name__, step).start() for step in steps]
                try:
                    time.sleep(1.0)  # the streams running before the readers are timed
                    results[phase] = _phase(base, reads, budget, check)
                finally:
                    for loop in loops:
                        loop.stop()
                problems = [e for loop in loops for e in loop.errors[:3]]
                if problems:
                    raise RuntimeError(f"the {phase} phase's background stream failed: {problems}")
                results[phase] += ({loop.name: loop.times for loop in loops},)
        finally:
            writer_http.close()
            export_http.close()
    report.meta["reads_idle_requests"] = len(idle)
    report.meta["reads_export_mb"] = round(exported[0] / 1e6, 1)
    for phase, label in (("writes", "a write stream"), ("exports", "an export loop"), ("both", "writes + export loop")):
        loaded, health, streams = results[phase]
        done = ", ".join(f"{len(times)} {name}s (p50 {pct(times, 50) / 1000:.1f} s)" if times else f"0 {name}s"
                         for name, times in streams.items())
        report.meta[f"reads_{phase}_requests"] = len(loaded)
        report.add(Figure(f"read_p99_{phase}_ms", f"entity read beside {label}: p99", "ms",
                          "the same reads, idle", pct(loaded, 99), pct(idle, 99), target="ratio <= 2",
                          note=f"p50 {pct(loaded, 50):.1f} ms vs {pct(idle, 50):.1f} ms idle; {done} meanwhile"))
        report.add(Figure(f"healthz_p99_{phase}_ms", f"GET /healthz beside {label}: p99", "ms",
                          "/healthz, idle", pct(health, 99), pct(idle_health, 99)))
    report.add(Figure("healthz_p50_ms", "GET /healthz idle: p50", "ms", "", pct(idle_health, 50), None))


def _mutate(client: httpx.Client, query: str, variables: dict) -> None:
    response = client.post("/graphql", json={"query": query, "variables": {"i": variables}})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"write refused: {body['errors'][:1]}")


__all__ = ["measure_reads"]
