"""Limits and bad input: each refusal has a stable ``extensions.code`` and no traceback.

``gql_errors`` (conftest) checks the shape of every error; the tests check the code.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from chipkg import KnowledgeGraph
from chipkg.graph.store import OxigraphStore
from chipkg.schema import Context, build_schema


def nested(levels: int) -> str:
    """A query ``levels`` fields deep that resolves all the way: h20 → maker → products → maker …"""
    inner = "id"
    for level in range(levels, 1, -1):
        field = "... on Product { maker { %s } }" if level % 2 == 0 else "... on Company { products { %s } }"
        inner = "id " + field % inner
    return '{ entity(id: "h20") { %s } }' % inner


def nested_relations(hops: int) -> str:
    """``hops`` × relations → edges → node → target: four levels per hop."""
    inner = "id"
    for _ in range(hops):
        inner = "relations(first: 2) { edges { node { target { %s } } } }" % inner
    return '{ entity(id: "nvidia") { %s } }' % inner


def aliases(count: int) -> str:
    return "{ %s }" % " ".join(f'a{i}: entity(id: "h20") {{ id }}' for i in range(count))


def test_the_limits_are_where_the_tests_assume(gql):
    """Just under each limit is answered, so the refusals below are the limits' doing."""
    gql(nested(10))
    gql(nested_relations(2))
    gql(aliases(30))
    gql('{ paths(from: "nvidia", to: "h20", maxLength: 6) { length } neighborhood(id: "h20", depth: 4) { nodes { id } } }')


TOO_LARGE = [
    ("depth-11", nested(11)),
    ("depth-12", nested(12)),
    ("relations-3-hops", nested_relations(3)),
    ("aliases-31", aliases(31)),
    ("aliases-100", aliases(100)),
    ("tokens", "{ %s }" % " ".join(["__typename"] * 5001)),
    ("paths-maxLength-7", '{ paths(from: "cyberspace-administration-of-china", to: "nvidia", maxLength: 7) { length } }'),
    ("paths-first-11", '{ paths(from: "cyberspace-administration-of-china", to: "nvidia", first: 11) { length } }'),
    ("neighborhood-depth-5", '{ neighborhood(id: "h20", depth: 5) { nodes { id } } }'),
    ("neighborhood-depth-negative", '{ neighborhood(id: "h20", depth: -1) { nodes { id } } }'),
    ("companies-first-101", "{ companies(first: 101) { totalCount } }"),
]


@pytest.mark.parametrize("query", [q for _, q in TOO_LARGE], ids=[name for name, _ in TOO_LARGE])
def test_oversized_queries_are_query_too_large(gql_errors, error_codes, query):
    assert error_codes(gql_errors(query)) == {"QUERY_TOO_LARGE"}


BAD_REQUESTS = [
    ("syntax", '{ entity(id: "nvidia" { id } }', "GRAPHQL_PARSE_FAILED"),
    ("unterminated-string", '{ entity(id: "nvidia) { id } }', "GRAPHQL_PARSE_FAILED"),
    ("unknown-field", '{ entity(id: "nvidia") { idd } }', "GRAPHQL_VALIDATION_FAILED"),
    ("unknown-root-field", "{ everything { id } }", "GRAPHQL_VALIDATION_FAILED"),
    ("missing-argument", "{ entity { id } }", "GRAPHQL_VALIDATION_FAILED"),
    ("wrong-type-field", '{ entity(id: "nvidia") { maker { id } } }', "GRAPHQL_VALIDATION_FAILED"),
    ("bad-enum", '{ entity(id: "nvidia") { relations(direction: SIDEWAYS) { totalCount } } }',
     "GRAPHQL_VALIDATION_FAILED"),
    ("neighborhood-unknown-id", '{ neighborhood(id: "no-such-entity") { nodes { id } } }', "NOT_FOUND"),
    ("paths-unknown-id", '{ paths(from: "nvidia", to: "no-such-entity") { length } }', "NOT_FOUND"),
    ("relations-unknown-predicate", '{ entity(id: "nvidia") { relations(predicate: ["fooBar"]) { totalCount } } }',
     "BAD_USER_INPUT"),
    ("neighborhood-unknown-predicate", '{ neighborhood(id: "h20", predicates: ["fooBar"]) { nodes { id } } }',
     "BAD_USER_INPUT"),
    ("entities-unknown-class", '{ entities(type: "Spaceship") { totalCount } }', "BAD_USER_INPUT"),
    ("search-unknown-class", '{ search(text: "a", types: ["Spaceship"]) { id } }', "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("query", "code"), [(q, c) for _, q, c in BAD_REQUESTS], ids=[n for n, _, _ in BAD_REQUESTS])
def test_bad_requests_get_their_code(gql_errors, error_codes, caplog, query, code):
    errors = gql_errors(query)
    assert error_codes(errors) == {code}
    assert all(e.message and "internal error" not in e.message for e in errors)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a user's mistake is not an incident"


def test_an_error_in_one_field_leaves_the_others_answered(execute, seed_graph):
    result = execute(seed_graph, """{ ok: entity(id: "nvidia") { id }
        bad: entity(id: "nvidia") { relations(predicate: ["fooBar"]) { totalCount } } }""")
    assert result.data == {"ok": {"id": "nvidia"}, "bad": None}
    assert [(e.extensions["code"], e.path) for e in result.errors] == [("BAD_USER_INPUT", ["bad", "relations"])]


def test_limits_are_configurable(seed_graph):
    strict = build_schema(max_depth=3, max_aliases=1)

    def run(query):
        return asyncio.run(strict.execute(query, context_value=Context.for_request(seed_graph)))

    assert run('{ entity(id: "h20") { id } }').errors is None
    assert [e.extensions["code"] for e in run(nested(4)).errors] == ["QUERY_TOO_LARGE"]
    assert {e.extensions["code"] for e in run(aliases(2)).errors} == {"QUERY_TOO_LARGE"}


class BrokenStore:
    """A store that fails the way a bug would, with internals in the message."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.broken = False

    def _fail(self) -> None:
        if self.broken:
            raise RuntimeError("Traceback (most recent call last): /srv/secret/path.py line 1")

    def triples(self, *pattern):
        self._fail()
        return self.inner.triples(*pattern)

    def triples_of(self, subjects):
        self._fail()
        return self.inner.triples_of(subjects)

    def triples_to(self, predicate, objects):
        self._fail()
        return self.inner.triples_to(predicate, objects)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __len__(self) -> int:
        return len(self.inner)


def test_unexpected_failures_are_masked(execute, caplog):
    store = BrokenStore(OxigraphStore())
    kg = KnowledgeGraph(store=store)
    store.broken = True
    result = execute(kg, '{ entity(id: "nvidia") { id } }')
    (error,) = result.errors
    assert error.extensions["code"] == "INTERNAL_SERVER_ERROR"
    assert "Traceback" not in error.message and "secret" not in error.message
    assert result.data == {"entity": None}
    # ... but it is logged for the operator, with the real cause.
    assert any("secret" in str(r.exc_info[1] if r.exc_info else r.getMessage()) for r in caplog.records)
