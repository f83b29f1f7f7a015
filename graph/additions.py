"""What a write that only adds triples can break, and the few queries that find it.

With the store conforming before the write, a focus node can only violate a check after
it if an added triple reaches the node through that check:

- the triple makes the node a target: it matches a triple pattern of the target test;
- or it joins a row of the constraint: it matches a triple pattern the constraint joins
  on (see ``sparql_rewrite.confined``).

Nothing else can add a row: the constraints' negations (``FILTER NOT EXISTS``, ``MINUS``)
only match more when triples are added, and their tests look at one row at a time. A
constraint with a positive ``FILTER EXISTS`` (a disjointness check) has no confined forms:
every triple pattern in it counts as a way in, and it runs whole where one is reached. So,
per check and focus node, the check runs

- not at all if no added triple reaches the node through it (most checks, most nodes);
- whole if the node has just become a target (a new statement, a first fact of a kind);
- otherwise only in its confined forms, which start from the added triples: a fact added
  to a hub is checked against its own statement, not against the hub's 2,355 others.

At 1M triples this took a validated ``add_fact`` from 4–8 s (the provenance and evidence
checks each read every statement of the store) to milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from .sparql_rewrite import ForNode, TriplePattern, Unsupported, confined, every_pattern, split_target, target_patterns
from .store import TripleStore

ADDED = "urn:chipkg:write:added"  # placeholder for the graph the added triples are staged in
SELECT = "SELECT DISTINCT ?check ?this ?path ?value WHERE"
_TARGET = -1  # the slot of a check's target patterns; its confined forms are 0, 1, …
_WHOLE = -2  # the slot of the patterns of a constraint with no confined forms (run whole)
_EVERY = "*"  # reached by a pattern that does not name ?this: every focus node

Triple = tuple[str, str, str]  # N-Triples terms
Reach = dict[int, dict[int, set[str]]]  # check → slot → the nodes added triples reach through it


@dataclass(frozen=True)
class _Check:
    """One compiled check, taken apart: its target test and constraint for one node at a
    time, the target's triple patterns and the constraint's confined forms (``None``
    where the rewrite does not understand them, which makes the check run whole)."""

    index: int
    target: ForNode
    constraint: ForNode
    targets: tuple[TriplePattern, ...] | None
    forms: tuple[tuple[TriplePattern, ForNode], ...] | None
    anywhere: tuple[TriplePattern, ...] | None  # without forms: every pattern of the constraint

    @classmethod
    def of(cls, index: int, where: str, prefixes: dict[str, str]) -> _Check:
        target, constraint = split_target(where)
        targets: tuple[TriplePattern, ...] | None
        forms: tuple[tuple[TriplePattern, ForNode], ...] | None
        anywhere: tuple[TriplePattern, ...] | None = None
        try:
            targets = tuple(target_patterns(target, prefixes))
        except Unsupported:
            targets = None
        try:
            forms = tuple((form.pattern, ForNode.of(form.where)) for form in confined(constraint, ADDED, prefixes))
        except Unsupported:
            forms = None
            try:  # a disjointness check's FILTER EXISTS: run whole, but only where reached
                anywhere = tuple(every_pattern(constraint, prefixes))
            except Unsupported:
                anywhere = None
        return cls(index, ForNode.of(target), ForNode.of(constraint), targets, forms, anywhere)

    @property
    def analysed(self) -> bool:
        """Whether the added triples that can reach a node through this check are known,
        and the constraint's confined forms."""
        return self.targets is not None and self.forms is not None

    @property
    def reach_known(self) -> bool:
        """Whether a node no added triple reaches through this check can be left out."""
        return self.targets is not None and (self.forms is not None or self.anywhere is not None)

    def patterns(self) -> list[tuple[int, TriplePattern]]:
        """Each triple pattern an added triple can reach a node through, with its slot."""
        return ([(_TARGET, p) for p in self.targets or ()] + [(j, p) for j, (p, _) in enumerate(self.forms or ())]
                + [(_WHOLE, p) for p in self.anywhere or ()])

    def queries(self, node: str, slots: set[int], graph: str, targets: _Targets) -> list[str]:
        """The queries for every violation that the write gives ``node``, which added
        triples reach through ``slots``."""
        if not self.analysed or (_TARGET in slots and not targets.before(self.target, node)):
            # A new target (or one this cannot tell): every constraint counts.
            return [self._query(self.constraint, node, graph)] if targets.after(self.target, node) else []
        assert self.forms is not None
        return [self._query(form, node, graph) for j, (_, form) in enumerate(self.forms) if j in slots]

    def _query(self, where: ForNode, node: str, graph: str) -> str:
        # The target is tested in the query as well: a node reached through a confined form
        # need not be a target at all.
        return (f"{SELECT} {{ FILTER EXISTS {{ {self.target.bound(node)} }} {where.bound(node).replace(ADDED, graph)} "
                f"BIND({node} AS ?this) BIND({self.index} AS ?check) }}")


class _Targets:
    """Whether a node meets a target test before the write and after it, each asked of the
    store once per write."""

    def __init__(self, store: TripleStore, graph: str) -> None:
        self._store = store
        self._graphs = [ox.DefaultGraph(), ox.NamedNode(graph)]
        self._known: dict[tuple[ForNode, str, bool], bool] = {}

    def before(self, target: ForNode, node: str) -> bool:
        return self._ask(target, node, staged=False)

    def after(self, target: ForNode, node: str) -> bool:
        return self._ask(target, node, staged=True)

    def _ask(self, target: ForNode, node: str, *, staged: bool) -> bool:
        key = (target, node, staged)
        if key not in self._known:
            # The store's default graph alone is the store before the write.
            graphs = self._graphs if staged else None
            self._known[key] = bool(self._store.query(f"ASK {{ {target.bound(node)} }}", default_graph=graphs))
        return self._known[key]


class Additions:
    """The compiled checks ready for writes that only add, with an index from predicates
    to the patterns an added triple with that predicate can match."""

    def __init__(self, wheres: list[str], prefixes: dict[str, str]) -> None:
        self._checks = [_Check.of(i, where, prefixes) for i, where in enumerate(wheres)]
        self._by_predicate: dict[str | None, list[tuple[int, int, TriplePattern]]] = defaultdict(list)
        for check in self._checks:
            for slot, pattern in check.patterns():
                fixed = pattern.predicate is not None and not pattern.predicate.startswith("?")
                self._by_predicate[pattern.predicate if fixed else None].append((check.index, slot, pattern))

    def queries(self, store: TripleStore, add: list[ox.Triple], focus: list[str], graph: str) -> list[str]:
        """The queries that find every violation adding ``add`` (staged in the named graph
        ``graph``) gives the ``focus`` nodes, for a store that conformed before; they are
        to run over the default graph and ``graph``."""
        reach = self._reach([(str(t.subject), str(t.predicate), str(t.object)) for t in add])
        targets = _Targets(store, graph)
        queries = []
        for check in self._checks:
            slots = reach.get(check.index, {})
            if not slots and check.reach_known:
                continue
            for node in focus:
                reached = {slot for slot, nodes in slots.items() if node in nodes or _EVERY in nodes}
                if reached or not check.reach_known:
                    queries += check.queries(node, reached, graph, targets)
        return queries

    def _reach(self, added: list[Triple]) -> Reach:
        reach: Reach = defaultdict(lambda: defaultdict(set))
        for triple in added:
            for index, slot, pattern in self._by_predicate.get(triple[1], []) + self._by_predicate.get(None, []):
                bindings = pattern.match(triple)
                if bindings is not None:
                    reach[index][slot].add(bindings.get("?this", _EVERY))
        return reach


__all__ = ["ADDED", "SELECT", "Additions"]
