"""Stalled and hostile connections, over raw sockets against real servers on 127.0.0.1.

Each server is started as an operator would: ``chipkg serve``, or bare ``uvicorn
--factory`` with the guarded protocol, configured by ``CHIPKG_*`` variables with short
timeouts. No wall-clock assertion here is tighter than a generous ceiling: the tests
assert what happens (a 408, a close, a 200 for someone else), not how fast.
"""

from __future__ import annotations

import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

SHORT = 1.0  # header and body timeouts of the "short" servers, seconds
CEILING = 20.0  # how long a test waits for something that should take about SHORT
STARTUP = 60.0
STALLED = 300


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(tmp: Path, how: str, env: dict[str, str], nofile: int | None = None) -> Served:
    """``chipkg serve`` or bare uvicorn with the guarded protocol, waited for on /healthz."""
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CHIPKG_")}
    environ.update(env)
    if how == "chipkg serve":
        command = [sys.executable, "-m", "chipkg.api.cli", "serve", "--port", str(port)]
    else:
        command = [sys.executable, "-m", "uvicorn", "--factory", "chipkg.api.app:create_app", "--port", str(port),
                   "--http", "chipkg.api.connections:GuardedH11Protocol", "--log-level", "warning"]

    def limit() -> None:
        if nofile is not None:  # a low soft limit, as on many machines; the hard one is left alone
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    log = tmp / f"server-{port}.log"
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen(command, env=environ, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit)  # noqa: PLW1509 (setrlimit only)
    served = Served(process, port, log)
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(served.base + "/healthz", timeout=2.0).status_code == 200:
                return served
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"no answer within {STARTUP} s")


def _stop(served: Served) -> None:
    served.process.terminate()
    try:
        served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait(timeout=5)
    assert "Traceback" not in served.log.read_text("utf-8", "replace"), served.log.read_text()


@pytest.fixture(scope="module", params=["chipkg serve", "uvicorn --factory"])
def short(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server that gives clients SHORT seconds for headers and for a body."""
    served = _start(tmp_path_factory.mktemp("short"), request.param,
                    {"CHIPKG_HEADER_TIMEOUT": str(SHORT), "CHIPKG_BODY_TIMEOUT": str(SHORT)})
    yield served
    _stop(served)


@pytest.fixture(scope="module")
def patient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``chipkg serve`` with long timeouts, started with a soft limit of 256 descriptors."""
    served = _start(tmp_path_factory.mktemp("patient"), "chipkg serve",
                    {"CHIPKG_HEADER_TIMEOUT": "120", "CHIPKG_BODY_TIMEOUT": "120"}, nofile=256)
    yield served
    _stop(served)


def _connect(served: Served, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=CEILING)
    if data:
        sock.sendall(data)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends before it closes; fails the test past CEILING."""
    received = b""
    deadline = time.monotonic() + CEILING
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    pytest.fail(f"the server held the connection for more than {CEILING} s; it sent {received[:200]!r}")


def _read_response(sock: socket.socket, received: bytes = b"") -> bytes:
    """One whole response (head and Content-Length body), without waiting for the close."""
    sock.settimeout(CEILING)
    while b"\r\n\r\n" not in received or len(received.partition(b"\r\n\r\n")[2]) < int(
            re.search(rb"(?i)content-length: *(\d+)", received).group(1)):  # type: ignore[union-attr]
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def _status_and_code(raw: bytes) -> tuple[int, str | None]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        return status, json.loads(body)["error"]["code"]
    except ValueError:
        return status, None


def _healthy(served: Served) -> None:
    response = httpx.get(served.base + "/healthz", timeout=CEILING)
    assert response.status_code == 200 and response.json()["status"] == "ok"


POST_HEAD = (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: %d\r\n\r\n")


# ------------------------------------------------------------------ stalled headers


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"GET /hea"],
                         ids=["nothing", "headers-without-end", "half-a-request-line"])
def test_stalled_headers_are_cut_off_while_others_are_served(short: Served, sent: bytes) -> None:
    with _connect(short, sent) as stalled:
        _healthy(short)  # someone else is served meanwhile
        received = _read_until_closed(stalled)
    if sent:
        assert _status_and_code(received) == (408, "REQUEST_TIMEOUT")
    else:
        assert received == b""  # nothing asked, nothing answered: just closed


def test_headers_dribbled_a_byte_at_a_time_are_cut_off(short: Served) -> None:
    """The header deadline is absolute: bytes that keep arriving do not extend it."""
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    with _connect(short) as sock:
        sock.settimeout(0.2)
        closed = False
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
                if sock.recv(65536) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed, "a request dribbled over 40 s was still being read"


# ------------------------------------------------------------------ stalled bodies


def test_a_stalled_body_gets_408_and_is_closed(short: Served) -> None:
    with _connect(short, POST_HEAD % 100 + b'{"query": "{ __typ') as stalled:
        _healthy(short)
        assert _status_and_code(_read_until_closed(stalled)) == (408, "REQUEST_TIMEOUT")


def test_a_body_dribbled_a_byte_at_a_time_is_cut_off(short: Served) -> None:
    """The body timeout is a total of waiting, not a gap between reads."""
    with _connect(short, POST_HEAD % 1000) as sock:
        sock.settimeout(0.25)
        received = b""
        deadline = time.monotonic() + CEILING
        while time.monotonic() < deadline:
            try:
                sock.sendall(b" ")
                received += sock.recv(65536)
                break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            pytest.fail("a body dribbled for CEILING seconds was still being read")
        if received:
            assert _status_and_code(_read_response(sock, received)) == (408, "REQUEST_TIMEOUT")


def test_a_body_nobody_reads_is_not_waited_for_forever(short: Served) -> None:
    """An unknown path answers 404 without reading the body; dribbling the rest of it
    must not keep the connection open."""
    with _connect(short, b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab") as sock:
        assert _status_and_code(_read_response(sock)) == (404, "NOT_FOUND")
        sock.settimeout(0.25)
        deadline = time.monotonic() + CEILING
        while time.monotonic() < deadline:
            try:
                sock.sendall(b" ")
                if sock.recv(65536) == b"":
                    return
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                return
        pytest.fail("the rest of an unread body was still being read after CEILING seconds")


# ------------------------------------------------------------------ declared lengths and many stalls


def test_a_huge_declared_length_is_413_at_once(patient: Served) -> None:
    """No body follows, and the server's body timeout is 120 s: the 413 must not wait for it."""
    with _connect(patient, POST_HEAD % 99_999_999_999) as sock:
        response = _read_response(sock)
        assert _status_and_code(response) == (413, "PAYLOAD_TOO_LARGE")
        assert b"connection: close" in response.lower()


def test_many_stalled_connections_do_not_starve_a_fresh_client(patient: Served) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2 * STALLED:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4 * STALLED), hard))
    with ExitStack() as stack:
        for i in range(STALLED):
            data = b"GET /healthz HTTP/1.1\r\n" if i % 2 else POST_HEAD % 100 + b"{"
            stack.enter_context(_connect(patient, data))
        for _ in range(3):
            _healthy(patient)
            response = httpx.post(patient.base + "/graphql", json={"query": "{ __typename }"}, timeout=CEILING)
            assert response.json() == {"data": {"__typename": "Query"}}


def test_past_the_connection_cap_a_fresh_client_gets_503_not_a_hang(tmp_path: Path) -> None:
    served = _start(tmp_path, "chipkg serve", {"CHIPKG_MAX_CONNECTIONS": "20", "CHIPKG_HEADER_TIMEOUT": "5"})
    try:
        with ExitStack() as stack:
            for _ in range(25):
                stack.enter_context(_connect(served, b"GET /healthz HTTP/1.1\r\n"))
            response = httpx.get(served.base + "/healthz", timeout=CEILING)
            assert response.status_code == 503
        # The stalled ones are cut off by the header timeout, and service resumes.
        deadline = time.monotonic() + CEILING
        while httpx.get(served.base + "/healthz", timeout=CEILING).status_code != 200:
            assert time.monotonic() < deadline, "still refusing after the stalled connections closed"
            time.sleep(0.2)
    finally:
        _stop(served)


def test_the_settings_are_checked() -> None:
    from chipkg.api.settings import Settings
    from chipkg.graph import InvalidInput

    for bad in ({"header_timeout": 0}, {"body_timeout": -1}, {"max_connections": 0}, {"graphql_cache_bytes": -1}):
        with pytest.raises(InvalidInput, match=re.escape(next(iter(bad)))):
            Settings(**bad)  # type: ignore[arg-type]
    env = {"CHIPKG_HEADER_TIMEOUT": "2.5", "CHIPKG_BODY_TIMEOUT": "7", "CHIPKG_MAX_CONNECTIONS": "50",
           "CHIPKG_GRAPHQL_CACHE_BYTES": "0"}
    settings = Settings.from_env(env)
    assert (settings.header_timeout, settings.body_timeout, settings.max_connections,
            settings.graphql_cache_bytes) == (2.5, 7.0, 50, 0)
