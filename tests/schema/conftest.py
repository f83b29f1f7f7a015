"""Fixtures for the GraphQL schema tests: the schema run in-process, over real graphs.

``schema`` and ``seed_graph`` are built once per session; ``seed_graph`` must only be
read (the teardown checks that nothing wrote to it). Tests that write take ``new_graph``,
a factory for fresh ``KnowledgeGraph`` objects. Both come from the root conftest's
``seed_kg``/``fresh_kg``, so every schema test that takes a graph runs on all three stores.

``gql(query, **variables)`` runs a query against the seed graph and returns its data,
failing on any error; ``gql_errors(query, ...)`` runs one that must fail and returns
the errors, after checking what every error must have: an ``extensions.code`` and no
traceback in the message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from chipkg.graph import KnowledgeGraph
from chipkg.schema import Context, build_schema
from chipkg.seed import article_text

ARTICLE_FILE = "h20-article.ja.txt"

Execute = Callable[..., ExecutionResult]


@pytest.fixture(scope="session")
def schema():
    return build_schema()


@pytest.fixture(scope="session")
def seed_graph(seed_kg: KnowledgeGraph) -> Iterator[KnowledgeGraph]:
    yield seed_kg
    assert seed_kg.version == 0, "a schema test wrote to the shared seed graph; use new_graph for writes"


@pytest.fixture
def new_graph(fresh_kg: Callable[..., KnowledgeGraph]) -> Callable[..., KnowledgeGraph]:
    """``new_graph(**kwargs)`` → a new ``KnowledgeGraph(**kwargs)`` (seeded unless told not to be)."""
    return fresh_kg


@pytest.fixture(scope="session")
def article_ja() -> str:
    """The Japanese source text: every evidence sentence must be part of it."""
    text = article_text(ARTICLE_FILE)
    assert len(text) > 1000
    return text


@pytest.fixture(scope="session")
def execute(schema) -> Execute:
    """``execute(kg, query, variables=None, authorized=False)`` → the ExecutionResult."""

    def run(kg: KnowledgeGraph, query: str, variables: dict[str, Any] | None = None, *,
            authorized: bool = False) -> ExecutionResult:
        return asyncio.run(schema.execute(query, variable_values=variables,
                                          context_value=Context.for_request(kg, authorized=authorized)))

    return run


def check_error_shape(errors: list[GraphQLError]) -> None:
    for error in errors:
        code = (error.extensions or {}).get("code")
        assert isinstance(code, str) and code, f"error without extensions.code: {error.message!r}"
        assert "Traceback" not in error.message, error.message


@pytest.fixture(scope="session")
def gql(execute, seed_graph) -> Callable[..., dict[str, Any]]:
    """``gql(query, **variables)`` → data of a query on the seed graph that must succeed."""

    def run(query: str, **variables: Any) -> dict[str, Any]:
        result = execute(seed_graph, query, variables or None)
        assert result.errors is None, [(e.message, e.extensions) for e in result.errors]
        assert result.data is not None
        return result.data

    return run


@pytest.fixture(scope="session")
def gql_errors(execute, seed_graph) -> Callable[..., list[GraphQLError]]:
    """``gql_errors(query, kg=None, authorized=False, **variables)`` → the errors of a query
    that must fail (on the seed graph unless ``kg`` is given), each checked for a code."""

    def run(query: str, *, kg: KnowledgeGraph | None = None, authorized: bool = False,
            **variables: Any) -> list[GraphQLError]:
        result = execute(kg if kg is not None else seed_graph, query, variables or None, authorized=authorized)
        assert result.errors, f"expected errors, got data {result.data!r}"
        check_error_shape(result.errors)
        return result.errors

    return run


def codes(errors: list[GraphQLError]) -> set[str]:
    return {e.extensions["code"] for e in errors}


@pytest.fixture(scope="session")
def error_codes() -> Callable[[list[GraphQLError]], set[str]]:
    return codes
