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
from graphql import get_introspection_query
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from chipkg.schema import Context, build_schema
from chipkg.schema.executor import PlainExecutor, executor_for

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
    (get_introspection_query(descriptions=True), {}),  # fragments, and graphql-core's own resolvers
    ("""query($id: ID!) { entity(id: $id) { ...named relations(first: 2) { edges { node { source { ...named } } } } } }
        fragment named on Entity { id label ... on Company { types } }""", {"id": "nvidia"}),
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
    assert issubclass(schema.execution_context_class, PlainExecutor)
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


@strawberry.interface
class Thing:
    name: str


@strawberry.type
class Box(Thing):
    size: int


@strawberry.type
class Bag(Thing):
    colour: Colour


@strawberry.type
class Odd:
    name: str
    maybe: str | None
    count: int
    colour: Colour
    words: list[str]
    loose: list[str | None]
    things: list[Thing]
    child: Odd | None = None

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("this field is broken")


def _odd(**changes: Any) -> Odd:
    fields: dict[str, Any] = {"name": "n", "maybe": None, "count": 1, "colour": Colour.RED, "words": ["a"],
                              "loose": ["a", None], "things": [Box(name="b", size=2), Bag(name="g", colour=Colour.RED)]}
    return Odd(**{**fields, **changes})


ODD = [
    _odd(child=_odd(child=_odd())),  # fine, nested
    _odd(name=None),  # null for a non-null leaf
    _odd(count="many"),  # a value Int refuses
    _odd(count=2**40),  # out of Int's range
    _odd(words=["a", None]),  # null item in [String!]!
    _odd(colour="purple", words="ab"),  # not an enum member; a string for a list
    _odd(child=_odd(things=[Box(name=None, size=1)])),  # null deep inside a list of interfaces
    _odd(things=["not a thing"]),  # no runtime type
    _odd(child=_odd(words=None)),  # null for a non-null list, one level down
]


@strawberry.type
class Query:
    @strawberry.field
    def odd(self, which: int) -> Odd | None:
        return ODD[which]


ODD_QUERY = """query($w: Int!, $deep: Boolean!) {
  odd(which: $w) { name maybe count colour words loose
    things { __typename name ... on Box { size } ... on Bag { colour } }
    child { name words child @include(if: $deep) { name count } things { name } } }
  again: odd(which: $w) { broken } }"""


@pytest.mark.parametrize("which", range(len(ODD)))
@pytest.mark.parametrize("deep", [True, False])
def test_odd_values_take_the_ordinary_path(which, deep):
    schema = strawberry.Schema(query=Query, types=[Box, Bag])
    schema.execution_context_class = executor_for(schema._schema)
    assert ("Odd", "name") in schema.execution_context_class.leaves
    leaf, plain = _both(schema, ODD_QUERY, variable_values={"w": which, "deep": deep})
    assert _shape(leaf) == _shape(plain)
    assert ["again", "broken"] in [e.path for e in leaf.errors]
    assert (len(leaf.errors) == 1) == (which == 0)


def test_plans_are_shared_between_requests_only_without_directives(seed_graph):
    schema = build_schema()
    plans = schema.execution_context_class.shared
    run = lambda query, **variables: asyncio.run(schema.execute(  # noqa: E731
        query, variable_values=variables, context_value=Context.for_request(seed_graph)))
    plain = "query($id: ID!) { entity(id: $id) { relations(first: 5) { edges { node { predicate target { id } } } } } }"
    first, second = run(plain, id="nvidia"), run(plain, id="h20")
    kept = len(plans._plans)
    assert run(plain, id="h20") == second and run(plain, id="nvidia") == first
    assert kept > 0 and len(plans._plans) == kept  # compiled once (per runtime type), used again
    assert first.data != second.data and second.errors is None
    directed = plain.replace("target { id }", "target { id @include(if: $deep) }") \
        .replace("$id: ID!", "$id: ID!, $deep: Boolean!")
    shown, hidden = run(directed, id="nvidia", deep=True), run(directed, id="nvidia", deep=False)
    assert len(plans._plans) == kept  # a document with a directive plans per request
    edges = lambda result: result.data["entity"]["relations"]["edges"]  # noqa: E731
    assert edges(shown) == edges(first) and all(e["node"]["target"] == {} for e in edges(hidden))
