"""The app in-process: its lifespan, embedding under a prefix, escaping, CORS, the
GraphQL context's write flag, SPARQL budgets, and graph work kept off the event loop."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from chipkg import KnowledgeGraph, create_app
from chipkg.api.graphql import ChipKGGraphQL
from chipkg.api.settings import Settings

CKR = "https://w3id.org/chipkg/resource/"


def test_lifespan_opens_and_closes_the_graph(client_of) -> None:
    app = create_app(settings=Settings(store="memory"))
    assert app.state.kg is None
    with client_of(app) as client:
        assert isinstance(app.state.kg, KnowledgeGraph)
        assert client.get("/healthz").json()["status"] == "ok"
        assert len(app.state.kg.store) > 1000
    assert app.state.kg is None


def test_a_graph_passed_in_is_used_and_not_closed(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        assert client.get("/healthz").json() == {"status": "ok", "version": shared_kg.version, "writable": True}
    assert shared_kg.entity("nvidia").label() == "Nvidia"


def test_a_bad_store_fails_start_up(client_of) -> None:
    with pytest.raises(Exception, match="unknown store"), \
            client_of(create_app(settings=Settings(store="nosuch:place"))):
        pass


def test_two_apps_share_nothing(client_of, shared_kg: KnowledgeGraph) -> None:
    other = KnowledgeGraph()
    other.add_entity("Company", "Acme Chips", "アクメ", entity_id="acme-chips")
    with client_of(create_app(shared_kg, Settings())) as a, client_of(create_app(other, Settings())) as b:
        assert a.get("/resource/acme-chips").status_code == 404
        assert b.get("/resource/acme-chips").status_code == 200


# ------------------------------------------------------------------ embedding


def outer_app(inner: Starlette, *, run_inner_lifespan: bool) -> Starlette:
    async def home(request: Request) -> PlainTextResponse:
        return PlainTextResponse("the host app")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with inner.router.lifespan_context(inner):
            yield

    return Starlette(routes=[Route("/", home), Mount("/kg", app=inner)],
                     lifespan=lifespan if run_inner_lifespan else None)


def test_mounted_under_a_prefix_with_a_graph(client_of, shared_kg: KnowledgeGraph) -> None:
    with client_of(outer_app(create_app(shared_kg, Settings()), run_inner_lifespan=False)) as client:
        assert client.get("/").text == "the host app"
        assert client.get("/kg/healthz").json()["status"] == "ok"
        page = client.get("/kg/resource/nvidia", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert 'href="../resource/h20"' in page.text  # relative, so it stays under /kg
        assert client.get("/kg/resource/h20", headers={"Accept": "text/html"}).status_code == 200
        assert client.get("/kg/export", params={"entity": "h20"}).headers["content-type"].startswith("text/turtle")
        assert client.post("/kg/graphql", json={"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}
        assert client.get("/kg/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
        assert client.get("/healthz").status_code == 404


def test_mounted_without_a_graph_runs_its_lifespan_from_the_host(client_of) -> None:
    inner = create_app(settings=Settings())
    with client_of(outer_app(inner, run_inner_lifespan=True)) as client:
        assert client.get("/kg/healthz").json()["status"] == "ok"
        assert len(inner.state.kg.store) > 1000
    assert inner.state.kg is None


def test_mounted_without_graph_or_lifespan_says_so(client_of) -> None:
    with client_of(outer_app(create_app(settings=Settings()), run_inner_lifespan=False)) as client:
        response = client.get("/kg/healthz")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "NOT_READY"


# ------------------------------------------------------------------ the HTML page


def test_html_escapes_what_the_graph_holds(make_client) -> None:
    kg = KnowledgeGraph()
    kg.add_entity("Company", "<script>alert('x')</script> & \"Co\"", "<b>悪</b>", entity_id="evil-co")
    with make_client(kg=kg) as client:
        page = client.get("/resource/evil-co", headers={"Accept": "text/html"}).text
    assert "<script>alert" not in page and "<b>悪" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;" in page
    assert "&lt;b&gt;悪&lt;/b&gt;" in page


def test_html_shows_labels_types_and_evidence(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        page = client.get("/resource/cyberspace-administration-of-china", headers={"Accept": "text/html"}).text
    entity = shared_kg.entity("cyberspace-administration-of-china")
    for label in entity.labels:
        assert label.value in page
    assert "ckg:Regulator" in page
    assert "ckg:summoned" in page
    assert 'href="../resource/nvidia"' in page
    assert 'lang="ja"' in page  # evidence sentences keep their language


# ------------------------------------------------------------------ CORS


def test_cors_closed_by_default(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg) as client:
        response = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers


def test_cors_opens_to_configured_origins(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg, cors_origins=("https://app.example",)) as client:
        allowed = client.get("/healthz", headers={"Origin": "https://app.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = client.options("/graphql", headers={"Origin": "https://app.example",
                                                         "Access-Control-Request-Method": "POST",
                                                         "Access-Control-Request-Headers": "authorization"})
        assert preflight.status_code == 200


# ------------------------------------------------------------------ the GraphQL context


@pytest.mark.parametrize(("token", "header", "authorized"), [
    ("s3cret", "Bearer s3cret", True),
    ("s3cret", "bearer s3cret", True),
    ("s3cret", "Bearer wrong", False),
    ("s3cret", "Basic s3cret", False),
    ("s3cret", None, False),
    (None, "Bearer s3cret", False),
    (None, "Bearer ", False),
])
def test_graphql_context_carries_the_write_flag(shared_kg: KnowledgeGraph, token: str | None, header: str | None,
                                                authorized: bool) -> None:
    app = create_app(shared_kg, Settings(token=token))
    headers = [(b"authorization", header.encode())] if header is not None else []
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": headers, "app": app})

    async def context() -> object:
        return await ChipKGGraphQL(schema=None).get_context(request, None)  # type: ignore[arg-type]

    built = anyio.run(context)
    assert built.kg is shared_kg
    assert built.authorized is authorized


# ------------------------------------------------------------------ SPARQL budgets

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # about 1.2 million rows, streamed


def test_sparql_result_size_budget(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg, sparql_max_result_bytes=100_000) as client:
        response = client.get("/sparql", params={"query": CROSS_JOIN})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "QUERY_TOO_LARGE"
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_sparql_streaming_query_stops_at_its_deadline(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg, sparql_timeout=0.3, sparql_max_result_bytes=1 << 40) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": CROSS_JOIN}, headers={"Accept": "text/csv"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "SPARQL_TIMEOUT"
        assert time.monotonic() - started < 30  # a ceiling for "stopped"; the full join takes far longer


def test_sparql_slots_bound_concurrent_queries(make_client, shared_kg: KnowledgeGraph) -> None:
    with make_client(kg=shared_kg, sparql_concurrency=1, sparql_timeout=0.5) as client:
        slots: threading.BoundedSemaphore = client.app.state.sparql_slots  # type: ignore[attr-defined]
        assert slots.acquire(blocking=False)  # as if a runaway query held the only slot
        try:
            response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 503
        finally:
            slots.release()
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


# ------------------------------------------------------------------ the event loop stays free


class SlowGraph(KnowledgeGraph):
    """A graph whose export takes a second of (blocking) work."""

    def export(self, *args, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
        time.sleep(1.0)
        return super().export(*args, **kwargs)


def test_healthz_answers_while_an_export_runs() -> None:
    app = create_app(SlowGraph(), Settings())
    finished: list[str] = []

    async def timed(client: httpx.AsyncClient, name: str, url: str) -> None:
        assert (await client.get(url)).status_code == 200
        finished.append(name)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client, \
                anyio.create_task_group() as tasks:
            tasks.start_soon(timed, client, "export", "/export")
            await anyio.sleep(0.1)
            tasks.start_soon(timed, client, "healthz", "/healthz")

    anyio.run(scenario)
    # Order, not speed: asked 0.1 s into a 1 s export, /healthz answers first unless the
    # export holds the event loop.
    assert finished == ["healthz", "export"]


def test_sparql_sees_the_default_graph_only(make_client) -> None:
    """Named graphs in a local store are chipkg's scratch space (a write being checked, a
    load being staged): /sparql never shows them, whatever FROM or GRAPH a query names."""
    kg = KnowledgeGraph()
    kg.store.update("INSERT DATA { GRAPH <urn:chipkg:write:demo:added> { <urn:x:s> <urn:x:p> <urn:x:o> } }")
    try:
        with make_client(kg=kg) as client:
            graphs = client.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                                headers={"Accept": "application/sparql-results+json"})
            assert graphs.status_code == 200 and graphs.json()["results"]["bindings"] == []
            for query in ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                          "SELECT ?s FROM <urn:chipkg:write:demo:added> WHERE { ?s ?p ?o }",
                          "SELECT ?g FROM NAMED <urn:chipkg:write:demo:added> WHERE { GRAPH ?g { ?s ?p ?o } }"):
                answer = client.get("/sparql", params={"query": query},
                                    headers={"Accept": "application/sparql-results+json"})
                if answer.status_code == 400:  # the guard refuses FROM outright
                    assert answer.json()["error"]["code"] == "SPARQL_REFUSED"
                    continue
                assert answer.status_code == 200, answer.text
                rows = answer.json()["results"]["bindings"]
                assert all("urn:x:" not in str(row) and "urn:chipkg:write" not in str(row) for row in rows), rows
            data = client.get("/sparql", params={"query": "ASK { <https://w3id.org/chipkg/resource/nvidia> ?p ?o }"})
            assert data.json()["boolean"] is True  # the default graph is still there
    finally:
        kg.close()
