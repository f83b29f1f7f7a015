"""Turning triples read from the store into the model: entities, evidence, counts.

Pure functions of what one read returned, so the graph's readers can retry a read as a
whole (``seqlock.py``) and the same code serves every store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .model import Entity, Evidence, LangString, by_lang
from .projection import Fact
from .store import TripleStore
from .terms import int_value, lang_string
from .vocab import CKG, PROV, RDF, RDFS, SKOS

_TYPE = str(RDF.type)
_LABEL = str(RDFS.label)
_ALT = str(SKOS.altLabel)
_STATEMENT = str(RDF.Statement)


@dataclass(frozen=True)
class Stats:
    triples: int
    entities: int
    statements: int
    by_class: dict[str, int]
    by_predicate: dict[str, int]


def entity_from(iri: str, triples: Iterable[ox.Triple], classes: frozenset[str]) -> Entity | None:
    """The entity ``triples`` (all with subject ``iri``) describe; ``None`` if it has no class."""
    types, labels, alts = [], [], []
    attributes: dict[str, list[LangString]] = defaultdict(list)
    for t in triples:
        p = t.predicate.value
        if p == _TYPE:
            types.append(t.object.value)  # type: ignore[union-attr]  # RDF 1.1
        elif p == _LABEL and isinstance(t.object, ox.Literal):
            labels.append(lang_string(t.object))
        elif p == _ALT and isinstance(t.object, ox.Literal):
            alts.append(lang_string(t.object))
        elif isinstance(t.object, ox.Literal):
            attributes[p].append(lang_string(t.object))
    if not any(t in classes for t in types):
        return None
    return Entity(iri=iri, types=tuple(sorted(types)), labels=tuple(sorted(labels, key=by_lang)),
                  alt_labels=tuple(sorted(alts, key=by_lang)),
                  attributes={p: tuple(sorted(v, key=by_lang)) for p, v in sorted(attributes.items())})


def describe_statement(statement: str, triples: list[ox.Triple]) -> tuple[Fact, list[Evidence]] | None:
    """The fact a reified statement describes and the evidence it carries."""
    values: dict[str, list] = defaultdict(list)
    for t in triples:
        values[t.predicate.value].append(t.object)
    try:
        (s,), (p,), (o,) = values[str(RDF.subject)], values[str(RDF.predicate)], values[str(RDF.object)]
    except ValueError:
        return None
    paragraph = int_value(values[str(CKG.paragraph)][0]) if values[str(CKG.paragraph)] else None
    source = values[str(PROV.wasDerivedFrom)][0].value if values[str(PROV.wasDerivedFrom)] else ""
    attribution = values[str(CKG.attribution)][0].value if values[str(CKG.attribution)] else None
    concerning = tuple(sorted(v.value for v in values[str(CKG.concerning)] if isinstance(v, ox.NamedNode)))
    after = tuple(sorted(v.value for v in values[str(CKG.shortlyAfter)] if isinstance(v, ox.NamedNode)))
    evidence = [Evidence(text=e.value, lang=e.language, paragraph=paragraph, source=source, statement=statement,
                         attribution=attribution, concerning=concerning, shortly_after=after)
                for e in values[str(CKG.evidence)]]
    return (s.value, p.value, o.value), evidence


def ontology_closure(store: TripleStore, ontology_iri: str) -> list[ox.Triple]:
    """The ontology's own triples, with the blank nodes of its union classes."""
    selected = [t for t in store.triples() if t.subject.value.startswith(ontology_iri)]  # type: ignore[union-attr]  # RDF 1.1
    frontier = [t.object for t in selected if isinstance(t.object, ox.BlankNode)]
    seen: set[str] = set()
    while frontier:
        node = frontier.pop()
        if node.value in seen:
            continue
        seen.add(node.value)
        for t in store.triples(node, None, None):
            selected.append(t)
            if isinstance(t.object, ox.BlankNode):
                frontier.append(t.object)
    return selected


def count(store: TripleStore, classes: frozenset[str]) -> Stats:
    """Counts from one pass over the store (one pattern match: one snapshot)."""
    by_class: Counter[str] = Counter()
    by_predicate: Counter[str] = Counter()
    statements = total = 0
    for t in store.triples():
        total += 1
        by_predicate[t.predicate.value] += 1
        if t.predicate.value == _TYPE:
            cls = t.object.value  # type: ignore[union-attr]  # RDF 1.1
            if cls in classes:
                by_class[cls] += 1
            elif cls == _STATEMENT:
                statements += 1
    return Stats(triples=total, entities=sum(by_class.values()), statements=statements,
                 by_class=dict(sorted(by_class.items())), by_predicate=dict(sorted(by_predicate.items())))


__all__ = ["Stats", "count", "describe_statement", "entity_from", "ontology_closure"]
