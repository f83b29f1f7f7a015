"""Checking one write against the ontology and the shapes in milliseconds.

pySHACL over the region a write touches took 1.3–2.1 s for one fact on a hub of the seed
and about a minute on a 100k-triple store, most of it spent copying the hub's
neighbourhood into Python. Here the store checks the write itself: the added triples are
staged in a scratch named graph (readers only ever look at the default graph), the
removed ones in another, and the compiled shapes (``shacl_sparql.py``) run for the
write's focus nodes only over "the default graph plus the added triples, minus the
removed ones". The scratch graphs are dropped whatever the verdict, so a refused write
leaves nothing behind.

Which nodes can a write break? With the store conforming before it:

- adding can only break a node it names: the subject of an added triple (``maxCount``,
  ``uniqueLang``, datatypes, provenance of a new fact) or its object (a range, which
  ``sh:targetObjectsOf`` makes the object's business), since every other constraint
  only gets easier to meet with more triples;
- removing can also break the nodes that rely on what is gone: anything pointing at a
  node whose ``rdf:type`` is removed (``sh:class`` on a value), the statements that
  describe a removed fact, and the fact a removed statement triple was evidence for.

A write that only adds goes further (``additions.py``): a check runs for a focus node only
if an added triple reaches the node through it, and on a node that was already its target
only for the rows that join an added triple, so a fact on a hub costs what a fact on a
leaf does (about 8 ms at 1M triples, against 4–8 s when every check read the hub's whole
neighbourhood or every statement in the store). A write that removes runs every check
whole for its focus nodes.

Writes this cannot scope (a remote SPARQL store, whose protocol cannot name the default
graph next to a named one; blank nodes, which ``VALUES`` cannot hold) go to pySHACL over
the touched region, the reference the tests hold both to.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

from .additions import SELECT, Additions
from .articles import PART_OF
from .errors import Violation
from .shacl_sparql import ShapeChecks, violation
from .sparql_rewrite import Unsupported, bound, optional_as_minus, split_target, without
from .store import Object, TripleStore
from .terms import to_rdflib, to_rdflib_graph
from .validation import Validator
from .vocab import OWL, PROV, RDF, RDFS, compact

SCRATCH = "urn:chipkg:write:"
_TYPE = ox.NamedNode(str(RDF.type))
_SUBJECT = ox.NamedNode(str(RDF.subject))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_REMOVED = "urn:chipkg:write:removed"  # placeholder in the rewritten checks, one IRI per write
# Objects of these name vocabulary (a class, a property), not nodes with shapes of their own.
_VOCABULARY = (str(RDF.type), str(RDF.predicate))


class WriteChecks:
    """The compiled shapes, ready to check single writes; one per ``KnowledgeGraph``."""

    def __init__(self, validator: Validator, checks: ShapeChecks | None = None) -> None:
        self.validator = validator
        self.checks = checks if checks is not None else ShapeChecks(validator.shapes)
        self.object_properties = frozenset(str(p) for p in validator.ontology.subjects(RDF.type, OWL.ObjectProperty))
        self._adding = [optional_as_minus(c.focused) for c in self.checks.checks]
        self._additions = Additions(self._adding, self.checks.prefixes)
        self._removing: list[str] | None = None  # rewritten on the first removal
        self._unsupported: str | None = None

    def check(self, store: TripleStore, remove: list[ox.Triple], add: list[ox.Triple]) -> list[Violation]:
        """Every violation the store would have after removing ``remove`` and adding ``add``
        that it does not have now; the store is not changed."""
        problems = self.validator.check_vocabulary(add)
        if problems:
            return problems
        if not remove and not add:
            return []
        hierarchy = [t for t in remove + add if t.predicate == _SUBCLASS]
        if hierarchy:
            return [Violation(focus=compact(hierarchy[0].subject.value),  # type: ignore[union-attr]  # RDF 1.1
                              message="rdfs:subClassOf belongs to the ontology; "
                                      "data cannot change the class hierarchy")]
        if getattr(store, "remote", False) or any(_has_blank(t) for t in remove + add) \
                or (remove and self._removal_checks() is None):
            return self.reference(store, remove, add)
        return self._compiled(store, remove, add)

    # ------------------------------------------------------------ compiled, in the store

    def _removal_checks(self) -> list[str] | None:
        if self._removing is None and self._unsupported is None:
            try:
                self._removing = [without(where, _REMOVED) for where in self._adding]
            except Unsupported as exc:
                self._unsupported = str(exc)
        return self._removing

    def _compiled(self, store: TripleStore, remove: list[ox.Triple], add: list[ox.Triple]) -> list[Violation]:
        scratch = f"{SCRATCH}{uuid.uuid4().hex}"
        added, removed = ox.NamedNode(scratch + ":added"), ox.NamedNode(scratch + ":removed")
        staged = [f"GRAPH {g} {{ {_data(triples)} }}" for g, triples in ((added, add), (removed, remove)) if triples]
        store.update(f"INSERT DATA {{ {' '.join(staged)} }}")
        try:
            if remove:
                queries = self._removal_queries(store, remove, add, added, removed)
            else:
                queries = self._addition_queries(store, add, added)
            graphs = [ox.DefaultGraph(), added] if add else None
            found: set[Violation] = set()
            for query in queries:
                found |= {violation(self.checks.checks[int(row["check"].value)], row)
                          for row in store.query(query, default_graph=graphs, prefixes=self.checks.prefixes)}  # type: ignore[attr-defined]
        finally:
            store.update(f"DROP SILENT GRAPH {added} ; DROP SILENT GRAPH {removed}")
        return sorted(found, key=str)

    def _addition_queries(self, store: TripleStore, add: list[ox.Triple], added: ox.NamedNode) -> list[str]:
        """A write that only adds: each check runs for the focus nodes an added triple
        reaches through it, and only as far as the added triples reach (``additions.py``)."""
        focus = sorted(_terms(term for t in add for term in _named(t)))
        return self._additions.queries(store, add, focus, added.value)

    def _removal_queries(self, store: TripleStore, remove: list[ox.Triple], add: list[ox.Triple],
                         added: ox.NamedNode, removed: ox.NamedNode) -> list[str]:
        """A write that removes can break any constraint of the nodes it touches or that
        rely on what it removes: every check runs whole for them."""
        focus = _terms(term for t in add + remove for term in _named(t)) | self._dependents(store, remove)
        graphs = [ox.DefaultGraph(), added] if add else None
        return [query for i, where in enumerate(self._removal_checks() or ())
                for query in _focused(store, where.replace(_REMOVED, removed.value), i, sorted(focus), graphs,
                                      self.checks.prefixes)]

    def _dependents(self, store: TripleStore, remove: list[ox.Triple]) -> set[str]:
        """The nodes that rely on removed triples without being named by them."""
        if not remove:
            return set()
        retyped = _terms(t.subject for t in remove if t.predicate == _TYPE)
        facts = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in remove)
        subjects = _terms(t.subject for t in remove)
        parts = [f"{{ VALUES (?_s ?_p ?_o) {{ {facts} }} ?this <{RDF.subject}> ?_s ; <{RDF.predicate}> ?_p ; "
                 f"<{RDF.object}> ?_o }}",
                 f"{{ VALUES ?_st {{ {' '.join(sorted(subjects))} }} ?_st <{RDF.subject}> ?this }}"]
        if retyped:
            parts.append(f"{{ VALUES ?_v {{ {' '.join(sorted(retyped))} }} ?this ?_q ?_v }}")
        # A removed sentence (or article text) can leave evidence with nothing to quote.
        parts.append(f"{{ VALUES ?_sent {{ {' '.join(sorted(subjects))} }} ?_sent <{PART_OF.value}> ?_art . "
                     f"?this <{_DERIVED.value}> ?_art }}")
        rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }}")
        return {str(row["this"]) for row in rows if not isinstance(row["this"], ox.BlankNode)}  # type: ignore[attr-defined]

    # ------------------------------------------------------------ reference: pySHACL over the region

    def reference(self, store: TripleStore, remove: list[ox.Triple], add: list[ox.Triple]) -> list[Violation]:
        """pySHACL over the region the write touches: slow, but it is the reference."""
        touched = {t.subject.value for t in remove + add} | {  # type: ignore[union-attr]  # RDF 1.1
            t.object.value for t in remove + add if isinstance(t.object, ox.NamedNode)
            and t.predicate.value not in _VOCABULARY}
        region, focus = self._region(store, touched)
        dropped = {str(t) for t in remove}
        after = [t for t in region if str(t) not in dropped] + add
        after += [t for t in _sentences_cited(store, after) if str(t) not in dropped]
        objects = {t.object.value for t in after if isinstance(t.object, ox.NamedNode)} - focus
        after += [t for o in sorted(objects) for t in store.triples(ox.NamedNode(o), _TYPE, None)
                  if str(t) not in dropped]
        after += [t for t in add if t.predicate == _TYPE]
        # Objects are checked too: a range shape reports the (possibly literal) object.
        checked: list[str | rdflib.term.Node] = [*focus, *(t.subject.value for t in add)]  # type: ignore[union-attr]  # RDF 1.1
        checked += [to_rdflib(t.object) for t in add if isinstance(t.object, ox.Literal)]
        return self.validator.validate(to_rdflib_graph(after), focus=checked)

    def _region(self, store: TripleStore, touched: set[str]) -> tuple[list[ox.Triple], set[str]]:
        """The triples that decide whether ``touched`` nodes conform, and the nodes to check:
        the touched ones, the entities that link to them and the statements that describe
        their facts; their own triples plus the facts those statements describe."""
        focus = set(touched)
        for node in touched:
            for t in store.triples(None, None, ox.NamedNode(node)):
                if isinstance(t.subject, ox.NamedNode) and (
                        t.predicate.value in self.object_properties or t.predicate.value.startswith(str(RDF))):
                    focus.add(t.subject.value)
        for node in touched:  # a sentence's statements: their evidence quotes it
            for part in store.triples(ox.NamedNode(node), PART_OF, None):
                focus |= {t.subject.value for t in store.triples(None, _DERIVED, part.object)
                          if isinstance(t.subject, ox.NamedNode)}
        for node in list(focus):
            for link in store.triples(None, _SUBJECT, ox.NamedNode(node)):
                if isinstance(link.subject, ox.NamedNode):
                    focus.add(link.subject.value)
        region = [t for n in sorted(focus) for t in store.triples(ox.NamedNode(n), None, None)]
        described = _facts_described(region)
        asserted = [t for t in described if any(True for _ in store.triples(t.subject, t.predicate, t.object))]
        return region + asserted, focus


def _sentences_cited(store: TripleStore, region: list[ox.Triple]) -> list[ox.Triple]:
    """The sentences of the articles the region's statements cite: what their evidence is
    checked against."""
    articles = sorted({t.object.value for t in region
                       if t.predicate == _DERIVED and isinstance(t.object, ox.NamedNode)})
    sentences = sorted({t.subject.value for t in store.triples_to(PART_OF, [ox.NamedNode(a) for a in articles])})  # type: ignore[union-attr]  # RDF 1.1
    return list(store.triples_of([ox.NamedNode(s) for s in sentences])) if sentences else []


def _focused(store: TripleStore, where: str, check: int, focus: list[str], graphs: list | None,
             prefixes: dict[str, str]) -> list[str]:
    """The queries that run ``where`` for the focus nodes only. A check with a ``MINUS``
    runs once per node that is its target, with ``?this`` written in as a constant, a
    literal too: Oxigraph neither carries a ``VALUES`` binding into the ``MINUS`` side
    (which then reads every statement in the store: 1.1–2.1 s at 1M triples) nor plans
    the target test and the ``MINUS`` well together (2.7 s), against a few ms for the
    node alone."""
    if "MINUS" not in where:
        return [f"{SELECT} {{ VALUES ?this {{ {' '.join(focus)} }} {where} BIND({check} AS ?check) }}"]
    target, constraint = split_target(where)
    return [f"{SELECT} {{ {bound(constraint, node)} BIND({node} AS ?this) BIND({check} AS ?check) }}"
            for node in focus
            if store.query(f"ASK {{ {bound(target, node)} }}", default_graph=graphs, prefixes=prefixes)]


def _facts_described(triples: list[ox.Triple]) -> list[ox.Triple]:
    parts: dict[str, dict[str, Object]] = defaultdict(dict)
    for t in triples:
        if t.predicate.value in (str(RDF.subject), str(RDF.predicate), str(RDF.object)):
            parts[t.subject.value][t.predicate.value] = t.object  # type: ignore[union-attr]  # RDF 1.1
    return [ox.Triple(p[str(RDF.subject)], p[str(RDF.predicate)], p[str(RDF.object)])  # type: ignore[arg-type]
            for p in parts.values() if len(p) == 3 and isinstance(p[str(RDF.predicate)], ox.NamedNode)
            and not isinstance(p[str(RDF.subject)], ox.Literal)]


def _named(t: ox.Triple) -> Iterable[Object]:
    yield t.subject
    if t.predicate.value not in _VOCABULARY:
        yield t.object


def _terms(terms: Iterable[Object]) -> set[str]:
    return {str(t) for t in terms}


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _data(triples: Iterable[ox.Triple]) -> str:
    return " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


__all__ = ["SCRATCH", "WriteChecks"]
