"""A graphql-core executor that answers plain leaf fields without the per-field machinery.

Most fields of a chipkg answer are leaves (``id``, ``label``, ``predicate``, ``text``,
``paragraph`` ...): the bench entity query resolves ~57 fields, two thirds of them
leaves. graphql-core spends several µs on each beyond its resolver (argument values, a
try block, awaitable checks, ``complete_value``'s type dispatch, per list item again),
which is most of a request once the data is cached. For a field of a scalar or enum
type, or a list of one, that is resolved by strawberry's attribute getter or by one of
chipkg's plain resolvers (``plain.py``), and that is asked for without arguments and has
no argument defaults, this executor calls the resolver and coerces its value directly.
Anything unusual (a null, an exception, a value the type refuses) goes the ordinary way,
so answers and errors are exactly graphql-core's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .plain import is_plain

Coerce = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Leaf:
    """How to answer one plain leaf field: its definition, its leaf type's coercion,
    whether its values come as a list, and whether its resolver reads the resolve info."""

    field: GraphQLField
    coerce: Coerce
    many: bool
    needs_info: bool


# (object type name, field name) -> Leaf, for each plain leaf field of a schema.
Leaves = Mapping[tuple[str, str], Leaf]


def _unwrap(type_: Any) -> Any:
    return type_.of_type if is_non_null_type(type_) else type_


def _leaf(field: GraphQLField) -> Leaf | None:
    basic = getattr(field.resolve, "_is_default", False)  # strawberry's attribute getter
    if not (basic or is_plain(field)) or any(arg.default_value is not Undefined for arg in field.args.values()):
        return None
    named, many = _unwrap(field.type), False
    if is_list_type(named):
        named, many = _unwrap(named.of_type), True
    if not is_leaf_type(named):
        return None
    return Leaf(field, named.coerce_output_value, many, needs_info=not basic)


def plain_leaves(schema: GraphQLSchema) -> Leaves:
    """Every plain leaf field of ``schema``'s object types."""
    table = {}
    for type_ in schema.type_map.values():
        if is_object_type(type_) and not type_.name.startswith("__"):
            for name, field in type_.fields.items():
                if (leaf := _leaf(field)) is not None:
                    table[type_.name, name] = leaf
    return MappingProxyType(table)


class LeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with plain leaf fields answered directly (see the module).
    ``leaves`` is set on a subclass per schema (``executor_for``)."""

    leaves: Leaves = MappingProxyType({})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager  # strawberry passes one, usually without middleware
        self._direct = manager is None or not manager.middlewares

    def execute_field(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, path: Any,
                      position_context: Any) -> Any:
        node = field_details_list[0].node
        leaf = self.leaves.get((parent_type.name, node.name.value))
        if leaf is not None and self._direct and not node.arguments:
            info = self.build_resolve_info(leaf.field, [d.node for d in field_details_list], parent_type, path) \
                if leaf.needs_info else None
            value = _answer(leaf, source, info)
            if value is not Undefined:
                return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _answer(leaf: Leaf, source: Any, info: Any) -> Any:
    """The field's coerced value, or Undefined when the ordinary path must decide (a
    null, an exception, a value the type refuses): it then resolves the field again, and
    the resolvers this applies to only read their source."""
    try:
        value = leaf.field.resolve(source, info)  # type: ignore[misc]
        if value is None or isinstance(value, Exception):
            return Undefined
        if not leaf.many:
            coerced = leaf.coerce(value)
            return Undefined if coerced is None else coerced
        if isinstance(value, (str, bytes, Mapping)):
            return Undefined
        items = [leaf.coerce(item) if item is not None else None for item in value]
    except Exception:  # noqa: BLE001 - the ordinary path raises it again, located
        return Undefined
    return Undefined if None in items else items


def executor_for(schema: GraphQLSchema) -> type[LeafExecutor]:
    """A ``LeafExecutor`` that knows ``schema``'s plain leaf fields."""
    return type("SchemaLeafExecutor", (LeafExecutor,), {"leaves": plain_leaves(schema)})


__all__ = ["Leaf", "LeafExecutor", "executor_for", "plain_leaves"]
