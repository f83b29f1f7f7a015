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
    gql('{ paths(from: "nvidia", to: "h20", maxLength: 6) { length } '
        'neighborhood(id: "h20", depth: 4) { nodes { id } } }')


TOO_LARGE = [
    ("depth-11", nested(11)),
    ("depth-12", nested(12)),
    ("relations-3-hops", nested_relations(3)),
    ("aliases-31", aliases(31)),
    ("aliases-100", aliases(100)),
    ("tokens", "{ %s }" % " ".join(["__typename"] * 5001)),
    ("paths-maxLength-7",
     '{ paths(from: "cyberspace-administration-of-china", to: "nvidia", maxLength: 7) { length } }'),
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


# ------------------------------------------------------------------ validation cost


def doubling_fragments(levels: int, leaf: str = "id") -> str:
    """``levels`` fragments, each spreading the next twice: 2^levels fields in under 1 KB."""
    parts = ['query { entity(id: "h20") { ...F0 } }']
    for i in range(levels):
        body = f"...F{i + 1} ...F{i + 1}" if i < levels - 1 else leaf
        parts.append(f"fragment F{i} on Entity {{ {body} }}")
    return "\n".join(parts)


def repeated(field: str, times: int) -> str:
    return '{ entity(id: "h20") { %s } }' % " ".join([field] * times)


EXPENSIVE = [
    ("fragments-19", doubling_fragments(19)),
    ("fragments-60", doubling_fragments(60)),
    ("fragments-with-arguments", doubling_fragments(19, 'label(lang: "en")')),
    ("id-450-times", repeated("id", 450)),
    ("label-450-times", repeated('label(lang: "en")', 450)),
    ("root-field-450-times", "{ %s }" % " ".join(['entity(id: "h20") { id }'] * 450)),
    ("repeats-21", repeated("id", 21)),
    # A fragment no operation uses is still validated by graphql-core, so it is costed too.
    ("unused-fragment", doubling_fragments(19).replace('query { entity(id: "h20") { ...F0 } }',
                                                       '{ stats { triples } } fragment U on Entity { ...F0 }')),
    # Repeats multiply down the tree: 5 entities each asking `id` 5 times is 25 at entity.id.
    ("repeats-nested", "{ %s }" % " ".join(['entity(id: "h20") { id id id id id }'] * 5)),
    # Depth and aliases count through fragments, each fragment once.
    ("depth-through-fragments", 'query { entity(id: "h20") { ...D } } fragment D on Entity { %s }'
     % nested(11)[len('{ entity(id: "h20") { '):-len(" } }")]),
    ("aliases-through-fragments", '{ entity(id: "h20") { ...A ...B } } fragment A on Entity { %s } '
                                  'fragment B on Entity { %s }' % (" ".join(f"a{i}: id" for i in range(16)),
                                                                   " ".join(f"b{i}: id" for i in range(16)))),
]


@pytest.mark.parametrize("query", [q for _, q in EXPENSIVE], ids=[name for name, _ in EXPENSIVE])
def test_documents_expensive_to_validate_are_query_too_large(gql_errors, error_codes, query):
    """Refused before graphql-core's rules run (the codes are asserted; the milliseconds are
    in bench/refusals.py): these took seconds of validation on the event loop."""
    errors = gql_errors(query)
    assert error_codes(errors) == {"QUERY_TOO_LARGE"}
    assert all("limit is" in e.message for e in errors), [e.message for e in errors]


def test_the_refusal_says_which_field_is_repeated(gql_errors):
    (error,) = gql_errors(repeated('label(lang: "en")', 450))
    assert "'entity.label' is asked 450 times" in error.message


def test_just_within_the_new_limits_is_answered(gql):
    assert gql(repeated("id", 20)) == {"entity": {"id": "h20"}}
    assert gql(doubling_fragments(4)) == {"entity": {"id": "h20"}}  # `id` 16 times, through fragments
    assert gql('{ a: entity(id: "h20") { ...N } b: entity(id: "nvidia") { ...N } } '
               'fragment N on Entity { id label }')["b"]["id"] == "nvidia"


def test_graphiqls_introspection_query_is_within_the_limits(gql):
    """GraphiQL sends this on load: deeper than ``max_depth`` inside ``__schema`` (which the depth
    limit skips, as strawberry's limiter did) and a couple of hundred fields expanded."""
    from graphql import get_introspection_query

    data = gql(get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                       schema_description=True, input_value_deprecation=True))
    assert any(t["name"] == "Company" for t in data["__schema"]["types"])


def test_fragment_costs_are_memoised_and_exact():
    """2^60 fields are counted, not walked; a walk would not return in this lifetime."""
    from graphql import parse

    from chipkg.schema.limits import measure

    cost = measure(parse(doubling_fragments(60)))
    assert cost.total.fields == 1 + 2 ** 59  # `entity`, then F59's single `id` reached 2^59 ways
    assert cost.fragments["F0"].fields == 2 ** 59


def test_a_fragment_cycle_is_a_validation_error_not_a_hang(gql_errors, error_codes):
    errors = gql_errors('{ entity(id: "h20") { ...A } } fragment A on Entity { id ...B } '
                        'fragment B on Entity { label ...A }')
    assert error_codes(errors) == {"GRAPHQL_VALIDATION_FAILED"}
    assert any("Cannot spread fragment" in e.message for e in errors)


def test_field_and_repeat_limits_are_configurable(seed_graph):
    strict = build_schema(max_fields=5, max_repeats=2)

    def codes(query):
        result = asyncio.run(strict.execute(query, context_value=Context.for_request(seed_graph)))
        return {e.extensions["code"] for e in result.errors or ()}

    assert codes('{ entity(id: "h20") { id id label } }') == set()
    assert codes('{ entity(id: "h20") { id id id } }') == {"QUERY_TOO_LARGE"}
    assert codes('{ entity(id: "h20") { id label iri types labels { value } } }') == {"QUERY_TOO_LARGE"}


# ------------------------------------------------------------------ which operation


TWO_OPERATIONS = "query A { stats { triples } } query B { entity(id: \"h20\") { id } }"


def test_two_operations_without_an_operation_name_are_refused(gql_errors, error_codes):
    """GraphQL over HTTP: the server must not guess. strawberry ran the first one."""
    for document in (TWO_OPERATIONS, "{ stats { triples } } query B { stats { entities } }",
                     'query A { stats { triples } } mutation B { removeFact(subject: "a", predicate: "makes", '
                     'object: "b") { removedTriples } }'):
        (error,) = gql_errors(document)
        assert error_codes([error]) == {"OPERATION_NAME_REQUIRED"}
        assert "operationName" in error.message


def test_the_named_operation_runs(schema, seed_graph):
    """Pins the strawberry attribute ``validation`` reads: if it moved, this would be refused."""
    result = asyncio.run(schema.execute(TWO_OPERATIONS, operation_name="B",
                                        context_value=Context.for_request(seed_graph)))
    assert result.errors is None and result.data == {"entity": {"id": "h20"}}


def test_one_operation_needs_no_name(gql):
    assert gql('query Only { entity(id: "h20") { ...F } } fragment F on Entity { id }') == {"entity": {"id": "h20"}}
