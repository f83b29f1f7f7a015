"""Fixtures shared by the graph-layer tests.

``seed_kg`` is built once per session and must only be read: the teardown asserts that no
test wrote to it. Tests that write take ``fresh_kg``, a factory that builds a new
``KnowledgeGraph`` (with the seed loaded) each time it is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from chipkg.graph import KnowledgeGraph
from chipkg.seed import article_text

# Prefixes for the Turtle snippets tests write; the line count matters to ParseError tests.
TURTLE_PREFIXES = """\
@prefix ckg:  <https://w3id.org/chipkg/ontology#> .
@prefix ckr:  <https://w3id.org/chipkg/resource/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


@pytest.fixture(scope="session")
def seed_kg() -> Iterator[KnowledgeGraph]:
    kg = KnowledgeGraph()
    yield kg
    assert kg.version == 0, "a test wrote to the shared seed_kg; use fresh_kg for writes"


@pytest.fixture
def fresh_kg() -> Callable[..., KnowledgeGraph]:
    """``fresh_kg(**kwargs)`` → a new ``KnowledgeGraph(**kwargs)`` with the seed loaded."""
    return lambda **kwargs: KnowledgeGraph(**kwargs)


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
