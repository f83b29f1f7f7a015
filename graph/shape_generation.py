"""The SHACL shapes the ontology already implies, generated so they cannot drift from it.

``seed/ontology.ttl`` says each property's domain, each object property's range, each
datatype property's range, which classes are entities (subclasses of ``ckg:Entity``) and
which are disjoint (``owl:disjointWith``, ``owl:AllDisjointClasses``). Writing
those again by hand in ``seed/shapes.ttl`` meant five edits per new class or property;
here they are derived, and the shapes file keeps only what the ontology cannot say
(cardinalities, provenance, qualifiers, closed value sets). ``Validator.from_files``
merges the two graphs, so pySHACL and the SPARQL-compiled checks run the same rules.

Only features ``shacl_sparql.py`` compiles are generated (``sh:class``, ``sh:or`` of
``sh:class``, ``sh:nodeKind sh:IRI``, ``sh:datatype``, ``sh:uniqueLang``,
``sh:qualifiedValueShape`` with ``sh:languageIn`` or ``sh:in``, ``sh:not`` of ``sh:class``
or of their ``sh:or``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeGuard

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from .errors import InvalidInput
from .vocab import CKG, compact

CKGSH = rdflib.Namespace("https://w3id.org/chipkg/shapes#")
ENTITY = rdflib.URIRef(str(CKG._NS) + "Entity")
# Every entity is named once in each of these languages (the ontology labels itself in both).
LABEL_LANGUAGES = ("en", "ja")
# Besides the ontology's classes, a labelled resource may be a term of the ontology itself.
ONTOLOGY_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology)
_ANY = (RDFS.Resource, OWL.Thing)
_LANGUAGE_NAMES = {"en": "English", "ja": "Japanese"}


def ontology_shapes(ontology: rdflib.Graph, handwritten: rdflib.Graph | None = None) -> rdflib.Graph:
    """The shapes ``ontology`` implies; ``handwritten`` are the shapes they are merged with.

    A datatype range the hand-written shapes already check (with their own message, next
    to a cardinality) is not generated again, so a bad value is reported once.
    """
    out = rdflib.Graph()
    out.bind("sh", SH)
    out.bind("ckgsh", CKGSH)
    _entity_shape(out)
    _typed_shape(out, ontology)
    properties = sorted(p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if _is_ckg(p))
    for prop in properties:
        _domain_shape(out, ontology, prop)
        _range_shape(out, ontology, prop)
        out.add((CKGSH.Provenance, SH.targetSubjectsOf, prop))  # its sh:sparql is hand-written
    if properties:
        out.add((CKGSH.Provenance, RDF.type, SH.NodeShape))
    checked, domains = set(), set()
    if handwritten is not None:
        checked = {(handwritten.value(p, SH.path), handwritten.value(p, SH.datatype))
                   for p in handwritten.subjects(SH.datatype, None)}
        domains = {p for shape in handwritten.subjects(SH["class"], None)
                   for p in handwritten.objects(shape, SH.targetSubjectsOf)}
    for prop in sorted(p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if _is_ckg(p)):
        datatype = ontology.value(prop, RDFS.range)
        if isinstance(datatype, rdflib.URIRef) and (prop, datatype) not in checked:
            _datatype_shape(out, prop, datatype)
    # Literal-valued properties have domains too: a ckg:paragraph on a node that is neither
    # a statement nor a sentence is refused, not stored on a resource nothing else checks.
    for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in sorted(p for p in ontology.subjects(RDF.type, kind) if _is_ckg(p) and p not in domains):
            _domain_shape(out, ontology, prop)
    for cls, others in sorted(_disjoint(ontology).items()):
        _disjoint_shape(out, ontology, cls, sorted(others, key=str))
    return out


def _is_ckg(term: rdflib.term.Node) -> TypeGuard[rdflib.URIRef]:
    return isinstance(term, rdflib.URIRef) and str(term).startswith(str(CKG._NS))


def _entity_shape(g: rdflib.Graph) -> None:
    shape = CKGSH.Entity
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, ENTITY))
    g.add((shape, SH.nodeKind, SH.IRI))
    _property(g, shape, RDFS.label, "labels must be language-tagged strings, at most one per language",
              (SH.datatype, RDF.langString), (SH.uniqueLang, rdflib.Literal(True)))
    for lang in LABEL_LANGUAGES:
        qualified = rdflib.BNode()
        g.add((qualified, SH.languageIn, _list(g, [rdflib.Literal(lang)])))
        _property(g, shape, RDFS.label, f"needs a{_n(_LANGUAGE_NAMES.get(lang, lang))} "
                  f"{_LANGUAGE_NAMES.get(lang, lang)} (@{lang}) rdfs:label",
                  (SH.qualifiedValueShape, qualified), (SH.qualifiedMinCount, rdflib.Literal(1)))


def _typed_shape(g: rdflib.Graph, ontology: rdflib.Graph) -> None:
    """The closed class list: every ``ckg:`` class but the abstract ``ckg:Entity``."""
    classes = sorted((c for c in ontology.subjects(RDF.type, OWL.Class) if _is_ckg(c) and c != ENTITY), key=str)
    qualified = rdflib.BNode()
    g.add((qualified, SH["in"], _list(g, [*classes, *ONTOLOGY_KINDS])))
    g.add((CKGSH.Typed, RDF.type, SH.NodeShape))
    g.add((CKGSH.Typed, SH.targetSubjectsOf, RDFS.label))
    _property(g, CKGSH.Typed, RDF.type, "needs an rdf:type that is a class of the chipkg ontology",
              (SH.qualifiedValueShape, qualified), (SH.qualifiedMinCount, rdflib.Literal(1)))


def _domain_shape(g: rdflib.Graph, ontology: rdflib.Graph, prop: rdflib.URIRef) -> None:
    classes = _classes(ontology, ontology.value(prop, RDFS.domain))
    if not classes:
        return
    shape = CKGSH[f"{_local(prop)}-domain"]
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetSubjectsOf, prop))
    _require_classes(g, shape, classes)
    g.add((shape, SH.message, _en(f"only {_any_of(ontology, classes)} can be the subject of {compact(prop)}")))


def _disjoint(ontology: rdflib.Graph) -> dict[rdflib.URIRef, set[rdflib.URIRef]]:
    """Each class and the classes its shape refuses beside it: ``A owl:disjointWith B`` is
    checked on ``A``'s instances, and an ``owl:AllDisjointClasses`` member refuses the
    members listed after it. One side of a pair is enough (an instance of both is an
    instance of either), so the ontology names the class with the most instances last and
    never checks them all: ``ckg:Sentence``, hundreds of thousands at 1M (6.6 s a check)."""
    pairs = [(a, b) for a, b in ontology.subject_objects(OWL.disjointWith)]
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in ontology.objects(axiom, OWL.members):
            group = list(Collection(ontology, members))
            pairs += [(a, b) for i, a in enumerate(group) for b in group[i + 1:]]
    found: dict[rdflib.URIRef, set[rdflib.URIRef]] = {}
    for a, b in pairs:
        if not (_is_ckg(a) and _is_ckg(b)) or a == b:
            # a class expression, another vocabulary's class (its shape's name could clash)
            # or a class disjoint with itself: said, not skipped
            raise InvalidInput(f"ontology: cannot generate the disjointness of {a} and {b}: only two "
                               "different named ckg: classes are supported")
        found.setdefault(a, set()).add(b)
    return found


def _disjoint_shape(g: rdflib.Graph, ontology: rdflib.Graph, cls: rdflib.URIRef,
                    others: Sequence[rdflib.URIRef]) -> None:
    """An instance of ``cls`` is an instance of none of ``others`` (``sh:not`` of their ``sh:or``)."""
    shape = CKGSH[f"{_local(cls)}-disjoint"]
    negated = rdflib.BNode()
    _require_classes(g, negated, others)
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, cls))
    g.add((shape, SH["not"], negated))
    g.add((shape, SH.message, _en(f"{_any_of(ontology, [cls])} cannot also be {_any_of(ontology, others)}: "
                                  "the ontology makes them disjoint")))


def _range_shape(g: rdflib.Graph, ontology: rdflib.Graph, prop: rdflib.URIRef) -> None:
    classes = _classes(ontology, ontology.value(prop, RDFS.range))
    shape = CKGSH[f"{_local(prop)}-range"]
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetObjectsOf, prop))
    g.add((shape, SH.nodeKind, SH.IRI))  # an object property never points at a literal
    _require_classes(g, shape, classes)
    what = _any_of(ontology, classes) if classes else "a resource, not a literal"
    g.add((shape, SH.message, _en(f"the object of {compact(prop)} must be {what}")))


def _datatype_shape(g: rdflib.Graph, prop: rdflib.URIRef, datatype: rdflib.URIRef) -> None:
    shape = CKGSH[f"{_local(prop)}-range"]
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetSubjectsOf, prop))
    _property(g, shape, prop, f"the values of {compact(prop)} must be {compact(str(datatype))} literals",
              (SH.datatype, datatype))


def _require_classes(g: rdflib.Graph, shape: rdflib.URIRef | rdflib.BNode, classes: Sequence[rdflib.URIRef]) -> None:
    if len(classes) == 1:
        g.add((shape, SH["class"], classes[0]))
    elif classes:
        members = []
        for cls in classes:
            member = rdflib.BNode()
            g.add((member, SH["class"], cls))
            members.append(member)
        g.add((shape, SH["or"], _list(g, members)))


def _classes(ontology: rdflib.Graph, node: rdflib.term.Node | None) -> list[rdflib.URIRef]:
    """A named class or the members of an ``owl:unionOf``; none for "anything"."""
    if node is None or node in _ANY:
        return []
    union = ontology.value(node, OWL.unionOf)
    members = list(Collection(ontology, union)) if union is not None else [node]
    return [m for m in members if isinstance(m, rdflib.URIRef)]


def _any_of(ontology: rdflib.Graph, classes: Sequence[rdflib.URIRef]) -> str:
    """``an Organization or an Event``, from the classes' English labels."""
    names = []
    for cls in classes:
        label = next((str(o) for o in ontology.objects(cls, RDFS.label)
                      if isinstance(o, rdflib.Literal) and o.language == "en"), _local(cls))
        names.append(f"a{_n(label)} {label}")
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _n(word: str) -> str:
    return "n" if word[:1].lower() in "aeiou" else ""


def _property(g: rdflib.Graph, shape: rdflib.URIRef, path: rdflib.URIRef, message: str,
              *constraints: tuple[rdflib.URIRef, rdflib.term.Node]) -> None:
    prop = rdflib.BNode()
    g.add((shape, SH.property, prop))
    g.add((prop, SH.path, path))
    for key, value in constraints:
        g.add((prop, key, value))
    g.add((prop, SH.message, _en(message)))


def _list(g: rdflib.Graph, items: Iterable[rdflib.term.Node]) -> rdflib.BNode:
    head = rdflib.BNode()
    Collection(g, head, list(items))
    return head


def _local(term: rdflib.URIRef) -> str:
    return str(term).rsplit("#", 1)[-1]


def _en(text: str) -> rdflib.Literal:
    return rdflib.Literal(text, lang="en")


__all__ = ["CKGSH", "ENTITY", "ontology_shapes"]
