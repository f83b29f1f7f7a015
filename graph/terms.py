"""Moving terms between pyoxigraph (the store), rdflib (pySHACL, JSON-LD) and plain values.

rdflib terms are ``str`` subclasses, so a careless ``str(term)`` drops a literal's
datatype or language; every conversion goes through here instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from .errors import InvalidInput
from .model import LangString
from .rdfxml import check_rdfxml
from .store import parse_error

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
}


def rdf_format(name: str) -> ox.RdfFormat:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InvalidInput(f"unknown RDF format {name!r}: use turtle, nt, jsonld, trig or rdfxml") from None


def format_for_file(path: str) -> ox.RdfFormat:
    """The format a file name implies (``.ttl``, ``.nt``, ``.jsonld``, ``.trig``)."""
    fmt = ox.RdfFormat.from_extension(path.rsplit(".", 1)[-1]) if "." in path else None
    if fmt is None:
        raise InvalidInput(f"{path}: cannot tell the RDF format from the file name; use .ttl, .nt, .jsonld or .trig")
    return fmt


def utf8(text: str, source: str = "input") -> bytes:
    """The text as UTF-8; a lone surrogate (which no UTF-8 store can hold) is the caller's error."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{source}: a lone surrogate (U+{ord(text[exc.start]):04X}) at character "
                           f"{exc.start} is not Unicode text") from None


def parse_triples(data: str | bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE,
                  source: str = "input", *, blank_nodes: bool = False) -> list[ox.Triple]:
    """Parse RDF text into default-graph triples, refusing what chipkg cannot store faithfully.

    Blank nodes are refused unless ``blank_nodes`` (they have no stable identity to expose
    as an id), and so are named graphs; remote JSON-LD contexts are never fetched
    (pyoxigraph has no document loader set). RDF/XML is checked for entity bombs first.
    """
    if isinstance(data, str):
        data = utf8(data, source)
    if fmt == ox.RdfFormat.RDF_XML:
        check_rdfxml(data, source)
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=None))
    except SyntaxError as exc:
        raise parse_error(exc, source) from exc
    triples = []
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise InvalidInput(f"{source}: named graphs are not supported (found {quad.graph_name})")
        if not blank_nodes and (isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)):
            raise InvalidInput(f"{source}: blank nodes are not allowed; give the resource an IRI "
                               f"(near {quad.subject} {quad.predicate} {quad.object})")
        triples.append(quad.triple)
    return triples


def parse_file(path: str, *, blank_nodes: bool = False) -> list[ox.Triple]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror}") from exc
    return parse_triples(data, format_for_file(path), source=path, blank_nodes=blank_nodes)


def without_ontology(triples: Iterable[ox.Triple], ontology_iri: str) -> list[ox.Triple]:
    """Data without the ontology's own triples, so an export can be loaded back.

    chipkg's ontology comes from ``seed/ontology.ttl``; a copy inside loaded data (its
    union classes are blank nodes) is dropped rather than duplicated. Any other blank
    node is refused.
    """
    triples = list(triples)
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            by_subject.setdefault(t.subject.value, []).append(t)
    ontology = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ontology_iri)]
    owned: set[str] = set()
    frontier = [t.object.value for t in ontology if isinstance(t.object, ox.BlankNode)]
    while frontier:
        node = frontier.pop()
        if node not in owned:
            owned.add(node)
            frontier += [t.object.value for t in by_subject.get(node, ()) if isinstance(t.object, ox.BlankNode)]
    kept = [t for t in triples if not (isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ontology_iri))
            and not (isinstance(t.subject, ox.BlankNode) and t.subject.value in owned)]
    for t in kept:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            raise InvalidInput(f"blank nodes are not allowed; give the resource an IRI "
                               f"(near {t.subject} {t.predicate} {t.object})")
    return kept


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    # A plain literal and an xsd:string one are the same RDF term; rdflib disagrees.
    return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InvalidInput(f"unsupported RDF term {term!r}")


def to_rdflib_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]  # RDF 1.1
    return graph


def from_rdflib_graph(graph: rdflib.Graph) -> Iterator[ox.Triple]:
    for s, p, o in graph:
        # rdflib types every position as any Node; ox.Triple refuses a literal subject or predicate.
        yield ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]


def lang_string(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> LangString:
    """A literal (or IRI) as a plain value; typed literals keep only their lexical form."""
    if isinstance(term, ox.Literal):
        return LangString(term.value, term.language)
    return LangString(term.value, None)


def int_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> int | None:
    if isinstance(term, ox.Literal):
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


__all__ = ["FORMATS", "format_for_file", "from_rdflib", "from_rdflib_graph", "int_value",
           "lang_string", "parse_file", "parse_triples", "rdf_format", "to_rdflib", "to_rdflib_graph",
           "without_ontology"]
