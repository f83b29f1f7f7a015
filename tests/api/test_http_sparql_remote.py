"""``/sparql`` on a ``sparql:`` store: the remote server does the work, and the request
to it is bounded by the endpoint's timeout, so a slow remote query frees its slot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chipkg.graph import KnowledgeGraph

from stores import OxigraphServer  # tests/stores.py

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A server of its own, stopped (with whatever query it still runs) at the end."""
    server = OxigraphServer(tmp_path)
    server.reset(seed=True)
    yield server
    server.stop()


def test_a_slow_remote_query_times_out_and_frees_its_slot(slow_server: OxigraphServer,
                                                          make_client: Callable[..., object]) -> None:
    kg = KnowledgeGraph(slow_server.store(), lazy=True)
    with make_client(kg=kg, sparql_timeout=1.0, sparql_concurrency=1) as client:  # type: ignore[operator]
        response = client.get("/sparql", params={"query": HEAVY})
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "SPARQL_TIMEOUT"
        # The one slot is free again: the thread gave up on the remote server at the deadline.
        after = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert after.status_code == 200, after.text
        assert after.json()["boolean"] is True
    kg.close()
