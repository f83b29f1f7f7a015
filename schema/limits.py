"""How much work a GraphQL document asks for, measured before graphql-core validates it.

Validation cost follows the document once its fragments are expanded, not its length: 19
fragments that each spread the next twice are under 1 KB and expand to 2^19 fields.
strawberry's depth and alias limiters walked that expansion afresh at every spread (seconds
for that document, ``/healthz`` blocked meanwhile), and graphql-core's
``OverlappingFieldsCanBeMerged`` compares every pair of fields that share a response name
at one place (``label(lang: "en")`` 450 times: 100,000 pairs, seconds).

So ``measure`` costs each fragment once (memoised; a fragment that spreads itself counts
nothing the second time round, and graphql-core's ``NoFragmentCycles`` reports the cycle),
and ``refusals`` turns a document over any ``DocumentLimits`` into ``QUERY_TOO_LARGE``
errors before any validation rule runs. With at most ``max_fields`` fields in all and
``max_repeats`` at one place, the pair comparisons are bounded by
``max_fields * max_repeats / 2`` (figures in ``bench/refusals.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from ..graph import QueryTooLarge


@dataclass(frozen=True)
class DocumentLimits:
    """What one document may ask for; every limit is on by default.

    ``max_depth`` counts nested selection sets (introspection fields excepted, as in
    strawberry's ``QueryDepthLimiter``); ``max_aliases`` and ``max_fields`` count over the
    expanded document, every operation together; ``max_repeats`` is how many fields may
    share one response name at one place (``{ a a a }`` is three); ``max_tokens`` bounds
    the parser.
    """

    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 5000
    max_fields: int = 1000
    max_repeats: int = 20


@dataclass(frozen=True)
class Cost:
    """One definition's expanded size: its fields, aliases and depth."""

    fields: int = 0
    aliases: int = 0
    depth: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.fields + other.fields, self.aliases + other.aliases, max(self.depth, other.depth))


class _Costing:
    """Memoised costs of one document's fragments (built per document, never shared)."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.costs: dict[str, Cost] = {}
        self.open: set[str] = set()

    def fragment(self, name: str) -> Cost:
        if name in self.costs:
            return self.costs[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:  # unknown or cyclic: graphql-core reports both
            return Cost()
        self.open.add(name)
        cost = self.selections(definition.selection_set)
        self.open.discard(name)
        self.costs[name] = cost
        return cost

    def selections(self, selection_set: SelectionSetNode | None) -> Cost:
        total = Cost()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self.selections(selection.selection_set)
                leaf = selection.selection_set is None or selection.name.value.startswith("__")
                total += Cost(1 + inner.fields, inner.aliases + (selection.alias is not None),
                              0 if leaf else 1 + inner.depth)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total


@dataclass(frozen=True)
class DocumentCost:
    """Per operation and per fragment, so a refusal can say which one is too large."""

    operations: dict[OperationDefinitionNode, Cost]
    fragments: dict[str, Cost]

    @property
    def total(self) -> Cost:
        return sum(self.operations.values(), Cost())


def measure(document: DocumentNode) -> DocumentCost:
    """The expanded cost of every operation and fragment, each fragment costed once."""
    costing = _Costing(document)
    operations = {d: costing.selections(d.selection_set) for d in document.definitions
                  if isinstance(d, OperationDefinitionNode)}
    fragments = {name: costing.fragment(name) for name in costing.fragments}
    return DocumentCost(operations, fragments)


@dataclass
class Repeats:
    """Walks expansions with one shared budget of fields, counting fields per response path."""

    document: DocumentNode
    budget: int
    seen: int = 0
    spread: set[str] = field(default_factory=set)

    def most_repeated(self, definition: OperationDefinitionNode | FragmentDefinitionNode) -> tuple[str, int] | None:
        """The response path asked for most often in ``definition``, expanded, and how often;
        ``None`` once the walks together have seen more fields than the budget.

        The budget is what makes the walk safe: call it only on documents whose memoised
        cost is within the field limit, and a fragment cycle still cannot make it run long.
        """
        fragments = {d.name.value: d for d in self.document.definitions if isinstance(d, FragmentDefinitionNode)}
        counts: Counter[tuple[str, ...]] = Counter()
        # An explicit stack, not recursion: (selection set, its parent's path, fragments being expanded).
        stack: list[tuple[SelectionSetNode, tuple[str, ...], frozenset[str]]] = [
            (definition.selection_set, (), frozenset())]
        while stack:
            selection_set, path, spreading = stack.pop()
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    self.seen += 1
                    if self.seen > self.budget:
                        return None
                    key = (*path, (selection.alias or selection.name).value)
                    counts[key] += 1
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, key, spreading))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, path, spreading))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    self.spread.add(name)
                    if name in fragments and name not in spreading:
                        stack.append((fragments[name].selection_set, path, spreading | {name}))
        if not counts:
            return "", 0
        path, count = counts.most_common(1)[0]
        return ".".join(path), count


def _too_large(message: str, node: object = None) -> GraphQLError:
    return GraphQLError(message, nodes=node, original_error=QueryTooLarge(message))  # type: ignore[arg-type]


def _name(definition: OperationDefinitionNode | FragmentDefinitionNode) -> str:
    if isinstance(definition, FragmentDefinitionNode):
        return f"fragment '{definition.name.value}'"
    return f"operation '{definition.name.value}'" if definition.name else "the operation"


def refusals(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    """``QUERY_TOO_LARGE`` errors for a document over ``limits``; empty if it is within them.

    Costs O(document) plus, for a document within ``max_fields``, walks of at most
    ``max_fields`` expanded fields in all.
    """
    cost = measure(document)
    errors: list[GraphQLError] = []
    for operation, own in cost.operations.items():
        if own.depth > limits.max_depth:
            errors.append(_too_large(f"{_name(operation)} is nested {own.depth} levels deep; "
                                     f"the limit is {limits.max_depth}", operation))
    total = cost.total
    if total.aliases > limits.max_aliases:
        errors.append(_too_large(f"the document uses {total.aliases} aliases once its fragments are expanded; "
                                 f"the limit is {limits.max_aliases}"))
    big_fragments = [name for name, own in cost.fragments.items() if own.fields > limits.max_fields]
    if total.fields > limits.max_fields or big_fragments:
        fields = max([total.fields, *(cost.fragments[name].fields for name in big_fragments)])
        errors.append(_too_large(f"the document selects {fields} fields once its fragments are expanded; "
                                 f"the limit is {limits.max_fields}: ask for fewer fields, or split the query"))
    if errors:
        return errors
    # Operations first: a fragment they spread is counted inside them; an unused fragment is
    # still validated (and reported unused), so it is walked too, on the same budget.
    repeats = Repeats(document, limits.max_fields)
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    definitions: list[OperationDefinitionNode | FragmentDefinitionNode] = [*cost.operations, *fragments]
    for definition in definitions:
        if isinstance(definition, FragmentDefinitionNode) and definition.name.value in repeats.spread:
            continue
        found = repeats.most_repeated(definition)
        if found is None:
            return [_too_large(f"the document selects more than {limits.max_fields} fields once its fragments "
                               f"are expanded; the limit is {limits.max_fields}: ask for fewer fields")]
        path, count = found
        if count > limits.max_repeats:
            return [_too_large(f"'{path}' is asked {count} times in {_name(definition)}; the limit is "
                               f"{limits.max_repeats} at one place: ask for each field once", definition)]
    return []


__all__ = ["Cost", "DocumentCost", "DocumentLimits", "Repeats", "measure", "refusals"]
