"""Fixtures for the HTTP service tests.

``server`` is a real uvicorn on 127.0.0.1 in a subprocess, started once per session with
``uvicorn --factory chipkg.api.app:create_app`` with the guarded protocol (as the README
runs it) and configured the way an operator would
(``CHIPKG_*`` variables), waited for on ``/healthz`` and stopped at the end. ``http`` is
an ``httpx.Client`` on it. In-process tests build apps with ``make_client`` instead: a
``TestClient`` entered with ``with``, so the app's lifespan runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from starlette.types import ASGIApp

from chipkg.api.app import create_app
from chipkg.api.settings import Settings
from chipkg.graph import KnowledgeGraph

with warnings.catch_warnings():
    # Starlette 1.x would rather its TestClient ran on httpx2; httpx still works and is
    # what these tests (and the brief) use.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "test-token-7f3a"
SPARQL_TIMEOUT = 1.0  # seconds, for the server under test
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = STARTUP_TIMEOUT) -> None:
    """Poll ``url`` until it answers 200; fail early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT``) of a real chipkg server on the seed graph."""
    port = free_port()
    env = {**os.environ, "CHIPKG_TOKEN": TOKEN, "CHIPKG_STORE": "memory",
           "CHIPKG_SPARQL_TIMEOUT": str(SPARQL_TIMEOUT)}
    log_path = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with open(log_path, "wb") as log:  # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "chipkg.api.app:create_app",
             "--http", "chipkg.api.connections:GuardedH11Protocol",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", process)
        yield base
    finally:
        stop(process)
    # A traceback in the server log means some request crashed a handler (or left an
    # object to die on the wrong thread, which Python reports as "Exception ignored").
    output = log_path.read_text("utf-8", "replace")
    assert "Traceback" not in output and "Exception ignored" not in output, output


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30.0) as client:
        yield client


@pytest.fixture(scope="session")
def shared_kg() -> KnowledgeGraph:
    """A seeded graph for in-process tests that only read."""
    return KnowledgeGraph()


@pytest.fixture
def client_of() -> Callable[[ASGIApp], TestClient]:
    """``with client_of(app) as client:`` → a TestClient on any ASGI app."""
    return TestClient


@pytest.fixture
def make_client() -> Callable[..., AbstractContextManager[TestClient]]:
    """``with make_client(kg=..., **settings) as client:`` → a TestClient on a new app."""
    def build(kg: KnowledgeGraph | None = None, **settings: object) -> TestClient:
        return TestClient(create_app(kg, Settings(**settings)))  # type: ignore[arg-type]
    return build
