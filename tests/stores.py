"""The stores the graph-layer and schema tests run on, and a real Oxigraph server for one.

``STORES`` names them as ``--store`` does: ``memory``, ``oxigraph`` (on disk, a new
directory per graph) and ``sparql`` (an ``oxigraph serve`` process on 127.0.0.1, the
server the ``oxigraph`` package on PyPI ships). ``Graphs`` builds ``KnowledgeGraph``
objects on one of them; the conftests parametrise over it.

A SPARQL server holds one dataset, so the remote store uses two servers: one loaded with
the seed once and only read (the session's seed graphs), and a scratch one that every
fresh graph resets (``CLEAR ALL`` and a Graph Store upload of the seed files, a few
milliseconds) — so two fresh graphs in one test would share data; no test needs two.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from chipkg.graph import KnowledgeGraph
from chipkg.graph.remote import SparqlStore
from chipkg.graph.store import OxigraphStore
from chipkg.seed import ONTOLOGY, article_graphs

STORES = ("memory", "oxigraph", "sparql")
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The ``oxigraph`` command beside this Python (a venv's bin/ need not be on PATH)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph (the 'test' extra)")
    return found


class OxigraphServer:
    """``oxigraph serve`` on a free port of 127.0.0.1, with its data in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.base = f"http://127.0.0.1:{free_port()}"
        self.query_url, self.update_url = self.base + "/query", self.base + "/update"
        self.spec = f"sparql:{self.query_url},{self.update_url}"
        self._log = open(directory / "oxigraph.log", "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(directory / "data"), "--bind", self.base[7:]],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._http = httpx.Client(timeout=30.0)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}: "
                                   + (self.directory / "oxigraph.log").read_text("utf-8", "replace"))
            try:
                if self._http.get(self.base + "/").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"oxigraph did not answer on {self.base} within {STARTUP_TIMEOUT} s")

    def reset(self, *, seed: bool = True) -> None:
        """Empty the dataset, then load the ontology and the seed articles unless told not to."""
        self._http.post(self.update_url, content="CLEAR ALL",
                        headers={"Content-Type": "application/sparql-update"}).raise_for_status()
        for path in [ONTOLOGY, *article_graphs()] if seed else []:
            self._http.post(self.base + "/store", params={"default": ""}, content=path.read_bytes(),
                            headers={"Content-Type": "text/turtle"}).raise_for_status()

    def store(self) -> SparqlStore:
        return SparqlStore(self.query_url, self.update_url)

    def stop(self) -> None:
        self._http.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._log.close()


class Graphs:
    """``KnowledgeGraph`` objects on one kind of store. ``close()`` closes the seeded ones;
    whoever asks for a fresh one closes it."""

    def __init__(self, kind: str, directory: Path, seed_server: OxigraphServer | None = None,
                 scratch_server: OxigraphServer | None = None) -> None:
        self.kind, self.directory = kind, directory
        self.seed_server, self.scratch_server = seed_server, scratch_server
        self._made: list[KnowledgeGraph] = []
        self._count = 0

    def seeded(self, **kwargs: object) -> KnowledgeGraph:
        """A graph on the seed to share and only read (on the remote store, the seed server)."""
        if self.kind == "sparql":
            assert self.seed_server is not None
            return self._keep(KnowledgeGraph(self.seed_server.store(), **kwargs))  # type: ignore[arg-type]
        return self._keep(self.fresh(**kwargs))

    def fresh(self, **kwargs: object) -> KnowledgeGraph:
        """A new graph of its own to write to (seeded unless ``seed_data=False``)."""
        if self.kind == "memory":
            return KnowledgeGraph(**kwargs)  # type: ignore[arg-type]
        if self.kind == "oxigraph":
            self._count += 1
            return KnowledgeGraph(OxigraphStore(self.directory / f"graph-{self._count}"), **kwargs)  # type: ignore[arg-type]
        assert self.scratch_server is not None
        self.scratch_server.reset(seed=bool(kwargs.get("seed_data", True)))
        return KnowledgeGraph(self.scratch_server.store(), **kwargs)  # type: ignore[arg-type]

    def _keep(self, kg: KnowledgeGraph) -> KnowledgeGraph:
        self._made.append(kg)
        return kg

    def close(self) -> None:
        while self._made:
            self._made.pop().close()
