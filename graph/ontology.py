"""Reading the ontology itself: its classes and properties as plain values, for the
GraphQL ``ontology`` field and the README's tour."""

from __future__ import annotations

import rdflib
from rdflib.collection import Collection

from .model import LangString, OntologyTerm, by_lang
from .vocab import CKG, OWL, RDF, RDFS


def ontology_terms(graph: rdflib.Graph) -> list[OntologyTerm]:
    """Every ``ckg:`` class and property in ``graph``, sorted by IRI within each kind."""
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
             OWL.AnnotationProperty: "annotation property"}  # statement qualifiers, former names
    terms = []
    for rdf_kind, kind in kinds.items():
        for term in sorted({t for t in graph.subjects(RDF.type, rdf_kind) if isinstance(t, rdflib.URIRef)}):
            if not str(term).startswith(str(CKG._NS)):
                continue
            inverse = graph.value(term, OWL.inverseOf)
            terms.append(OntologyTerm(
                iri=str(term), kind=kind,
                # rdfs:label values are literals (the shapes require it); rdflib types them as any Node.
                labels=tuple(sorted((LangString(str(o), o.language)  # type: ignore[attr-defined]
                                     for o in graph.objects(term, RDFS.label)),
                                    key=by_lang)),
                comment=str(graph.value(term, RDFS.comment) or "") or None,
                parents=tuple(sorted(str(o) for o in graph.objects(term, RDFS.subClassOf))),
                domain=_class_union(graph, graph.value(term, RDFS.domain)),
                range=_class_union(graph, graph.value(term, RDFS.range)),
                inverse=str(inverse) if inverse is not None else None,
                symmetric=(term, RDF.type, OWL.SymmetricProperty) in graph))
    return terms


def _class_union(graph: rdflib.Graph, node: rdflib.term.Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return (str(node),)
    return tuple(str(member) for member in Collection(graph, union))


__all__ = ["ontology_terms"]
