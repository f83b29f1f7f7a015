"""The leaf executor (``schema/executor.py``) answers exactly as graphql-core's own.

Each document runs twice on the same schema object, once with chipkg's executor and once
with strawberry's default one, and the results (data, error messages, paths) must be equal:
on the seed graph's real types, and on a small schema whose leaves return what the
ordinary path must handle (nulls in non-null fields, values a scalar refuses, lists with
nulls, enums, exceptions).
"""

from __future__ import annotations

import asyncio
import enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from chipkg.schema import Context, build_schema
from chipkg.schema.executor import LeafExecutor, executor_for

SEED_DOCUMENTS = [
    ("""query($id: ID!) { entity(id: $id) { __typename id iri label ja: label(lang: "ja") labels { value lang } types
        description aliases { value } relations(first: 50) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { predicate predicateIri direction sourceId targetId
        source { id label types } target { id ... on Company { label } }
        evidence { text lang paragraph attribution statementIri source { id label } } } } } } }""",
     {"id": "nvidia"}),
    ("""query($id: ID!) { entity(id: $id) { id label } }""", {"id": "no-such-entity"}),
    ("""{ stats { triples entities } companies(first: 3) { totalCount edges { cursor node { id label types } } } }""",
     {}),
    ("""{ facts(predicate: "makes", first: 5) { totalCount edges { node { predicate sourceId targetId
        evidence { text paragraph } } } } }""", {}),
]


def _both(schema: Any, query: str, kg: Any = None, **options: Any) -> tuple[Any, Any]:
    """The result with the leaf executor, then with strawberry's default executor (each
    request with a context of its own, as the app gives it)."""
    def run() -> Any:
        context = Context.for_request(kg) if kg is not None else None
        return asyncio.run(schema.execute(query, context_value=context, **options))

    leaf = run()
    chosen = schema.execution_context_class
    try:
        schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
        plain = run()
    finally:
        schema.execution_context_class = chosen
    return leaf, plain


def _shape(result: Any) -> tuple[Any, list[tuple[str, Any]]]:
    return result.data, [(e.message, e.path) for e in result.errors or ()]


def test_the_schema_runs_the_leaf_executor():
    schema = build_schema()
    assert issubclass(schema.execution_context_class, LeafExecutor)
    leaves = schema.execution_context_class.leaves
    # chipkg's plain resolvers and strawberry's attribute getters are both covered ...
    assert {("Company", "id"), ("Relation", "predicate"), ("Evidence", "text"), ("LangString", "value"),
            ("RelationConnection", "totalCount")} <= set(leaves)
    # ... but never a field with a default argument value, nor an object field.
    assert ("Company", "relations") not in leaves and ("Relation", "source") not in leaves


@pytest.mark.parametrize(("query", "variables"), SEED_DOCUMENTS)
def test_seed_answers_are_graphql_cores(seed_graph, query, variables):
    schema = build_schema()
    leaf, plain = _both(schema, query, seed_graph, variable_values=variables)
    assert _shape(leaf) == _shape(plain)
    assert leaf.data is not None


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Odd:
    name: str
    maybe: str | None
    count: int
    colour: Colour
    words: list[str]
    loose: list[str | None]

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("this field is broken")


@strawberry.type
class Query:
    @strawberry.field
    def odd(self, which: int) -> Odd | None:
        return [
            Odd(name="fine", maybe=None, count=3, colour=Colour.RED, words=["a", "b"], loose=["a", None]),
            Odd(name=None, maybe="x", count=1, colour=Colour.RED, words=[], loose=[]),  # type: ignore[arg-type]
            Odd(name="n", maybe=None, count="many", colour=Colour.RED, words=["a"], loose=[]),  # type: ignore[arg-type]
            Odd(name="n", maybe=None, count=2**40, colour=Colour.RED, words=["a", None], loose=[]),  # type: ignore[list-item]
            Odd(name="n", maybe=None, count=1, colour="purple", words="ab", loose=[]),  # type: ignore[arg-type]
        ][which]


@pytest.mark.parametrize("which", range(5))
def test_odd_values_take_the_ordinary_path(which):
    schema = strawberry.Schema(query=Query)
    schema.execution_context_class = executor_for(schema._schema)
    assert ("Odd", "name") in schema.execution_context_class.leaves
    leaf, plain = _both(schema, "query($w: Int!) { odd(which: $w) { name maybe count colour words loose } "
                                "again: odd(which: $w) { broken } }", variable_values={"w": which})
    assert _shape(leaf) == _shape(plain)
    assert [e.path for e in leaf.errors] == [["again", "broken"]] if which == 0 else len(leaf.errors) == 2
