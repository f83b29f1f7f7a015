"""What the reliability tests share: sizes, a ``chipkg serve`` subprocess, GraphQL over
HTTP with response checks, and a loopback listener that must hear nothing.

Sizes: by default every test runs at CI size; ``CHIPKG_RELIABILITY_FULL=1`` (``make
reliability``) runs the bigger numbers, and each knob can be set alone with
``CHIPKG_RELIABILITY_<NAME>`` (see ``knob``).

``start_server`` runs ``chipkg serve`` on 127.0.0.1 (port 0, read back from its first
line), its stdout and stderr going to a file the tests read afterwards (for tracebacks,
and for the token). ``Listener`` records every connection made to it: the proof that no
request left the server.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

FULL = os.environ.get("CHIPKG_RELIABILITY_FULL", "") == "1"
TOKEN = "rel-token-4b9e1c77d2"  # distinctive, so a grep of the logs cannot miss it
STARTUP_TIMEOUT = 60.0
CKR = "https://w3id.org/chipkg/resource/"
ARTICLE = "h20-article"
# A sentence of the seed article, verbatim, that states a competition (paragraph 5).
EVIDENCE = "Huaweiは、高度なAIシステムを駆動するNvidiaと直接競合するように設計された、多数のチップを展示しました。"
EVIDENCE_PARAGRAPH = 5

T = TypeVar("T", int, float)

# Failures found by this suite and not yet fixed, by the exception line they log. The
# fuzzers count a response that one of these explains (an INTERNAL_SERVER_ERROR whose
# logged cause matches) as a known hit, reported in the figures, instead of failing;
# anything else fails. Each graph-layer entry has a strict xfail test in
# test_hostile_input.py: when the fix lands that test passes, fails as XPASS, and the
# entry and the xfail marker go together.
KNOWN_BUGS: dict[str, re.Pattern[str]] = {}  # none open: ids and language tags are checked now
# Upstream, harmless, and not ours: when an error nulls a parent, graphql-core leaves the
# siblings' coroutines un-awaited (graphql-core issues #236 and #269). Python warns when
# they are collected, and at interpreter exit prints them as "Exception ignored in:
# <coroutine ...>" with a KeyError traceback. Counted, not failed.
UPSTREAM_NOISE = re.compile(r"Exception ignored in: <coroutine object ")


def knob(name: str, ci: T, full: T) -> T:
    """A size: ``CHIPKG_RELIABILITY_<NAME>`` if set, else ``full`` or ``ci`` by the mode."""
    raw = os.environ.get(f"CHIPKG_RELIABILITY_{name.upper()}")
    chosen = full if FULL else ci
    return type(chosen)(raw) if raw else chosen


# ------------------------------------------------------------------ a real server


@dataclass
class Server:
    """A ``chipkg serve`` subprocess and where its output went."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def assert_no_tracebacks(self) -> None:
        """No traceback in the log but those of ``KNOWN_ISSUES`` (see ``unexplained_tracebacks``)."""
        unexplained = unexplained_tracebacks(self.output())
        assert not unexplained, "\n\n".join(unexplained[:5])


_SERVING = re.compile(r"chipkg serving on (http://127\.0\.0\.1:\d+)/")


@contextlib.contextmanager
def served_on_disk(where: Path) -> Iterator[Server]:
    """``chipkg serve --store oxigraph:WHERE/store`` for the duration, then stopped, and its
    log checked for tracebacks nothing explains."""
    server = start_server(where / "server.log", store=f"oxigraph:{where / 'store'}")
    try:
        yield server
    finally:
        server.stop()
    server.assert_no_tracebacks()


def start_server(log: Path, *, store: str = "memory", token: str | None = TOKEN, log_level: str = "warning",
                 env: dict[str, str] | None = None) -> Server:
    """``chipkg serve --store STORE --port 0`` on loopback, waited for on ``/healthz``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CHIPKG_")}
    environ.update(env or {})
    if token is not None:
        environ["CHIPKG_TOKEN"] = token
    command = [sys.executable, "-c", "from chipkg.api.cli import main; raise SystemExit(main())",
               "serve", "--store", store, "--host", "127.0.0.1", "--port", "0", "--log-level", log_level]
    with open(log, "ab") as out:  # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen(command, env=environ, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chipkg serve exited with {process.returncode}:\n{log.read_text('utf-8', 'replace')}")
        # Only this run's line: a restarted server appends to the same log.
        found = _SERVING.findall(log.read_text("utf-8", "replace"))
        if found:
            base = found[-1]
            try:
                if httpx.get(base + "/healthz", timeout=2.0).status_code == 200:
                    return Server(process, base, log)
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"chipkg serve did not answer within {STARTUP_TIMEOUT} s")


# ------------------------------------------------------------------ GraphQL over HTTP


def graphql(client: httpx.Client, query: str, variables: dict[str, Any] | None = None, *,
            token: str | None = None) -> dict[str, Any]:
    """POST a query; the JSON response (asserting HTTP 200)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def check_graphql_response(body: Any) -> None:
    """A well-formed GraphQL response: data and/or errors, a code on every error, nothing internal."""
    assert isinstance(body, dict), body
    assert set(body) <= {"data", "errors", "extensions"}, body
    assert "data" in body or "errors" in body, body
    for error in body.get("errors") or []:
        assert isinstance(error.get("message"), str), error
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str) and code, f"error without extensions.code: {error}"
        assert code != "INTERNAL_SERVER_ERROR", error
        assert "Traceback" not in error["message"], error


def check_error_body(response: httpx.Response) -> str:
    """A chipkg HTTP error: JSON ``{"error": {"code", "message"}}``; returns the code."""
    assert response.headers.get("content-type", "").startswith("application/json"), response.text[:300]
    error = response.json()["error"]
    assert isinstance(error["message"], str) and "Traceback" not in error["message"]
    return error["code"]


# ------------------------------------------------------------------ a listener that must hear nothing


@dataclass
class Listener:
    """A TCP socket on 127.0.0.1 that records every connection and answers it with ``body``
    (so that, were anything fetched, its content would show up in the graph too)."""

    body: bytes = b""
    content_type: str = "text/turtle"
    connections: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self._sock.accept()
            except OSError:
                continue
            self.connections.append(peer)
            with conn:
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: {self.content_type}\r\n"
                        f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n").encode()
                with contextlib.suppress(OSError):
                    conn.sendall(head + self.body)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def in_process_client(app: Any, **kwargs: Any) -> Any:
    """Starlette's ``TestClient`` on ``app``, without its warning that it would rather run
    on httpx2 (httpx works, and is what the rest of the suite uses)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient(app, **kwargs)


def known_bug(exception_line: str) -> str | None:
    """The ``KNOWN_BUGS`` entry that explains a logged exception line, if any."""
    return next((name for name, pattern in KNOWN_BUGS.items() if pattern.search(exception_line)), None)


def tracebacks(text: str) -> list[tuple[str, str]]:
    """Every traceback in a log: (the line before it, the exception line that ends it)."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            end = next((lines[j] for j in range(i + 1, len(lines)) if lines[j] and not lines[j][0].isspace()), "")
            found.append((lines[i - 1] if i else "", end))
    return found


def unexplained_tracebacks(text: str) -> list[str]:
    """Tracebacks in a server log that neither ``KNOWN_BUGS`` nor ``UPSTREAM_NOISE`` explain."""
    return [f"{before}\n...\n{end}" for before, end in tracebacks(text)
            if not UPSTREAM_NOISE.search(before) and known_bug(end) is None]


# ------------------------------------------------------------------ a dense synthetic graph


def dense_triples(n: int, *, p: float = 1.0, seed: int = 7) -> list[Any]:
    """``n`` companies, each pair competing with probability ``p`` (1.0: the complete
    graph, n(n-1)/2 facts), every fact with its ``rdf:Statement``, evidence and source,
    and one article. Built as triples for the store directly: validating 20,000 facts
    one ``add`` at a time would take the suite's whole budget, and the point here is the
    shape of the graph, which the shapes do not constrain."""
    import random

    import pyoxigraph as ox

    rdf, rdfs, ckg = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                      "https://w3id.org/chipkg/ontology#")
    node = ox.NamedNode
    a, label, competes = node(rdf + "type"), node(rdfs + "label"), node(ckg + "competesWith")
    article = node(CKR + "dense-article")
    triples = [ox.Triple(article, a, node(ckg + "Article")),
               ox.Triple(article, label, ox.Literal("Dense", language="en")),
               ox.Triple(article, label, ox.Literal("密", language="ja"))]
    for i in range(n):
        company = node(f"{CKR}co-{i}")
        triples += [ox.Triple(company, a, node(ckg + "Company")),
                    ox.Triple(company, label, ox.Literal(f"Co {i}", language="en")),
                    ox.Triple(company, label, ox.Literal(f"会社{i}", language="ja"))]
    chance = random.Random(seed)
    for i in range(n):
        for j in range(i + 1, n):
            if p < 1.0 and chance.random() >= p:
                continue
            s, o, st = node(f"{CKR}co-{i}"), node(f"{CKR}co-{j}"), node(f"{CKR}co-{i}-competes-with-co-{j}")
            triples += [ox.Triple(s, competes, o), ox.Triple(st, a, node(rdf + "Statement")),
                        ox.Triple(st, node(rdf + "subject"), s), ox.Triple(st, node(rdf + "predicate"), competes),
                        ox.Triple(st, node(rdf + "object"), o),
                        ox.Triple(st, node(ckg + "evidence"), ox.Literal(EVIDENCE, language="ja")),
                        ox.Triple(st, node("http://www.w3.org/ns/prov#wasDerivedFrom"), article)]
    return triples
