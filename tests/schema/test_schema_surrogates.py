"""Lone surrogates: refused as ``BAD_USER_INPUT`` for every string the schema takes.

The cases are generated from the schema itself: every argument, and every field of an input
object, whose type is ``String`` or ``ID`` (in a list or not), each reached by a query that
is otherwise valid. A string argument added later is covered without editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_required_argument,
    is_required_input_field,
)

from chipkg.schema import build_schema

SURROGATE = "\ud800"
STRINGS = {"String", "ID"}


@dataclass(frozen=True)
class Slot:
    """One place a string goes: ``owner.field(argument: {input.path})``."""

    owner: str
    field: str
    argument: str
    path: tuple[str, ...]
    variable_type: str  # the GraphQL type of the string's position, e.g. ``String!``
    is_list: bool

    @property
    def name(self) -> str:
        return ".".join((self.owner, self.field, self.argument, *self.path))


def _unwrap(type_: GraphQLInputType) -> tuple[GraphQLInputType, bool]:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return inner, isinstance(inner, GraphQLList)


def _slots_in(owner: str, field: str, argument: str, type_: GraphQLInputType, path: tuple[str, ...],
              seen: frozenset[str]) -> list[Slot]:
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType) and named.name in STRINGS:
        return [Slot(owner, field, argument, path, str(type_), _unwrap(type_)[1])]
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return [slot for name, inner in named.fields.items()
                for slot in _slots_in(owner, field, argument, inner.type, (*path, name), seen | {named.name})]
    return []


def string_slots(schema: GraphQLSchema) -> list[Slot]:
    slots = []
    for type_ in schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        for field_name, field in type_.fields.items():
            for arg_name, arg in field.args.items():
                slots += _slots_in(type_.name, field_name, arg_name, arg.type, (), frozenset())
    return slots


def _filler(type_: GraphQLInputType) -> str:
    """A valid literal for a required input of this type (ids name an entity of the seed)."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return f"[{_filler(inner.of_type)}]"
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if isinstance(inner, GraphQLInputObjectType):
        return _object({}, inner)
    return {"Int": "1", "Float": "1.0", "Boolean": "true"}.get(inner.name, '"nvidia"')


def _object(given: dict[str, str], type_: GraphQLInputObjectType) -> str:
    values = {name: _filler(f.type) for name, f in type_.fields.items()
              if is_required_input_field(f) and name not in given}
    values.update(given)
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"


def _value_at(type_: GraphQLInputType, path: tuple[str, ...], value: str) -> str:
    """The literal for ``type_`` with ``value`` placed at ``path`` (through lists and objects)."""
    if not path:
        return value
    inner, is_list = _unwrap(type_)
    if is_list:
        return f"[{_value_at(inner.of_type, path, value)}]"
    assert isinstance(inner, GraphQLInputObjectType)
    return _object({path[0]: _value_at(inner.fields[path[0]].type, path[1:], value)}, inner)


def _arguments(args: dict[str, GraphQLArgument], chosen: str | None = None, value: str = "") -> str:
    parts = [f"{chosen}: {value}"] if chosen else []
    parts += [f"{name}: {_filler(arg.type)}" for name, arg in args.items()
              if name != chosen and is_required_argument(arg)]
    return f"({', '.join(parts)})" if parts else ""


def _selection(type_: object) -> str:
    named = get_named_type(type_)  # type: ignore[arg-type]
    return " { __typename }" if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)) else ""


def _route(schema: GraphQLSchema, target: str) -> tuple[str, list[str]]:
    """(operation type, the selections leading from its root to a ``target`` object), breadth first."""
    roots = [("query", schema.query_type), ("mutation", schema.mutation_type)]
    queue = [(op, root, []) for op, root in roots if root is not None]
    seen = set()
    while queue:
        op, type_, route = queue.pop(0)
        if type_.name == target:
            return op, route
        if type_.name in seen:
            continue
        seen.add(type_.name)
        if isinstance(type_, (GraphQLInterfaceType, GraphQLUnionType)):
            for possible in schema.get_possible_types(type_):
                queue.append((op, possible, [*route, f"... on {possible.name}"]))
            if type_.name == target:
                return op, route
            continue
        for name, field in type_.fields.items():
            named = get_named_type(field.type)
            if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
                queue.append((op, named, [*route, name + _arguments(field.args)]))
    raise LookupError(f"no route to {target}")


def document_for(schema: GraphQLSchema, slot: Slot, value: str) -> str:
    """A valid document putting ``value`` (a variable or a literal) in ``slot``."""
    owner = schema.type_map[slot.owner]
    assert isinstance(owner, (GraphQLObjectType, GraphQLInterfaceType))
    field = owner.fields[slot.field]
    argument = _value_at(field.args[slot.argument].type, slot.path, value)
    innermost = slot.field + _arguments(field.args, slot.argument, argument) + _selection(field.type)
    op, route = _route(schema, slot.owner)
    body = innermost
    for step in reversed(route):
        body = f"{step} {{ {body} }}"
    variables = f"($v: {slot.variable_type})" if value == "$v" else ""
    return f"{op}{variables} {{ {body} }}"


SCHEMA = build_schema()
SLOTS = string_slots(SCHEMA._schema)


def test_the_generated_cases_cover_the_known_string_arguments():
    names = {slot.name for slot in SLOTS}
    assert {"Mutation.addEntity.input.label", "Mutation.addEntity.input.aliases.value", "Query.search.text",
            "Query.entity.id", "Mutation.addFact.input.evidence", "Mutation.removeFact.predicate"} <= names
    assert len(names) == len(SLOTS) >= 15


@pytest.mark.parametrize("slot", SLOTS, ids=[slot.name for slot in SLOTS])
def test_a_lone_surrogate_in_a_variable_is_bad_user_input(gql_errors, error_codes, slot):
    value = [SURROGATE] if slot.is_list else "a" + SURROGATE + "b"
    errors = gql_errors(document_for(SCHEMA._schema, slot, "$v"), authorized=True, v=value)
    assert error_codes(errors) == {"BAD_USER_INPUT"}
    (error,) = errors
    assert "lone surrogate (U+D800)" in error.message and "variable $v" in error.message
    assert error.message.isascii()  # the character itself could not be sent as UTF-8


@pytest.mark.parametrize("slot", SLOTS, ids=[slot.name for slot in SLOTS])
def test_a_lone_surrogate_in_a_literal_is_bad_user_input(gql_errors, error_codes, slot):
    """A JSON body's ``"\\ud800"`` decodes to the character itself inside the document."""
    literal = f'"{SURROGATE}"'
    errors = gql_errors(document_for(SCHEMA._schema, slot, f"[{literal}]" if slot.is_list else literal),
                        authorized=True)
    assert error_codes(errors) == {"BAD_USER_INPUT"}
    assert "the query holds a lone surrogate" in errors[0].message


def test_the_generated_documents_are_valid(gql, execute, seed_graph):
    """Without the surrogate the same documents pass validation: the refusal above is the
    surrogate's doing, not a malformed query's."""
    for slot in SLOTS:
        result = execute(seed_graph, document_for(SCHEMA._schema, slot, '["x"]' if slot.is_list else '"x"'))
        codes = {e.extensions["code"] for e in result.errors or ()}
        assert not codes & {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"}, (slot.name, result.errors)


def test_a_surrogate_in_a_key_or_deep_in_a_list_is_found(gql_errors, error_codes):
    query = "mutation($i: AddEntityInput!) { addEntity(input: $i) { id } }"
    deep = {"type": "Company", "label": "Acme", "labelJa": "アクメ",
            "aliases": [{"value": "ok", "lang": "en"}, {"value": "x" + SURROGATE, "lang": "en"}]}
    (error,) = gql_errors(query, authorized=True, i=deep)
    assert error_codes([error]) == {"BAD_USER_INPUT"} and "$i.aliases[1].value" in error.message
    (error,) = gql_errors(query, authorized=True, i={**deep, "aliases": [], "\udc00": 1})
    assert error_codes([error]) == {"BAD_USER_INPUT"}


def test_a_surrogate_pair_is_text_and_is_answered(gql):
    """JSON's ``"\\ud83d\\ude00"`` decodes to one character, 😀: nothing to refuse."""
    assert gql("query($t: String!) { search(text: $t) { id } }", t="\U0001F600") == {"search": []}


def test_a_graphql_escaped_surrogate_is_a_syntax_error(gql_errors, error_codes):
    """Written as a GraphQL escape it never becomes a string: graphql-core's lexer refuses it."""
    (error,) = gql_errors('{ search(text: "\\ud800") { id } }')
    assert error_codes([error]) == {"GRAPHQL_PARSE_FAILED"} and "Unicode escape" in error.message
