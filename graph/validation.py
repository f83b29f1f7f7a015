"""Checking data against the ontology and the SHACL shapes before it enters the graph.

Two passes. A closed-vocabulary pass in Python refuses ``ckg:`` terms the ontology does
not define (SHACL would quietly accept ``ckg:maker`` as just another predicate). Then
pySHACL runs the shapes with the ontology mixed in, so ``rdfs:subClassOf`` makes a
``ckg:Company`` count as a ``ckg:Organization``. The shapes are the hand-written
``seed/shapes.ttl`` merged with those generated from the ontology (``shape_generation.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH

from .. import seed
from .errors import StoreError, Violation
from .shape_generation import ontology_shapes
from .vocab import CKG, compact

CKG_NS = str(CKG._NS)


class Validator:
    """The shapes and the ontology, parsed once and reused for every check."""

    def __init__(self, shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology
        self.terms = frozenset(str(s) for s in ontology.subjects() if str(s).startswith(CKG_NS))

    @classmethod
    def from_files(cls, shapes: Path = seed.SHAPES, ontology: Path = seed.ONTOLOGY) -> Validator:
        """The ontology, and the hand-written shapes merged with those the ontology implies."""
        handwritten = rdflib.Graph().parse(shapes, format="turtle")
        onto = rdflib.Graph().parse(ontology, format="turtle")
        return cls(ontology_shapes(onto, handwritten) + handwritten, onto)

    def check_vocabulary(self, triples: Iterable[ox.Triple]) -> list[Violation]:
        """Every ``ckg:`` predicate and class used must exist in the ontology."""
        problems: dict[tuple[str, str], Violation] = {}
        for t in triples:
            for term, role in ((t.predicate, "predicate"), (t.object, "class")):
                if role == "class" and t.predicate.value != str(RDF.type):
                    continue
                if isinstance(term, ox.NamedNode) and term.value.startswith(CKG_NS) \
                        and term.value not in self.terms:
                    problems[(t.subject.value, term.value)] = Violation(  # type: ignore[union-attr]  # RDF 1.1
                        focus=compact(t.subject.value),  # type: ignore[union-attr]  # RDF 1.1
                        message=f"unknown {role} {compact(term.value)}: the ontology does not define it")
        return sorted(problems.values(), key=str)

    def validate(self, data: rdflib.Graph, focus: Iterable[str | rdflib.term.Node] | None = None) -> list[Violation]:
        """Run the shapes over ``data``; with ``focus``, report only those nodes' violations.

        The focus is applied to the report, not through pySHACL's ``focus_nodes`` option:
        that option also filters the value nodes of ``sh:qualifiedValueShape``, which then
        all "conform", so a missing ``@ja`` label went unreported (pySHACL 0.40).
        """
        if len(data) == 0:
            return []
        wanted = {f if isinstance(f, rdflib.term.Node) else rdflib.URIRef(f) for f in focus} \
            if focus is not None else None
        if wanted is not None and not wanted:
            return []
        _conforms, report, _text = shacl_validate(
            data, shacl_graph=self.shapes, ont_graph=self.ontology, inference="none",
            advanced=False, allow_warnings=True)
        if not isinstance(report, rdflib.Graph):  # pySHACL could not run the shapes at all
            raise StoreError(f"the shapes could not be run: {report}")
        return _violations(report, wanted)


def _violations(report: rdflib.Graph, wanted: set[rdflib.term.Node] | None = None) -> list[Violation]:
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if wanted is not None and focus not in wanted:
            continue
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        found.add(Violation(
            focus=compact(str(focus)) if isinstance(focus, rdflib.URIRef) else repr(str(focus)),
            message=str(message) if message is not None else "breaks a shape",
            path=compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
            value=_show(value) if value is not None and value != focus else None))
    return sorted(found, key=str)


def _show(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return compact(str(term))
    text = str(term)
    return repr(text if len(text) <= 60 else text[:57] + "...")


__all__ = ["Validator"]
