"""The chipkg benchmark: chipkg beside Oxigraph, bare Starlette and strawberry, one table.

    make bench SIZE=100k                          # or: python bench/run.py --size 100k --json out.json
    python bench/run.py --size 10k --quick        # the CI smoke run: few requests, one repeat

In one run, on 127.0.0.1 and free ports, it generates the corpus if needed
(``bench/corpus.py``) and measures, each figure beside its anchor:

1. load: ``chipkg load`` of the corpus into an on-disk store vs pyoxigraph parsing the same
   file, each a child process (wall time, peak RSS from ``wait4``);
2. the entity + relations + evidence query in-process (``schema.execute`` over the loaded
   store, a different entity each time) vs strawberry's ``{ hello }`` in-process;
3. full Turtle export: ``chipkg export`` vs pyoxigraph dumping the same store;
4. over HTTP, with ``chipkg serve`` (uvicorn, 1 worker), an Oxigraph server loaded with the
   same triples, a bare Starlette JSON endpoint answering a body of the same size as
   chipkg's entity response, and strawberry ``{ hello }`` with its parser and validation
   caches: throughput and p99 under a bounded load (wrk, 16 connections), repeated
   identical GETs (and ``If-None-Match`` → 304 when chipkg sends an ETag), and the depth-2
   neighbourhood and 3-hop paths with one client vs the equivalent SPARQL on Oxigraph;
5. reads beside writes and exports (``bench/reads.py``): one client's entity-query p99 and
   ``/healthz`` while a write stream and a full-export loop run, against the same reads idle.
   ``--only reads`` runs just this (and the load, unless ``--store`` names a loaded store).

Every figure is the median over ``--repeats`` runs (load, export, HTTP throughput) or over
all requests (latencies). Servers run one at a time under load; all are stopped in
``finally`` whatever fails.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import time
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import baseline, queries
from bench import corpus as corpus_mod
from bench.loadgen import Request, Throughput, one_client, throughput
from bench.processes import CommandFailed, Server, free_port, measure
from bench.reads import measure_reads
from bench.report import Figure, Report
from bench.workload import Workload, choose

REPO = Path(__file__).resolve().parent.parent
SEED_FILES = [REPO / "seed" / "ontology.ttl", *sorted((REPO / "seed").glob("*-article.ttl"))]
CKR = "https://w3id.org/chipkg/resource/"
CHIPKG = [sys.executable, "-m", "chipkg.api.cli"]

PARSE_KEEP = "import sys, pyoxigraph as ox; t = list(ox.parse(path=sys.argv[1])); print(len(t))"
DUMP = ("import sys, json, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); "
        "s.dump(sys.argv[2], format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), "
        "prefixes=json.loads(sys.argv[3]))")


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = args.quick
        self.repeats = args.repeats or (1 if args.quick else 3)
        self.duration = args.duration or (1.0 if args.quick else 5.0)
        self.requests = 20 if args.quick else 200
        self.budget = 5.0 if args.quick else 30.0  # seconds per latency series, at most
        self.data = args.data or REPO / "data" / f"bench-{args.size}"
        self.work = args.work or self.data / "work"  # emptied at the start of a run
        self.report = Report()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPKG_")}

    def log(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------ corpus

    def corpus(self) -> Path:
        manifest = self.data / "manifest.json"
        size = corpus_mod.parse_size(self.args.size)
        found = json.loads(manifest.read_text()) if manifest.exists() else {}
        if (found.get("size"), found.get("seed")) != (size, self.args.seed):
            self.log(f"generating the {self.args.size} corpus (seed {self.args.seed}) into {self.data}")
            found = corpus_mod.write(size, self.data, self.args.seed)
        self.manifest = found
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        return self.data / f"corpus.{self.args.format}"

    # ------------------------------------------------------------ load

    def load(self, corpus: Path) -> Path:
        chipkg, anchor = [], []
        store = self.work / "chipkg-store"
        for i in range(self.repeats):
            target = store if i == self.repeats - 1 else self.work / f"chipkg-load-{i}"
            self.log(f"chipkg load {corpus.name} ({i + 1}/{self.repeats})")
            chipkg.append(measure([*CHIPKG, "load", str(corpus), "--store", f"oxigraph:{target}"],
                                  log=self.work / "chipkg-load.log", env=self.env, timeout=self.args.timeout))
            if target != store:
                shutil.rmtree(target)
            anchor.append(measure([sys.executable, "-c", PARSE_KEEP, str(corpus)], log=self.work / "parse.log"))
        self.report.add(Figure("load_seconds", "load the corpus: time", "s", "pyoxigraph parse of the same file",
                               _median(m.seconds for m in chipkg), _median(m.seconds for m in anchor),
                               target="ratio <= 2"))
        self.report.add(Figure("load_peak_rss_mb", "load the corpus: peak RSS", "MB",
                               "pyoxigraph parse of the same file (triples kept)",
                               _median(m.peak_rss_mb for m in chipkg), _median(m.peak_rss_mb for m in anchor),
                               target="ratio <= 2"))
        return store

    def load_once(self, corpus: Path) -> Path:
        """The store for the GraphQL rows alone: loaded once, its time not reported."""
        store = self.work / "chipkg-store"
        self.log(f"chipkg load {corpus.name} (once, for --only graphql)")
        measure([*CHIPKG, "load", str(corpus), "--store", f"oxigraph:{store}"],
                log=self.work / "chipkg-load.log", env=self.env, timeout=self.args.timeout)
        return store

    # ------------------------------------------------------------ in-process

    def in_process(self, store: Path, workload: Workload) -> None:
        from bench.anchors import hello_schema
        from chipkg.graph import KnowledgeGraph
        from chipkg.schema import Context, build_schema

        self.log("opening the loaded store in-process")
        started = time.perf_counter()
        kg = KnowledgeGraph.open(f"oxigraph:{store}")
        self.report.meta["open_store_seconds"] = round(time.perf_counter() - started, 2)
        self.report.meta["store_triples"] = len(kg.store)
        count = 200 if self.quick else 2000
        try:
            schema, hello = build_schema(), hello_schema()

            async def entity_times() -> list[float]:
                times = []
                ids = workload.entities
                deadline = time.perf_counter() + self.budget
                for i in range(count + 50):
                    if len(times) >= 100 and time.perf_counter() > deadline:
                        break
                    started = time.perf_counter()
                    result = await schema.execute(queries.ENTITY, variable_values={"id": ids[i % len(ids)]},
                                                  context_value=Context.for_request(kg))
                    elapsed = (time.perf_counter() - started) * 1000
                    if result.errors or not result.data or result.data["entity"] is None:
                        raise RuntimeError(f"in-process entity query failed for {ids[i % len(ids)]}: {result.errors}")
                    if i >= 50:  # the first ones warm the caches and the parser
                        times.append(elapsed)
                return times

            async def hello_times() -> list[float]:
                times = []
                for i in range(count + 50):
                    started = time.perf_counter()
                    result = await hello.execute(queries.HELLO)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert not result.errors
                    if i >= 50:
                        times.append(elapsed)
                return times

            self.log(f"in-process: up to {count} entity queries or {self.budget:.0f} s")
            chipkg, anchor = asyncio.run(entity_times()), asyncio.run(hello_times())
            self.report.meta["inprocess_queries"] = len(chipkg)
        finally:
            kg.close()

            gc.collect()
        self.report.add(Figure("inprocess_entity_p50_ms", "entity+relations+evidence in-process: p50", "ms",
                               "strawberry { hello } in-process", _pct(chipkg, 50), _pct(anchor, 50),
                               target="chipkg <= 2"))
        self.report.add(Figure("inprocess_entity_p99_ms", "entity+relations+evidence in-process: p99", "ms",
                               "strawberry { hello } in-process", _pct(chipkg, 99), _pct(anchor, 99)))

    # ------------------------------------------------------------ writes

    def writes(self, store: Path) -> None:
        """add_fact on a leaf and on the largest hub vs a raw INSERT DATA of the same triples
        into the same store (``bench/writes.py``)."""
        import random

        from bench import writes
        from chipkg.graph import KnowledgeGraph

        kg = KnowledgeGraph.open(f"oxigraph:{store}", lazy=True)
        self.report.meta["store_triples"] = len(kg.store)
        count = 20 if self.quick else 200
        try:
            raw = kg.store._store  # type: ignore[attr-defined]
            rng = random.Random(self.args.seed)
            sources = writes.articles(raw, 50)
            kg.statement_index  # noqa: B018 (built once, as a server would at start-up)
            for key, plan in (("leaf", writes.plan_leaf(raw, count + 5, rng)),
                              ("hub", writes.plan_hub(raw, count + 5, rng))):
                self.log(f"writes: {len(plan.facts)} add_fact on a {plan.name}")
                chipkg, anchor = writes.run(kg, plan, sources)
                chipkg, anchor = chipkg[5:], anchor[5:]  # the first ones warm caches
                for p in (50, 99):
                    self.report.add(Figure(f"write_{key}_p{p}_ms", f"add_fact on a {plan.name}: p{p}", "ms",
                                           "pyoxigraph Store.update INSERT DATA, same triples, same store",
                                           _pct(chipkg, p), _pct(anchor, p),
                                           target=f"chipkg <= {20 if p == 50 else 100}"))
        finally:
            kg.close()
            gc.collect()

    # ------------------------------------------------------------ export

    def export(self, store: Path) -> None:
        chipkg, anchor = [], []
        for i in range(self.repeats):
            self.log(f"export ({i + 1}/{self.repeats})")
            out = self.work / "export-chipkg.ttl"
            chipkg.append(measure([*CHIPKG, "export", "--store", f"oxigraph:{store}", "-o", str(out)],
                                  log=self.work / "export.log", env=self.env, timeout=self.args.timeout))
            anchor.append(measure([sys.executable, "-c", DUMP, str(store), str(self.work / "export-oxigraph.ttl"),
                                   json.dumps(corpus_mod.PREFIXES)], log=self.work / "dump.log", env=self.env))
        self.report.checks["export_parses"] = _same_triples(self.work / "export-chipkg.ttl",
                                                            self.work / "export-oxigraph.ttl")
        self.report.add(Figure("export_seconds", "full Turtle export: time", "s", "pyoxigraph Store.dump, same store",
                               _median(m.seconds for m in chipkg), _median(m.seconds for m in anchor),
                               target="ratio <= 2"))
        self.report.add(Figure("export_peak_rss_mb", "full Turtle export: peak RSS", "MB",
                               "pyoxigraph Store.dump, same store",
                               _median(m.peak_rss_mb for m in chipkg), _median(m.peak_rss_mb for m in anchor),
                               note="the target is memory that does not grow with the graph: compare across sizes"))

    # ------------------------------------------------------------ HTTP

    def http(self, store: Path, corpus: Path, workload: Workload) -> None:
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        oxdir = self.work / "oxigraph-store"
        self.log("oxigraph load (the anchor server's copy of the same triples)")
        loaded = measure([oxigraph, "load", "--location", str(oxdir), "--file", str(corpus),
                          *map(str, SEED_FILES)], log=self.work / "oxigraph-load.log", timeout=self.args.timeout)
        self.report.meta["oxigraph_load_seconds"] = round(loaded.seconds, 2)
        ports = {name: free_port() for name in ("chipkg", "oxigraph", "bare", "hello")}
        base = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        with ExitStack() as stack:
            self.log("starting chipkg serve and the Oxigraph server")
            chipkg = stack.enter_context(Server(
                "chipkg serve", [*CHIPKG, "serve", "--host", "127.0.0.1", "--port", str(ports["chipkg"]),
                                 "--store", f"oxigraph:{store}"],
                base["chipkg"] + "/healthz", log=self.work / "chipkg-serve.log", env=self.env, cwd=self.work))
            self.report.meta["chipkg_serve_ready_seconds"] = round(chipkg.started_in, 2)
            stack.enter_context(Server("oxigraph serve", [oxigraph, "serve", "--location", str(oxdir), "--bind",
                                                          f"127.0.0.1:{ports['oxigraph']}"],
                                       base["oxigraph"] + "/query?query=ASK%7B%7D",
                                       log=self.work / "oxigraph-serve.log"))
            body = self.work / "entity-body.json"
            self.typical, typical_body = _typical_response(base["chipkg"], workload.entities[:40])
            body.write_bytes(typical_body)
            self.report.meta["typical_entity"] = self.typical
            self.report.meta["entity_body_bytes"] = body.stat().st_size
            anchor_env = {**self.env, "BENCH_BODY": str(body), "PYTHONPATH": str(REPO)}
            pids = {"chipkg": chipkg.process.pid}
            for name in ("bare", "hello"):
                anchor = stack.enter_context(Server(
                    f"{name} anchor", [sys.executable, "-m", "uvicorn", "--factory", f"bench.anchors:{name}_app",
                                       "--host", "127.0.0.1", "--port", str(ports[name]), "--log-level", "warning"],
                    base[name] + "/graphql", log=self.work / f"{name}.log", env=anchor_env, cwd=REPO))
                pids[name] = anchor.process.pid
            if self.args.baseline:
                base["baseline"], pids["baseline"] = self._baseline(stack, base["chipkg"], workload)
            self._throughput(base, workload, pids)
            if self.args.only != "graphql":
                self._repeated_get(base, workload)
                self._traversal(base, workload)

    def _load(self, base: str, requests: list[Request], name: str,
              pid: int | None = None) -> tuple[float, float] | tuple[float, float, float | None]:
        """Median req/s and p99 over the repeats; with ``pid``, also the server's median CPU
        time per request (µs), which other load on a shared machine disturbs far less."""
        rps, p99, cpu = self._rounds({name: (base, requests, pid)})[name]
        return (rps, p99, cpu) if pid else (rps, p99)

    def _rounds(self, targets: dict[str, tuple[str, list[Request], int | None]]
                ) -> dict[str, tuple[float, float, float | None]]:
        """``_load`` for several servers: a warm-up run each, then one run each per repeat,
        in an order that rotates, so that the machine's drift and any effect of going first
        or last fall on all of them alike."""
        runs: dict[str, list[Throughput]] = {name: [] for name in targets}
        cpu: dict[str, list[float]] = {name: [] for name in targets}

        def run(name: str) -> Throughput:
            base, requests, _ = targets[name]
            done = throughput(base, requests, connections=self.args.connections, duration=self.duration,
                              script=self.work / f"{name}.lua", client=self.args.client)
            if done.errors:
                raise RuntimeError(f"{name}: {done.errors} failed requests under load")
            return done

        # The warm-up runs as long as a measured one: chipkg's read cache fills over a few
        # passes over the entities (its first 5 s ran ~30% slower than the next).
        order = list(targets)
        for name in order:
            run(name)
        for repeat in range(self.repeats):
            for name in order[repeat % len(order):] + order[:repeat % len(order)]:
                pid = targets[name][2]
                before = _cpu_seconds(pid) if pid else 0.0
                done = run(name)
                if pid and done.requests:
                    cpu[name].append((_cpu_seconds(pid) - before) / done.requests * 1e6)
                runs[name].append(done)
        self.report.meta.setdefault("load_generator", runs[order[0]][0].tool)
        return {name: (_median(r.requests_per_s for r in done), _median(r.p99_ms for r in done),
                       _median(cpu[name]) if cpu[name] else None) for name, done in runs.items()}

    def _throughput(self, base: dict[str, str], workload: Workload, pids: dict[str, int]) -> None:
        entity = [Request("POST", "/graphql", queries.graphql_body(queries.ENTITY, {"id": i}),
                          (("Content-Type", "application/json"),)) for i in workload.entities]
        hello = [Request("POST", "/graphql", queries.graphql_body(queries.HELLO),
                         (("Content-Type", "application/json"),))]
        targets = {"chipkg-entity": (base["chipkg"], entity, pids["chipkg"]),
                   "hello": (base["hello"], hello, pids["hello"]), "bare": (base["bare"], entity, None)}
        if "baseline" in base:
            targets["baseline-entity"] = (base["baseline"], entity, pids["baseline"])
        self.log(f"HTTP load, {self.args.connections} connections, {self.repeats} alternating rounds: "
                 f"{', '.join(targets)}")
        measured = self._rounds(targets)
        chipkg_rps, chipkg_p99, chipkg_cpu = measured["chipkg-entity"]
        hello_rps, hello_p99, hello_cpu = measured["hello"]
        bare_rps, bare_p99, _ = measured["bare"]
        conns = self.args.connections
        self.report.add(Figure("http_entity_rps_vs_hello", f"HTTP entity query, {conns} conns: throughput", "req/s",
                               "strawberry { hello }, parser+validation cached", chipkg_rps, hello_rps,
                               better="higher", target="ratio >= 0.5"))
        self.report.add(Figure("http_entity_cpu_us", f"HTTP entity query, {conns} conns: server CPU per request",
                               "µs", "strawberry { hello }, parser+validation cached", chipkg_cpu, hello_cpu))
        self.report.add(Figure("http_entity_rps_vs_bare", f"HTTP entity query, {conns} conns: throughput", "req/s",
                               "bare Starlette JSON, same body size", chipkg_rps, bare_rps, better="higher"))
        self.report.add(Figure("http_entity_p99_ms", f"HTTP entity query, {conns} conns: p99", "ms",
                               "strawberry { hello }, parser+validation cached", chipkg_p99, hello_p99))
        self.report.meta["bare_p99_ms"] = round(bare_p99, 2)
        if "baseline" in base:
            rev = self.args.baseline
            base_rps, base_p99, base_cpu = measured["baseline-entity"]
            self.report.add(Figure("http_entity_rps_vs_baseline", f"HTTP entity query, {conns} conns: throughput",
                                   "req/s", f"chipkg at {rev}, same data", chipkg_rps, base_rps, better="higher",
                                   target="ratio >= 5"))
            self.report.add(Figure("http_entity_cpu_us_vs_baseline", f"HTTP entity query, {conns} conns: server "
                                   "CPU per request", "µs", f"chipkg at {rev}, same data", chipkg_cpu, base_cpu))
            self.report.meta["baseline_p99_ms"] = round(base_p99, 2)
            self.report.meta["baseline_rps_vs_hello"] = round(base_rps / hello_rps, 4)

    def _baseline(self, stack: ExitStack, today: str, workload: Workload) -> tuple[str, int]:
        """chipkg at ``--baseline REV`` (``bench/baseline.py``), serving its copy of the corpus
        on its own store; checked to answer the entity query as today's server does for every
        entity the load asks about, and timed on entities neither server was asked about."""
        rev = self.args.baseline
        root = self.work / "baseline"
        self.log(f"chipkg at {rev}: git archive, its copy of the corpus, load, serve")
        baseline.export(rev, REPO, root)
        copy = self.work / "baseline-corpus.nt"
        dropped = baseline.write_loadable(self.data / "corpus.nt", root / "chipkg" / "seed" / "ontology.ttl", copy)
        self.report.meta["baseline"] = {"rev": rev, "commit": baseline.resolve(rev, REPO), "triples_left_out": dropped}
        env = baseline.environment(root, self.env)
        store = self.work / "baseline-store"
        measure([*CHIPKG, "load", str(copy), "--store", f"oxigraph:{store}"], log=self.work / "baseline-load.log",
                env=env, cwd=root, timeout=self.args.timeout)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = stack.enter_context(Server(
            f"chipkg at {rev}", [*CHIPKG, "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--store", f"oxigraph:{store}"],
            url + "/healthz", log=self.work / "baseline-serve.log", env=env, cwd=root))
        self._cold(today, url, workload.fresh)
        self.log(f"comparing both servers' answers for the {len(workload.entities)} entities of the load")
        differ = different_answers(today, url, queries.ENTITY, workload.entities)
        if differ:
            raise RuntimeError(f"chipkg at {rev} answers the entity query differently for {len(differ)} of "
                               f"{len(workload.entities)} entities (first: {differ[0]}): its req/s would not "
                               "measure the same work")
        self.report.checks["baseline_same_answers"] = len(workload.entities)
        return url, server.process.pid

    def _cold(self, today: str, earlier: str, fresh: list[str]) -> None:
        """The entity query on entities never asked before, one client, each server in turn:
        the load rows below are cache-hot (each entity is asked many times), this is not."""
        json_post = (("Content-Type", "application/json"),)
        requests = [Request("POST", "/graphql", queries.graphql_body(queries.ENTITY, {"id": i}), json_post)
                    for i in fresh]
        self.log(f"one client: the entity query on {len(requests)} entities not asked before, each server")
        chipkg = one_client(today, requests, len(requests), _graphql_ok, budget=self.budget)
        anchor = one_client(earlier, requests[:len(chipkg)], len(chipkg), _graphql_ok)
        self.report.meta["cold_requests"] = len(chipkg)
        self.report.add(Figure("entity_cold_p50_ms", "entity query, not asked before, 1 client: p50", "ms",
                               f"chipkg at {self.args.baseline}, same entities", _pct(chipkg, 50),
                               _pct(anchor, 50)))

    def _repeated_get(self, base: dict[str, str], workload: Workload) -> None:
        import httpx

        query = urllib.parse.urlencode({"query": queries.ENTITY,
                                        "variables": json.dumps({"id": self.typical})})
        path = f"/graphql?{query}"
        self.log("HTTP load: repeated identical GET")
        chipkg_rps, _ = self._load(base["chipkg"], [Request("GET", path)], "chipkg-get")
        bare_rps, _ = self._load(base["bare"], [Request("GET", path)], "bare-get")
        self.report.add(Figure("http_get_repeated_rps", "identical GET /graphql: throughput", "req/s",
                               "bare Starlette JSON, same body size", chipkg_rps, bare_rps, better="higher"))
        first = httpx.get(base["chipkg"] + path, timeout=30)
        etag = first.headers.get("etag")
        figure = self.report.add(Figure("http_get_304_rps", "GET with If-None-Match (304): throughput", "req/s",
                                        "bare Starlette JSON 200, same body size", None, bare_rps, better="higher"))
        if etag is None:
            figure.note = "n/a: chipkg sent no ETag on GET /graphql"
            return
        again = httpx.get(base["chipkg"] + path, headers={"If-None-Match": etag}, timeout=30)
        if again.status_code != 304:
            figure.note = f"n/a: If-None-Match answered {again.status_code}, not 304"
            return
        self.log("HTTP load: If-None-Match → 304")
        figure.chipkg, _ = self._load(base["chipkg"], [Request("GET", path, headers=(("If-None-Match", etag),))],
                                      "chipkg-304")

    def _traversal(self, base: dict[str, str], workload: Workload) -> None:
        properties = queries.object_properties()
        json_post = (("Content-Type", "application/json"),)
        sparql_post = (("Content-Type", "application/sparql-query"), ("Accept", "application/sparql-results+json"))
        no_errors = _graphql_ok
        self.log(f"one client: up to {self.requests} depth-2 neighbourhoods or {self.budget:.0f} s, "
                 "chipkg and Oxigraph")
        hood = [Request("POST", "/graphql", queries.graphql_body(queries.NEIGHBORHOOD, {"id": c}), json_post)
                for c in workload.centers]
        hood_sparql = [Request("POST", "/query", queries.sparql_neighborhood(CKR + c, properties), sparql_post)
                       for c in workload.centers]
        chipkg = one_client(base["chipkg"], hood, self.requests, no_errors, budget=self.budget)
        anchor = one_client(base["oxigraph"], hood_sparql, len(chipkg))
        self.report.meta["neighborhood_requests"] = len(chipkg)
        self.report.add(Figure("neighborhood_depth2_p50_ms", "depth-2 neighbourhood, 1 client: p50", "ms",
                               "Oxigraph server, equivalent SPARQL", _pct(chipkg, 50), _pct(anchor, 50),
                               target="ratio <= 2"))
        self.log(f"one client: up to {self.requests} 3-hop path searches or {self.budget:.0f} s, chipkg and Oxigraph")
        paths = [Request("POST", "/graphql", queries.graphql_body(queries.PATHS, {"from": a, "to": b}), json_post)
                 for a, b in workload.pairs]
        paths_sparql = [Request("POST", "/query", queries.sparql_paths(CKR + a, CKR + b, properties), sparql_post)
                        for a, b in workload.pairs]
        chipkg = one_client(base["chipkg"], paths, self.requests, no_errors, budget=self.budget)
        anchor = one_client(base["oxigraph"], paths_sparql, len(chipkg))
        self.report.meta["paths_requests"] = len(chipkg)
        self.report.add(Figure("paths_3hop_p50_ms", "paths of ≤ 3 hops, 1 client: p50", "ms",
                               "Oxigraph server, equivalent SPARQL", _pct(chipkg, 50), _pct(anchor, 50),
                               target="ratio <= 2"))
        self.report.checks["same_answers"] = _compare(base, hood[:10], hood_sparql[:10], paths[:10], paths_sparql[:10])

    # ------------------------------------------------------------ reads beside writes

    def reads(self, store: Path, workload: Workload) -> None:
        self.log(f"reads idle, then beside a write stream and an export loop ({self.budget:.0f} s each)")
        measure_reads(self.report, command=CHIPKG, store=store, work=self.work, env=self.env,
                      entities=workload.entities, budget=self.budget, pct=_pct, check=_graphql_ok)

    def _store_triples(self, store: Path) -> None:
        import pyoxigraph as ox

        self.report.meta["store_triples"] = sum(1 for _ in ox.Store.read_only(str(store)).quads_for_pattern(
            None, None, None, ox.DefaultGraph()))

    # ------------------------------------------------------------ all

    def run(self) -> Report:
        started = time.perf_counter()
        corpus = self.corpus()
        self.report.meta.update({
            "size": self.args.size, "seed": self.args.seed, "quick": self.quick, "repeats": self.repeats,
            "format": self.args.format, "corpus_triples": self.manifest["triples"], "cpus": os.cpu_count(),
            "python": platform.python_version(), "connections": self.args.connections,
            "duration_s": self.duration, "commit": _commit()})
        self.log("choosing the workload from the corpus")
        if self.args.only == "writes":
            self.writes(self.load(corpus))
            self.report.meta["bench_seconds"] = round(time.perf_counter() - started, 1)
            return self.report
        workload = choose(self.data / "corpus.nt", seed=self.args.seed, count=50 if self.quick else 200)
        self.report.meta["workload"] = {"entities": len(workload.entities), "centers": len(workload.centers),
                                        "pairs": len(workload.pairs), "max_degree": workload.max_degree}
        if self.args.only == "graphql":
            store = self.load_once(corpus)
            self.in_process(store, workload)
            self.http(store, corpus, workload)
            self.report.meta["bench_seconds"] = round(time.perf_counter() - started, 1)
            return self.report
        if self.args.only == "reads":
            store = self.args.store or self.load(corpus)
            self._store_triples(store)
            self.reads(store, workload)
            self.report.meta["bench_seconds"] = round(time.perf_counter() - started, 1)
            return self.report
        store = self.load(corpus)
        self.in_process(store, workload)
        self.export(store)
        self.http(store, corpus, workload)
        self.writes(store)  # after the rows that compare answers with Oxigraph's: both write to the store
        self.reads(store, workload)
        self.report.meta["bench_seconds"] = round(time.perf_counter() - started, 1)
        return self.report


# -------------------------------------------------------------------- helpers


def _commit() -> str | None:
    """The checked-out commit, ``+dirty`` with uncommitted changes (figures are per commit)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its threads so far, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def _median(values) -> float:
    return statistics.median(list(values))


def _pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def _graphql_ok(response) -> None:
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"chipkg answered errors: {body['errors'][:1]}")


def _typical_response(base: str, ids: list[str]) -> tuple[str, bytes]:
    """The entity whose chipkg response is of median size among ``ids``, and that response
    (the bare anchor's body, and the entity the repeated GETs ask for)."""
    import httpx

    bodies = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in ids:
            response = client.post("/graphql", content=queries.graphql_body(queries.ENTITY, {"id": i}),
                                   headers={"Content-Type": "application/json"})
            _graphql_ok(response)
            bodies.append((len(response.content), i, response.content))
    _, entity, body = sorted(bodies)[len(bodies) // 2]
    return entity, body


def _same_triples(a: Path, b: Path) -> bool:
    """Both files hold the same graph (blank nodes compared after RDFC-1.0 relabelling)."""
    import pyoxigraph as ox

    graphs = []
    for path in (a, b):
        dataset = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        graphs.append({str(q) for q in dataset})
    return graphs[0] == graphs[1]


def different_answers(today: str, earlier: str, query: str, ids: list[str]) -> list[str]:
    """The ids for which two chipkg servers' answers to ``query`` (``$id``) differ, or either
    answered errors (wrk counts only HTTP failures: a GraphQL error is a 200)."""
    import httpx

    differ = []
    with httpx.Client(timeout=60) as client:
        for i in ids:
            answers = [client.post(base + "/graphql", content=queries.graphql_body(query, {"id": i}),
                                   headers={"Content-Type": "application/json"}).json() for base in (today, earlier)]
            if answers[0] != answers[1] or any("errors" in a for a in answers):
                differ.append(i)
    return differ


def _compare(base, hood, hood_sparql, paths, paths_sparql) -> dict:
    """Do chipkg and the SPARQL agree? The facts of each neighbourhood; the hop counts of
    each path answer (which of several equally long paths comes back may differ)."""
    import httpx

    def slug(iri: str) -> str:
        return iri.removeprefix(CKR)

    def local(iri: str) -> str:
        return iri.rsplit("#", 1)[-1]

    agree = {"neighborhoods": 0, "neighborhoods_checked": len(hood), "paths": 0, "paths_checked": len(paths)}
    with httpx.Client(timeout=60) as client:
        def ask(server: str, r: Request) -> dict:
            response = client.post(base[server] + r.path, content=r.body.encode("utf-8"), headers=dict(r.headers))
            response.raise_for_status()
            return response.json()

        for g, s in zip(hood, hood_sparql, strict=True):
            found = ask("chipkg", g)["data"]["neighborhood"]["edges"]
            edges = {(e["sourceId"], e["predicate"], e["targetId"]) for e in found}
            rows = {(slug(b["s"]["value"]), local(b["p"]["value"]), slug(b["o"]["value"]))
                    for b in ask("oxigraph", s)["results"]["bindings"]}
            agree["neighborhoods"] += edges == rows
        for g, s in zip(paths, paths_sparql, strict=True):
            lengths = [p["length"] for p in ask("chipkg", g)["data"]["paths"]]
            rows = [int(b["len"]["value"]) for b in ask("oxigraph", s)["results"]["bindings"]]
            agree["paths"] += lengths == rows
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="10k, 100k, 1M or a number like 250k (default 100k)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="corpus directory (default data/bench-SIZE; generated if missing)")
    parser.add_argument("--format", default="ttl", choices=["ttl", "nt"], help="file to load (default ttl)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="a smoke run: one repeat, few requests")
    parser.add_argument("--repeats", type=int, help="repeats of load, export and each HTTP load (default 3)")
    parser.add_argument("--duration", type=float, help="seconds per HTTP load run (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections under load (default 16)")
    parser.add_argument("--client", default="auto", choices=["auto", "wrk", "httpx"],
                        help="HTTP load generator: wrk if installed (auto), or a bounded httpx client")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a load or export is abandoned")
    parser.add_argument("--work", type=Path, help="scratch directory, emptied first (default DATA/work: "
                                                  "give your own when others bench on the same DATA)")
    parser.add_argument("--only", default="all", choices=["all", "reads", "graphql", "writes"],
                        help="run every section (default), only the reads-beside-writes rows, only the "
                             "entity-query rows (in-process and HTTP beside { hello }), or only the write rows")
    parser.add_argument("--baseline", metavar="REV",
                        help="also serve chipkg as it was at git commit REV (bench/baseline.py) and report the "
                             "entity query's req/s beside it; issue 10's target is 5x d053e5d's")
    parser.add_argument("--store", type=Path, help="with --only reads: an on-disk store already loaded with "
                                                   "the corpus (it is written to), instead of loading one")
    args = parser.parse_args(argv)
    if args.baseline and args.only in ("reads", "writes"):
        parser.error("--baseline goes with the HTTP rows: a full run or --only graphql")
    try:
        if args.baseline:
            baseline.resolve(args.baseline, REPO)  # a bad REV is said before minutes of loading
        report = Bench(args).run()
    except (CommandFailed, RuntimeError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    meta = report.meta
    print(f"\nchipkg bench: {meta['size']} corpus ({meta['corpus_triples']:,} triples; {meta['store_triples']:,} "
          f"in the store with the ontology and seed), seed {meta['seed']}, {meta['cpus']} CPUs, "
          f"load by {meta.get('load_generator', '?')} with {meta['connections']} connections, "
          f"{meta['repeats']} repeat(s){', quick' if meta['quick'] else ''}, commit {meta['commit']}\n")
    print(report.table())
    print(f"\nchecks: {json.dumps(report.checks)}; {meta['bench_seconds']} s in all")
    if args.json:
        report.write_json(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
