"""Fixtures shared by the graph-layer tests.

``seed_kg`` is built once per session and store and must only be read: the teardown
asserts that no test wrote to it. Tests that write take ``fresh_kg``, a factory that
builds a new ``KnowledgeGraph`` (with the seed loaded) each time it is called.

Both are parametrised over the three stores (``memory``, ``oxigraph`` on disk, ``sparql``
on a real Oxigraph server; see ``stores.py``), so every test that takes them runs on
each; ``store_kind`` says which one a test got. The schema conftest builds on these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest

from chipkg.graph import KnowledgeGraph
from chipkg.seed import ONTOLOGY, article_graphs, article_text

from stores import STORES, Graphs, OxigraphServer  # tests/stores.py

# Prefixes for the Turtle snippets tests write; the line count matters to ParseError tests.
TURTLE_PREFIXES = """\
@prefix ckg:  <https://w3id.org/chipkg/ontology#> .
@prefix ckr:  <https://w3id.org/chipkg/resource/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server holding the seed, only ever read."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-seed"))
    try:
        server.reset()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def scratch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server for tests that write; reset before each use."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-scratch"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def graphs(store_kind: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graphs]:
    """Builds graphs on the ``store_kind`` store (the servers start only if it is ``sparql``)."""
    servers = ((request.getfixturevalue("seed_server"), request.getfixturevalue("scratch_server"))
               if store_kind == "sparql" else (None, None))
    factory = Graphs(store_kind, tmp_path_factory.mktemp(f"graphs-{store_kind}"), *servers)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def seed_kg(graphs: Graphs) -> Iterator[KnowledgeGraph]:
    kg = graphs.seeded()
    yield kg
    assert kg.version == 0, "a test wrote to the shared seed_kg; use fresh_kg for writes"


@pytest.fixture
def fresh_kg(graphs: Graphs) -> Iterator[Callable[..., KnowledgeGraph]]:
    """``fresh_kg(**kwargs)`` → a new ``KnowledgeGraph(**kwargs)`` with the seed loaded."""
    made: list[KnowledgeGraph] = []

    def build(**kwargs: object) -> KnowledgeGraph:
        made.append(graphs.fresh(**kwargs))
        return made[-1]

    yield build
    for kg in made:
        kg.close()


@pytest.fixture(scope="session")
def ttl() -> Callable[[str], str]:
    """``ttl(body)`` → ``body`` with the ckg/ckr/rdf/rdfs/prov prefixes declared above it."""
    return lambda body: TURTLE_PREFIXES + body


@pytest.fixture(scope="session")
def h20_text() -> str:
    """The Japanese source text of the seed article: every evidence string is part of it."""
    text = article_text("h20-article.ja.txt")
    assert len(text) > 1000
    return text


@pytest.fixture(scope="session")
def seed_triples() -> list[ox.Triple]:
    """The ontology and every article graph, as ``KnowledgeGraph`` loads them (shared by the
    pySHACL tests and the compiled-shapes tests that must agree with them)."""
    paths = [ONTOLOGY, *article_graphs()]
    assert len(paths) >= 2
    triples = [q.triple for path in paths for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    assert len(triples) > 1000
    return triples
