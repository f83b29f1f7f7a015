"""What one SPARQL query may take from the server: its slot until the timeout, its
memory up to the cap, and nothing after. Checked on a real ``chipkg serve`` with a short
timeout and a small memory cap, by behaviour: who answers, with what, and which child
processes remain (no sub-second timing is asserted; every wait has a ceiling of 10 s or
more).

Before queries ran in killable workers, two slow COUNTs held both slots until they
ended (every later query was a 503), and a cartesian ORDER BY grew the server until the
kernel killed it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .support import Server, check_error_body, start_server

TIMEOUT = 2  # seconds per query on the test server
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^9 rows on the seed
CARTESIAN_ORDER = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?c ?f ?i LIMIT 1"
JSON = {"Accept": "application/sparql-results+json"}


def _server(where: Path, **env: str) -> Iterator[Server]:
    server = start_server(where / "server.log", env={f"CHIPKG_{k.upper()}": v for k, v in env.items()})
    try:
        yield server
    finally:
        server.stop()
    server.assert_no_tracebacks()


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 2 s query timeout, two query slots and a 64 MiB memory cap."""
    yield from _server(tmp_path_factory.mktemp("resources"), sparql_timeout=str(TIMEOUT), sparql_concurrency="2",
                       sparql_memory_limit=str(64 << 20))


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A 64 MiB memory cap and a timeout long enough that, however busy the machine, the
    cap is what stops a runaway query."""
    yield from _server(tmp_path_factory.mktemp("capped"), sparql_timeout="120", sparql_memory_limit=str(64 << 20))


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, state) of every child process of ``pid``; state ``Z`` is a zombie."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append((int(entry.name), fields[0]))
    return found


def wait_for_no_children(pid: int, ceiling: float = 15.0) -> list[tuple[int, str]]:
    deadline = time.monotonic() + ceiling
    while (left := children(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def ask(client: httpx.Client, query: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers=JSON)


def test_timed_out_queries_free_their_slots(small_server: Server) -> None:
    responses: list[httpx.Response] = []
    with httpx.Client(base_url=small_server.base, timeout=60) as client:
        threads = [threading.Thread(target=lambda: responses.append(ask(client, SLOW_COUNT))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert [r.status_code for r in responses] == [503, 503], [r.text for r in responses]
        assert {check_error_body(r) for r in responses} == {"SPARQL_TIMEOUT"}
        # The very next query is answered: both slots are free again.
        after = ask(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert after.status_code == 200, after.text
        assert int(after.json()["results"]["bindings"][0]["n"]["value"]) > 0
    # And the two slow queries no longer run anywhere: no worker process is left.
    assert wait_for_no_children(small_server.process.pid) == []


def test_a_query_over_the_memory_cap_is_refused_and_the_server_lives(capped_server: Server) -> None:
    with httpx.Client(base_url=capped_server.base, timeout=180) as client:
        response = ask(client, CARTESIAN_ORDER)
        assert response.status_code == 400, response.text
        assert check_error_body(response) == "SPARQL_MEMORY_LIMIT"
        assert "64 MiB" in response.json()["error"]["message"]
        assert client.get("/healthz").json()["status"] == "ok"
        assert ask(client, "ASK { ?s ?p ?o }").json()["boolean"] is True
    assert capped_server.process.poll() is None
    assert wait_for_no_children(capped_server.process.pid) == []


def test_many_queries_leave_no_zombies(small_server: Server) -> None:
    statuses: list[int] = []
    with httpx.Client(base_url=small_server.base, timeout=60) as client:
        for query in ["ASK { ?s ?p ?o }", "SELEC nonsense", SLOW_COUNT, CARTESIAN_ORDER,
                      "SELECT * WHERE { ?s ?p ?o } LIMIT 5"] * 2:
            statuses.append(ask(client, query).status_code)
    assert sorted(set(statuses)) == [200, 400, 503]
    assert wait_for_no_children(small_server.process.pid) == []


def test_the_server_rss_stays_small_after_a_runaway_query(capped_server: Server) -> None:
    """The memory a capped query took was the child's: the server's own stays put."""
    def rss() -> int:
        status = Path(f"/proc/{capped_server.process.pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) * 1024

    with httpx.Client(base_url=capped_server.base, timeout=180) as client:
        ask(client, "ASK { ?s ?p ?o }")
        before = rss()
        for _ in range(3):
            assert ask(client, CARTESIAN_ORDER).status_code == 400
    assert rss() - before < 64 << 20  # three 64 MiB runaways, and the server grew by less than one


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_the_worker_cannot_connect_anywhere(make_listener) -> None:  # type: ignore[no-untyped-def]
    """The second wall behind the guard: a SERVICE that reached pyoxigraph in a worker
    still makes no connection (where the kernel allows a private network namespace)."""
    from chipkg.api.errors import HTTPError
    from chipkg.api.sparql import answer
    from chipkg.api.sparql_worker import Budget, run_forked
    from chipkg.graph import KnowledgeGraph

    if not _can_isolate():
        pytest.skip("this kernel does not allow unprivileged network namespaces")
    listener = make_listener(body=b"", content_type="application/sparql-results+json")
    kg = KnowledgeGraph()
    query = f"SELECT * WHERE {{ SERVICE <{listener.url('/sparql')}> {{ ?s ?p ?o }} }}"  # the guard is bypassed
    with pytest.raises(HTTPError) as caught:
        run_forked(lambda: answer(kg.store, query, None, max_bytes=1 << 20),
                   Budget(time.monotonic() + 20, 20, 1 << 20, 256 << 20), kg.quiesced)
    assert caught.value.status == 503  # the store could not reach the service
    time.sleep(0.5)
    assert listener.connections == []


def _can_isolate() -> bool:
    """Whether a forked child can enter a new network namespace here."""
    from chipkg.api.sparql_worker import isolate_network

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0 if isolate_network() else 1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_a_write_that_holds_on_makes_a_timeout_not_a_hang() -> None:
    """The fork waits for writes to finish, but not past the query's deadline."""
    from chipkg.api.errors import HTTPError
    from chipkg.api.sparql import evaluate
    from chipkg.graph import KnowledgeGraph

    kg = KnowledgeGraph()
    servers = {pid for pid, _ in children(os.getpid())}  # this module's chipkg serve processes
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        with kg.quiesced():  # what a long write holds
            held.set()
            release.wait(60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(HTTPError) as caught:
            evaluate(kg.store, "ASK { ?s ?p ?o }", None, deadline=time.monotonic() + 1, max_bytes=1 << 20,
                     slots=threading.BoundedSemaphore(1), timeout=1, memory_limit=1 << 30, pause=kg.quiesced)
        assert caught.value.code == "SPARQL_TIMEOUT"
    finally:
        release.set()
        thread.join(timeout=30)
    assert {pid for pid, _ in children(os.getpid())} <= servers  # no worker was forked, none left


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_the_memory_limit_must_be_positive(raw: str) -> None:
    from chipkg.api.settings import Settings
    from chipkg.graph import InvalidInput

    with pytest.raises(InvalidInput, match="sparql_memory_limit"):
        Settings.from_env({"CHIPKG_SPARQL_MEMORY_LIMIT": raw})
    assert Settings.from_env({}).sparql_memory_limit == 1 << 30
