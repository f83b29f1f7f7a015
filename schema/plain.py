"""Plain graphql-core resolvers installed over strawberry's for the fields every query reads.

Measured: strawberry's wrapper around a resolver (an ``Info`` object, argument conversion,
the extension chain) costs about as much as graphql-core's own work per field, and an
entity query reads a few hundred fields. A field declared with ``metadata={PLAIN: fn}``
keeps its strawberry declaration (type, arguments, description) but is executed by
``fn(source, info, **arguments)`` with graphql-core's info and raw argument values
(input objects as dicts keyed by GraphQL names, enums as strawberry's enum members).

Types are told apart the same way: every value of an interface (``Entity``, ``Organization``
…) is an instance of one generated class, so its GraphQL type is a dict lookup on its
class rather than strawberry's general resolver (casts, generics, then a scan), and an
object type checks its values by class first. Anything else still goes to strawberry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from graphql import GraphQLField, GraphQLInterfaceType, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema

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
    """Put each field's plain resolver and each type's class lookups in place; returns how
    many resolvers were installed."""
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
    _install_type_lookups(schema)
    return installed


def is_plain(field: GraphQLField) -> bool:
    """Whether ``field`` is executed by the plain resolver its declaration names."""
    definition: Any = (field.extensions or {}).get(_BACKREF)
    resolver = getattr(definition, "metadata", {}).get(PLAIN) if definition is not None else None
    return resolver is not None and field.resolve is resolver


def _origin(graphql_type: GraphQLObjectType | GraphQLInterfaceType) -> type | None:
    definition: Any = (graphql_type.extensions or {}).get(_BACKREF)
    origin = getattr(definition, "origin", None)
    # A generic's specialisations (``RelationConnection`` …) share their origin: no lookup.
    return None if origin is None or getattr(definition, "is_graphql_generic", False) \
        or getattr(definition, "concrete_of", None) is not None else origin


def _install_type_lookups(schema: GraphQLSchema) -> None:
    names: dict[type, str] = {}
    for graphql_type in schema.type_map.values():
        if isinstance(graphql_type, GraphQLObjectType) and (origin := _origin(graphql_type)) is not None:
            names.setdefault(origin, graphql_type.name)
            if graphql_type.is_type_of is not None:
                graphql_type.is_type_of = _is_type_of(origin, graphql_type.is_type_of)
    for graphql_type in schema.type_map.values():
        if isinstance(graphql_type, GraphQLInterfaceType) and graphql_type.resolve_type is not None:
            graphql_type.resolve_type = _resolve_type(names, graphql_type.resolve_type)


def _resolve_type(names: dict[type, str], general: Callable[..., Any]) -> Callable[..., Any]:
    def resolve_type(value: Any, info: GraphQLResolveInfo, abstract_type: Any) -> Any:
        name = names.get(type(value))
        return name if name is not None else general(value, info, abstract_type)
    return resolve_type


def _is_type_of(origin: type, general: Callable[..., Any]) -> Callable[..., Any]:
    def is_type_of(value: Any, info: GraphQLResolveInfo) -> Any:
        return type(value) is origin or general(value, info)
    return is_type_of


__all__ = ["PLAIN", "enum_value", "install", "is_plain", "replaced", "views_of"]
