"""Plain graphql-core resolvers installed over strawberry's for the fields every query reads.

Measured: strawberry's wrapper around a resolver (an ``Info`` object, argument conversion,
the extension chain) costs about as much as graphql-core's own work per field, and an
entity query reads a few hundred fields. A field declared with ``metadata={PLAIN: fn}``
keeps its strawberry declaration (type, arguments, description) but is executed by
``fn(source, info, **arguments)`` with graphql-core's info and raw argument values
(input objects as dicts keyed by GraphQL names, enums as strawberry's enum members).
"""

from __future__ import annotations

from typing import Any, NoReturn

from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

PLAIN = "chipkg.plain"
_BACKREF = "strawberry-definition"


def replaced() -> NoReturn:
    """The body of a strawberry resolver that ``install`` replaces; never runs."""
    raise AssertionError("a plain resolver should have replaced this one at build time")


def enum_value(value: Any) -> Any:
    """The name of an enum argument: graphql-core hands strawberry's enum members over as they are."""
    return getattr(value, "value", value)


def views_of(info: Any) -> Any:
    """The schema's ``entities.Views``, from strawberry's ``Info`` or graphql-core's resolve info."""
    schema = info.schema
    return getattr(schema, "_strawberry_schema", schema).views


def install(schema: GraphQLSchema) -> int:
    """Put each field's plain resolver in place; returns how many were installed."""
    installed = 0
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        for field in graphql_type.fields.values():
            definition: Any = (field.extensions or {}).get(_BACKREF)
            resolver = getattr(definition, "metadata", {}).get(PLAIN) if definition is not None else None
            if resolver is not None:
                field.resolve = resolver
                installed += 1
    return installed


__all__ = ["PLAIN", "enum_value", "install", "replaced", "views_of"]
