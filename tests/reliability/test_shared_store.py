"""Two ``chipkg serve`` processes on one ``oxigraph serve``: a write through one changes
what the other's GET cache answers, its ETags and its search index, because the version
both key on is a counter in the store, bumped in the write's own transaction.

And ``/healthz`` is O(1): it reports status, version and whether writes work without
reading the store at all (it used to count it: 245 ms at 1M triples).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from chipkg.api.app import create_app
from chipkg.api.settings import Settings
from chipkg.graph import KnowledgeGraph
from chipkg.graph.store import OxigraphStore

from .support import TOKEN, Server, graphql, in_process_client, start_server
from stores import OxigraphServer  # tests/stores.py

LOOKUP = '{ entity(id: "shared-co") { id label } search(text: "Shared Store") { id } }'


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    oxigraph = OxigraphServer(tmp_path)
    servers: list[Server] = []
    try:
        oxigraph.reset()
        for name in ("a", "b"):
            servers.append(start_server(tmp_path / f"{name}.log", store=oxigraph.spec))
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()
        oxigraph.stop()
    for server in servers:
        server.assert_no_tracebacks()


def cached_get(http: httpx.Client, etag: str | None = None) -> httpx.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return http.get("/graphql", params={"query": LOOKUP}, headers=headers)


def test_a_write_through_one_server_reaches_the_others_cache(two_servers: tuple[Server, Server]) -> None:
    a, b = two_servers
    with httpx.Client(base_url=a.base, timeout=60) as writer, httpx.Client(base_url=b.base, timeout=60) as reader:
        before = cached_get(reader)
        assert before.status_code == 200 and before.json()["data"] == {"entity": None, "search": []}
        etag = before.headers["etag"]
        assert cached_get(reader, etag).status_code == 304  # B caches, and revalidates
        assert cached_get(reader).content == before.content
        version = reader.get("/healthz").json()["version"]

        body = graphql(writer, "mutation($i: AddEntityInput!) { addEntity(input: $i) { id } }",
                       {"i": {"type": "Company", "label": "Shared Store Co", "labelJa": "共有社", "id": "shared-co"}},
                       token=TOKEN)
        assert "errors" not in body, body

        after = cached_get(reader, etag)
        assert after.status_code == 200, "B answered 304 for a query whose answer A's write changed"
        assert after.json()["data"] == {"entity": {"id": "shared-co", "label": "Shared Store Co"},
                                         "search": [{"id": "shared-co"}]}
        assert after.headers["etag"] != etag
        assert cached_get(reader).json() == after.json()
        assert cached_get(reader, after.headers["etag"]).status_code == 304
        assert b.process.poll() is None
    with httpx.Client(base_url=b.base, timeout=60) as reader:
        reader.get("/graphql", params={"query": LOOKUP})  # B's health reports the version it last read
        assert reader.get("/healthz").json()["version"] == version + 1


def test_a_store_without_a_counter_is_never_cached(tmp_path: Path) -> None:
    """A SPARQL store chipkg cannot write (no update URL) and that has no counter: no
    version anyone maintains, so every read gets a new one and nothing is served from cache."""
    oxigraph = OxigraphServer(tmp_path)
    try:
        oxigraph.reset()
        server = start_server(tmp_path / "ro.log", store=f"sparql:{oxigraph.query_url}")
        try:
            with httpx.Client(base_url=server.base, timeout=60) as http:
                first = cached_get(http)
                assert first.status_code == 200
                assert cached_get(http, first.headers["etag"]).status_code == 200
                # another tool writes the store directly; the next GET must see it
                http.post(oxigraph.update_url, headers={"Content-Type": "application/sparql-update"},
                          content='INSERT DATA { <https://w3id.org/chipkg/resource/shared-co> '
                                  '<http://www.w3.org/2000/01/rdf-schema#label> "Shared Store Co"@en ; '
                                  '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                                  '<https://w3id.org/chipkg/ontology#Company> }').raise_for_status()
                assert cached_get(http).json()["data"]["entity"] == {"id": "shared-co", "label": "Shared Store Co"}
        finally:
            server.stop()
    finally:
        oxigraph.stop()


class CountingStore(OxigraphStore):
    """A real in-memory store that counts every read of its data."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def triples(self, *args: Any, **kwargs: Any) -> Iterator[ox.Triple]:
        self.reads += 1
        return super().triples(*args, **kwargs)

    def query(self, sparql: str, **options: object) -> object:
        self.reads += 1
        return super().query(sparql, **options)

    def __len__(self) -> int:
        self.reads += 1
        return super().__len__()


def test_healthz_does_not_read_the_store() -> None:
    store = CountingStore()
    kg = KnowledgeGraph(store)
    with in_process_client(create_app(kg, Settings())) as client:
        store.reads = 0
        for _ in range(3):
            assert client.get("/healthz").json() == {"status": "ok", "version": 0, "writable": True}
        assert store.reads == 0
    assert json.dumps(kg.health())
