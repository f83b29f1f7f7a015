"""A graphql-core executor that answers plain fields without the per-field machinery.

graphql-core spends several µs on every field beyond its resolver: a path, a resolve
info, argument values, a try block, awaitable checks and ``complete_value``'s type
dispatch, once more per list item and per object. The bench entity query resolves ~57
fields, and once its data is cached that machinery is most of a request.

A field is *plain* when it takes no arguments (and none with a default), is asked for
without arguments, and is resolved by strawberry's attribute getter or by one of chipkg's
plain resolvers (``plain.py``; they read only ``info.context`` and ``info.schema``, and
only read). This executor answers plain fields two ways:

- a plain field of a scalar or enum type (or a list of one) is resolved and coerced at
  once, in ``execute_field``;
- a value whose selection set holds only plain fields, to any depth (objects, interfaces
  resolved to their runtime type, lists, leaves), is completed by a *plan* compiled from
  that selection set: nested calls that build the answer's dicts directly. A plan is
  compiled once per request and selection set (graphql-core's own memo of collected
  fields is per request too, as ``@include``/``@skip`` depend on the variables).

Either way, anything unusual (a null where the type forbids one, an exception, an
awaitable, a value its type refuses, a runtime type that does not fit) abandons the fast
answer and the ordinary path redoes it from the same value, so answers and errors are
exactly graphql-core's (``tests/schema/test_schema_executor.py`` runs both on the same
documents).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from inspect import iscoroutine
from types import MappingProxyType
from typing import Any

from graphql import (
    BREAK,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    Visitor,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    visit,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .plain import is_plain

Coerce = Callable[[Any], Any]
# A compiled plan: the completed value of a field's result, given the request's resolve info
# (its context and schema are what plain resolvers read) and executor; raises _Abandon (or
# anything) for the ordinary path to take over.
Plan = Callable[[Any, Any, "PlainExecutor"], Any]


@dataclass(frozen=True, slots=True)
class Leaf:
    """How to answer one plain leaf field: its definition, the plan for its value (a
    scalar or enum, or a list of one), and whether its resolver reads the resolve info."""

    field: GraphQLField
    plan: Plan
    needs_info: bool


# (object type name, field name) -> Leaf, for each plain leaf field of a schema.
Leaves = Mapping[tuple[str, str], Leaf]


class _Abandon(Exception):
    """A plan met something only the ordinary path may answer."""


def _unwrap(type_: Any) -> Any:
    return type_.of_type if is_non_null_type(type_) else type_


def _plain(field: GraphQLField) -> bool:
    """Resolved by strawberry's attribute getter or a chipkg plain resolver, with no argument defaults."""
    return (getattr(field.resolve, "_is_default", False) or is_plain(field)) \
        and all(arg.default_value is Undefined for arg in field.args.values())


def _leaf(field: GraphQLField) -> Leaf | None:
    if not _plain(field):
        return None
    named = _unwrap(field.type)
    item = _unwrap(named.of_type) if is_list_type(named) else named
    if not is_leaf_type(item):
        return None
    plan = _leaf_plan(item.coerce_output_value)
    if item is not named:  # a list: its items, then the list itself
        plan = _list_plan(_nulls(not is_non_null_type(named.of_type), plan))
    return Leaf(field, _nulls(not is_non_null_type(field.type), plan),
                needs_info=not getattr(field.resolve, "_is_default", False))


def plain_leaves(schema: GraphQLSchema) -> Leaves:
    """Every plain leaf field of ``schema``'s object types."""
    table = {}
    for type_ in schema.type_map.values():
        if is_object_type(type_) and not type_.name.startswith("__"):
            for name, field in type_.fields.items():
                if (leaf := _leaf(field)) is not None:
                    table[type_.name, name] = leaf
    return MappingProxyType(table)


class Plans:
    """Compiled plans by return type and field group (the group's field nodes, by identity).

    One per schema (``PlainExecutor.shared``) for the documents whose selections do not
    depend on the variables (no directive anywhere: ``@include``/``@skip`` would make them
    depend, ``@defer``/``@stream`` are not planned), whose nodes are the same objects from
    request to request since ``validation.DocumentCache`` keeps each parsed document; a
    fresh one per request otherwise. An entry keeps its type and nodes alive, so their ids
    cannot be reused for others while it exists; past ``limit`` entries all are dropped.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._plans: dict[tuple[int, tuple[int, ...]], tuple[Any, tuple[Any, ...], Plan | None]] = {}
        self._documents: dict[int, tuple[Any, bool]] = {}

    def get(self, return_type: Any, group: Any, compile_: Callable[[Any, Any], Plan | None]) -> Plan | None:
        nodes = tuple(detail.node for detail in group)
        key = (id(return_type), tuple(map(id, nodes)))
        known = self._plans.get(key)
        if known is None:
            if len(self._plans) >= self.limit:
                self._plans.clear()
            self._plans[key] = (return_type, nodes, None)  # no plan for it while it compiles
            known = self._plans[key] = (return_type, nodes, compile_(return_type, group))
        return known[2]

    def may_share(self, operation: Any, fragments: Mapping[str, Any]) -> bool:
        """Whether the operation and its fragments hold no directive and no fragment variable."""
        known = self._documents.get(id(operation))
        if known is None or known[0] is not operation:
            if len(self._documents) >= self.limit:
                self._documents.clear()
            known = self._documents[id(operation)] = (operation, _directive_free([operation, *fragments.values()]))
        return known[1]


class _Directives(Visitor):
    """Finds whether a document part uses any directive."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, *_: Any) -> Any:
        self.found = True
        return BREAK


def _directive_free(nodes: list[Any]) -> bool:
    for node in nodes:
        if isinstance(node, FragmentDefinitionNode) and node.variable_definitions:
            return False  # graphql-core's experimental fragment arguments
        finder = _Directives()
        visit(node, finder)
        if finder.found:
            return False
    return True


class PlainExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with plain fields answered directly (see the module).
    ``leaves`` and ``shared`` are set on a subclass per schema (``executor_for``)."""

    leaves: Leaves = MappingProxyType({})
    shared: Plans | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager  # strawberry passes one, usually without middleware
        self._direct = manager is None or not manager.middlewares
        # Plans for this request's own field groups, when the document's cannot be shared.
        self._plans: Plans | None = None

    def execute_field(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, path: Any,
                      position_context: Any) -> Any:
        node = field_details_list[0].node
        leaf = self.leaves.get((parent_type.name, node.name.value))
        if leaf is not None and self._direct and not node.arguments:
            info = self.build_resolve_info(leaf.field, [d.node for d in field_details_list], parent_type, path) \
                if leaf.needs_info else None
            try:
                return leaf.plan(leaf.field.resolve(source, info), info, self)  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - _Abandon, or what the ordinary path raises again, located
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any, result: Any,
                       position_context: Any) -> Any:
        if self._direct and not is_leaf_type(_unwrap(return_type)):
            plan = self._plan(return_type, field_details_list)
            if plan is not None:
                try:
                    return plan(result, info, self)
                except _Abandon:
                    pass
                except Exception:  # noqa: BLE001 - the ordinary path raises it again, located
                    pass
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    # -- plans -------------------------------------------------------------------------

    def _plan(self, return_type: Any, group: Any) -> Plan | None:
        plans = self._plans
        if plans is None:
            shared = self.shared
            if shared is not None and shared.may_share(self.operation, self.fragment_definitions):
                plans = self._plans = shared
            else:
                plans = self._plans = Plans()
        return plans.get(return_type, group, self._compile)

    def _compile(self, type_: Any, group: Any) -> Plan | None:
        """The plan for a value of ``type_`` under the field group ``group``, or None."""
        named = _unwrap(type_)
        plan: Plan | None = None
        if is_list_type(named):
            if not any(d.name.value == "stream" for detail in group for d in detail.node.directives or ()):
                item = self._compile(named.of_type, group)
                plan = None if item is None else _list_plan(item)
        elif is_leaf_type(named):
            plan = _leaf_plan(named.coerce_output_value)
        elif is_object_type(named):
            fields = self._fields(named, group)
            plan = None if fields is None else _object_plan(named, fields)
        elif is_abstract_type(named):
            plan = _abstract_plan(named, group)
        return None if plan is None else _nulls(not is_non_null_type(type_), plan)

    def _fields(self, type_: GraphQLObjectType, group: Any) -> list[tuple[str, Any, Plan | None]] | None:
        """Each response key of ``type_``'s selection with its resolver and its value's
        plan (None for ``__typename``); None when any of them is not plain."""
        grouped, defer_usages, _ = self.collect_subfields(type_, group)
        if defer_usages:
            return None
        fields: list[tuple[str, Any, Plan | None]] = []
        for key, details in grouped.items():
            node = details[0].node
            if node.name.value == "__typename":
                fields.append((key, type_.name, None))
                continue
            field = type_.fields.get(node.name.value)
            if field is None or node.arguments or not _plain(field):
                return None
            plan = self._compile(field.type, details)
            if plan is None:
                return None
            fields.append((key, field.resolve, plan))
        return fields


def _odd(value: Any) -> None:
    """Abandon a value the ordinary path must see: an exception (it raises it, located) or
    an awaitable (it awaits it; a coroutine is closed here, as its resolver runs again)."""
    if isinstance(value, Exception) or hasattr(value, "__await__"):
        if iscoroutine(value):
            value.close()
        raise _Abandon


_PLAIN_VALUES = frozenset({str, int, float, bool})


def _nulls(nullable: bool, plan: Plan) -> Plan:
    """``plan`` for the values that are not null; a null is the answer where the type
    allows it, else the ordinary path's to report."""
    def complete(value: Any, info: Any, executor: PlainExecutor) -> Any:
        if value is None:
            if nullable:
                return None
            raise _Abandon
        return plan(value, info, executor)
    return complete


def _leaf_plan(coerce: Coerce) -> Plan:
    def complete(value: Any, info: Any, executor: PlainExecutor) -> Any:
        if type(value) not in _PLAIN_VALUES:
            _odd(value)
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Abandon
        return coerced
    return complete


def _list_plan(item: Plan) -> Plan:
    def complete(value: Any, info: Any, executor: PlainExecutor) -> Any:
        if type(value) is not list and type(value) is not tuple:
            _odd(value)
            if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
                raise _Abandon
        return [item(each, info, executor) for each in value]
    return complete


def _object_plan(type_: GraphQLObjectType, fields: list[tuple[str, Any, Plan | None]]) -> Plan:
    is_type_of = type_.is_type_of
    checked: set[type] = set()  # classes already known to be neither exceptions nor awaitables

    def complete(value: Any, info: Any, executor: PlainExecutor) -> Any:
        if type(value) not in checked:
            _odd(value)
            checked.add(type(value))
        if is_type_of is not None and is_type_of(value, info) is not True:
            raise _Abandon
        return {key: resolve if plan is None else plan(resolve(value, info), info, executor)
                for key, resolve, plan in fields}
    return complete


def _abstract_plan(abstract: Any, group: Any) -> Plan:
    runtimes: dict[str, Plan] = {}  # runtime type name -> its plan, once checked to fit

    def complete(value: Any, info: Any, executor: PlainExecutor) -> Any:
        _odd(value)
        name = (abstract.resolve_type or executor.type_resolver)(value, info, abstract)
        if not isinstance(name, str):
            _odd(name)  # an awaitable: closed if a coroutine
            raise _Abandon  # or no type name: the ordinary path says which
        plan = runtimes.get(name)
        if plan is None:
            plan = runtimes[name] = _runtime_plan(executor, abstract, name, group)
        return plan(value, info, executor)
    return complete


def _runtime_plan(executor: PlainExecutor, abstract: Any, name: str, group: Any) -> Plan:
    """The plan of the runtime type ``name`` of a value of ``abstract``; raises _Abandon
    when it is no possible type of it or has no plan."""
    schema = executor.schema
    runtime = schema.get_type(name)
    if runtime is None or not is_object_type(runtime) or not schema.is_sub_type(abstract, runtime):
        raise _Abandon
    plan = executor._plan(runtime, group)  # the runtime type's own plan (nullable: the value is not null)
    if plan is None:
        raise _Abandon
    return plan


def executor_for(schema: GraphQLSchema) -> type[PlainExecutor]:
    """A ``PlainExecutor`` that knows ``schema``'s plain leaf fields and keeps its plans."""
    return type("SchemaPlainExecutor", (PlainExecutor,), {"leaves": plain_leaves(schema), "shared": Plans()})


__all__ = ["Leaf", "PlainExecutor", "Plans", "executor_for", "plain_leaves"]
