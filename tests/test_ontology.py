"""The ontology (seed/ontology.ttl) against SPEC.md, graph/vocab.py and the shapes (seed/shapes.ttl
merged with those generated from the ontology).

The files are read directly with rdflib and pyoxigraph, not through the graph layer, and
the namespaces are spelled out here rather than imported, so a typo in chipkg's own
constants cannot make a test agree with itself.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SH, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from chipkg.graph.validation import Validator
from chipkg.graph.vocab import CKG as CKG_VOCAB
from chipkg.seed import ONTOLOGY, SHAPES

CKG = Namespace("https://w3id.org/chipkg/ontology#")
CKGSH = Namespace("https://w3id.org/chipkg/shapes#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ONTOLOGY_IRI = URIRef("https://w3id.org/chipkg/ontology")

SPEC_CLASSES = ["Company", "Chip", "Regulator", "Policy", "Person", "Organization", "Product",
                "Place", "Country", "City", "Event", "Quote", "Article"]

# Classes and properties the seed article needed beyond SPEC.md, built the same way.
EXTRA_CLASSES = ["Concern"]
EXTRA_PROPERTIES = ["leaderOf", "spokeAt", "reportedBy", "quotedFrom"]

SPEC_SUBCLASSES = [("Company", "Organization"), ("Regulator", "Organization"), ("Chip", "Product"),
                   ("Country", "Place"), ("City", "Place")]

# SPEC.md's table: property -> (domain classes, range classes); None: no range declared.
SPEC_PROPERTIES: dict[str, tuple[set[str], set[str] | None]] = {
    "makes": ({"Organization"}, {"Product"}),
    "madeBy": ({"Product"}, {"Organization"}),
    "competesWith": ({"Organization"}, {"Organization"}),
    "issuedBy": ({"Policy"}, {"Regulator"}),
    "appliesTo": ({"Policy"}, {"Organization", "Product"}),
    "targets": ({"Policy"}, {"Country"}),
    "departsFrom": ({"Policy"}, {"Policy"}),
    "jurisdiction": ({"Regulator"}, {"Country"}),
    "summoned": ({"Regulator"}, {"Organization"}),
    "ceoOf": ({"Person"}, {"Company"}),
    "founderOf": ({"Person"}, {"Organization"}),
    "memberOf": ({"Person"}, {"Organization"}),
    "partOf": ({"Organization"}, {"Organization"}),
    "basedIn": ({"Organization", "Event"}, {"Place"}),
    "locatedIn": ({"Place"}, {"Place"}),
    "exhibitedAt": ({"Organization"}, {"Event"}),
    "speaker": ({"Quote"}, {"Person"}),
    "about": ({"Quote"}, None),
}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    graph = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    assert len(graph) > 100
    return graph


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    """The shapes chipkg runs: seed/shapes.ttl merged with those generated from the ontology."""
    graph = Validator.from_files().shapes
    assert len(graph) > len(rdflib.Graph().parse(SHAPES, format="turtle"))
    assert len(graph) > 100
    return graph


def object_properties(onto: rdflib.Graph) -> list[URIRef]:
    found = sorted(p for p in onto.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef))
    assert found, "the ontology defines no object properties"
    return found


def class_set(graph: rdflib.Graph, node) -> set[URIRef]:
    """A class, or the members of an ``owl:unionOf`` class expression."""
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return set(Collection(graph, union))
    return {node}


def one_label(graph: rdflib.Graph, node, lang: str) -> Literal:
    labels = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == lang]
    assert len(labels) == 1, f"{node} has {len(labels)} rdfs:label in @{lang}"
    assert str(labels[0]).strip()
    return labels[0]


# ------------------------------------------------------------------ parsing


def test_ontology_parses_identically_in_pyoxigraph_and_rdflib(onto: rdflib.Graph) -> None:
    quads = list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(onto)
    # Round-trip pyoxigraph's reading through N-Triples so rdflib can compare it, blank nodes and all.
    as_nt = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    assert isomorphic(rdflib.Graph().parse(data=as_nt, format="nt"), onto)


def test_ontology_header(onto: rdflib.Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert any(str(t).strip() for t in onto.objects(ONTOLOGY_IRI, DCTERMS.title))
    assert any(str(v).strip() for v in onto.objects(ONTOLOGY_IRI, OWL.versionInfo))
    licenses = list(onto.objects(ONTOLOGY_IRI, DCTERMS.license))
    assert len(licenses) == 1 and isinstance(licenses[0], URIRef)


# ------------------------------------------------------------------ classes


@pytest.mark.parametrize("name", SPEC_CLASSES + EXTRA_CLASSES)
def test_spec_class_is_defined_with_labels_and_comment(onto: rdflib.Graph, name: str) -> None:
    cls = CKG[name]
    assert (cls, RDF.type, OWL.Class) in onto
    one_label(onto, cls, "en")
    one_label(onto, cls, "ja")
    assert any(str(c).strip() for c in onto.objects(cls, RDFS.comment))


@pytest.mark.parametrize(("sub", "sup"), SPEC_SUBCLASSES)
def test_spec_subclass(onto: rdflib.Graph, sub: str, sup: str) -> None:
    assert (CKG[sub], RDFS.subClassOf, CKG[sup]) in onto


# ------------------------------------------------------------------ object properties


def test_every_spec_property_is_an_object_property(onto: rdflib.Graph) -> None:
    defined = {str(p).removeprefix(str(CKG)) for p in object_properties(onto)}
    assert set(SPEC_PROPERTIES) <= defined


@pytest.mark.parametrize("name", sorted(SPEC_PROPERTIES))
def test_spec_property_domain_and_range(onto: rdflib.Graph, name: str) -> None:
    prop = CKG[name]
    want_domain, want_range = SPEC_PROPERTIES[name]
    domains = list(onto.objects(prop, RDFS.domain))
    assert len(domains) == 1
    assert class_set(onto, domains[0]) == {CKG[c] for c in want_domain}
    ranges = list(onto.objects(prop, RDFS.range))
    if want_range is None:
        assert ranges == []
    else:
        assert len(ranges) == 1
        assert class_set(onto, ranges[0]) == {CKG[c] for c in want_range}


def test_every_object_property_is_labelled_commented_and_typed(onto: rdflib.Graph) -> None:
    """Also the properties the seed added beyond SPEC.md (EXTRA_PROPERTIES)."""
    for prop in object_properties(onto):
        one_label(onto, prop, "en")
        one_label(onto, prop, "ja")
        assert any(str(c).strip() for c in onto.objects(prop, RDFS.comment)), prop
        assert onto.value(prop, RDFS.domain) is not None, prop
        if prop != CKG.about:
            assert onto.value(prop, RDFS.range) is not None, prop


def test_makes_and_made_by_are_inverses(onto: rdflib.Graph) -> None:
    assert (CKG.makes, OWL.inverseOf, CKG.madeBy) in onto or (CKG.madeBy, OWL.inverseOf, CKG.makes) in onto


def test_competes_with_is_symmetric(onto: rdflib.Graph) -> None:
    assert (CKG.competesWith, RDF.type, OWL.SymmetricProperty) in onto


# ------------------------------------------------------------------ the closed vocabulary


def test_ckg_namespace_lists_exactly_the_ontology_terms(onto: rdflib.Graph) -> None:
    defined = {str(s) for s in onto.subjects(RDF.type, None) if str(s).startswith(str(CKG))}
    listed = {str(term) for term in dir(CKG_VOCAB)}
    assert len(defined) > 30
    assert listed - defined == set(), "vocab.py lists terms the ontology does not define"
    assert defined - listed == set(), "the ontology defines terms vocab.py does not list"


def test_ckg_namespace_is_closed() -> None:
    assert str(CKG_VOCAB.makes) == str(CKG.makes)
    with pytest.raises(AttributeError):
        CKG_VOCAB.nonexistent  # noqa: B018


# ------------------------------------------------------------------ shapes agree with the ontology


def shape_classes(shapes: rdflib.Graph, shape: URIRef) -> set[URIRef]:
    """The classes a domain/range shape requires: one ``sh:class`` or an ``sh:or`` of them."""
    direct = set(shapes.objects(shape, SH["class"]))
    alternatives = shapes.value(shape, SH["or"])
    if alternatives is None:
        return direct
    assert not direct, f"{shape} has both sh:class and sh:or"
    found = set()
    for member in Collection(shapes, alternatives):
        classes = list(shapes.objects(member, SH["class"]))
        assert len(classes) == 1, f"an sh:or member of {shape} is not a single sh:class"
        found.add(classes[0])
    return found


# Literal-valued properties whose domain a hand-written shape checks (ckgsh:Qualifier, with
# its own message); every other ckg: property with an rdfs:domain gets a generated one.
HANDWRITTEN_DOMAINS = {"attribution", "concerning", "shortlyAfter"}


def literal_properties_with_domains(onto: rdflib.Graph) -> list[str]:
    return sorted(str(p).removeprefix(str(CKG)) for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty)
                  for p in onto.subjects(RDF.type, kind)
                  if str(p).startswith(str(CKG)) and onto.value(p, RDFS.domain) is not None)


def test_shapes_have_domain_shapes_for_every_property_and_range_shapes_for_object_properties(
        onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    names = {str(s).removeprefix(str(CKGSH)) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    objects = [str(p).removeprefix(str(CKG)) for p in object_properties(onto)]
    literals = set(literal_properties_with_domains(onto)) - HANDWRITTEN_DOMAINS
    assert literals >= {"evidence", "paragraph", "text"}
    assert {n for n in names if n.endswith("-range")} == {f"{p}-range" for p in objects}
    assert {n for n in names if n.endswith("-domain")} == {f"{p}-domain" for p in [*objects, *literals]}


@pytest.mark.parametrize("name", sorted({"evidence", "paragraph", "sentenceIndex", "sourceFile", "text"}))
def test_literal_domain_shape_matches_rdfs_domain(onto: rdflib.Graph, shapes: rdflib.Graph, name: str) -> None:
    shape = CKGSH[f"{name}-domain"]
    assert list(shapes.objects(shape, SH.targetSubjectsOf)) == [CKG[name]]
    assert shape_classes(shapes, shape) == class_set(onto, onto.value(CKG[name], RDFS.domain))


def test_disjoint_classes_have_a_shape_each(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    """The top-level classes and ckg:Sentence are pairwise disjoint, each pair stated once
    and checked once, on the instances of the class it is stated on: never on the
    sentences, the most numerous."""
    members = {CKG[n] for n in ("Organization", "Product", "Policy", "Person", "Place", "Event", "Quote",
                                "Concern", "Article", "Sentence")}
    stated = list(onto.subject_objects(OWL.disjointWith))
    assert len(stated) == len({frozenset(p) for p in stated})  # once each
    assert {frozenset(p) for p in stated} == {frozenset((a, b)) for a in members for b in members if a != b}
    checked = set()
    for shape in shapes.subjects(SH["not"], None):
        [cls] = shapes.objects(shape, SH.targetClass)
        assert shape == CKGSH[f"{str(cls).removeprefix(str(CKG))}-disjoint"]
        checked |= {(cls, other) for other in shape_classes(shapes, shapes.value(shape, SH["not"]))}
    assert checked == set(stated)
    assert CKG.Sentence not in {cls for cls, _ in checked}


@pytest.mark.parametrize("name", sorted(SPEC_PROPERTIES) + EXTRA_PROPERTIES)
def test_domain_shape_matches_rdfs_domain(onto: rdflib.Graph, shapes: rdflib.Graph, name: str) -> None:
    shape = CKGSH[f"{name}-domain"]
    assert list(shapes.objects(shape, SH.targetSubjectsOf)) == [CKG[name]]
    assert shape_classes(shapes, shape) == class_set(onto, onto.value(CKG[name], RDFS.domain))


@pytest.mark.parametrize("name", sorted(SPEC_PROPERTIES) + EXTRA_PROPERTIES)
def test_range_shape_matches_rdfs_range(onto: rdflib.Graph, shapes: rdflib.Graph, name: str) -> None:
    shape = CKGSH[f"{name}-range"]
    assert list(shapes.objects(shape, SH.targetObjectsOf)) == [CKG[name]]
    # Every range shape refuses a literal object, even ckg:about's, which has no class.
    assert (shape, SH.nodeKind, SH.IRI) in shapes
    declared = onto.value(CKG[name], RDFS.range)
    expected = set() if declared is None else class_set(onto, declared)
    assert shape_classes(shapes, shape) == expected


def test_provenance_shape_covers_every_object_property(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    targeted = set(shapes.objects(CKGSH.Provenance, SH.targetSubjectsOf))
    assert targeted == set(object_properties(onto))


def test_typed_shape_accepts_every_ontology_class(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    qualified = shapes.value(shapes.value(CKGSH.Typed, SH.property), SH.qualifiedValueShape)
    allowed = set(Collection(shapes, shapes.value(qualified, SH["in"])))
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    # and the abstract ckg:Entity, and ckg:Sentence (an article's text, not an entity)
    assert len(classes) == len(SPEC_CLASSES) + len(EXTRA_CLASSES) + 2
    assert classes - {CKG.Entity} <= allowed
    assert CKG.Entity not in allowed, "nothing is typed ckg:Entity alone"


def test_every_top_level_class_is_an_entity(onto: rdflib.Graph) -> None:
    """The classes the label rule applied to before ckg:Entity existed, and only they; and
    ckg:Sentence, part of an article's text, which has no labels and is not an entity."""
    top = {c for c in onto.subjects(RDF.type, OWL.Class)
           if isinstance(c, URIRef) and c != CKG.Entity and not any(
               str(s).startswith(str(CKG)) and s != CKG.Entity for s in onto.objects(c, RDFS.subClassOf))}
    assert top == {CKG[n] for n in ("Organization", "Product", "Policy", "Person", "Place", "Event", "Quote",
                                    "Concern", "Article", "Sentence")}
    assert {c for c in top if (c, RDFS.subClassOf, CKG.Entity) in onto} == top - {CKG.Sentence}
    one_label(onto, CKG.Entity, "en")
    one_label(onto, CKG.Entity, "ja")


# ------------------------------------------------------------------ statement qualifiers and former names

ATTRIBUTIONS = {"stated", "reported", "expected", "suggested", "believed"}
# qualifier -> (OWL kind, range); every one is said of an rdf:Statement.
QUALIFIERS = {
    "attribution": (OWL.DatatypeProperty, XSD.string),
    "concerning": (OWL.AnnotationProperty, RDFS.Resource),
    "shortlyAfter": (OWL.AnnotationProperty, RDFS.Resource),
}


@pytest.mark.parametrize("name", sorted(QUALIFIERS))
def test_qualifier_is_defined_on_statements(onto: rdflib.Graph, name: str) -> None:
    kind, range_ = QUALIFIERS[name]
    term = CKG[name]
    assert (term, RDF.type, kind) in onto
    one_label(onto, term, "en")
    one_label(onto, term, "ja")
    assert any(str(c).strip() for c in onto.objects(term, RDFS.comment))
    assert list(onto.objects(term, RDFS.domain)) == [RDF.Statement]
    assert list(onto.objects(term, RDFS.range)) == [range_]


def test_qualifiers_are_not_facts(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    """A qualifier is said of a statement, not of an entity: it is no object property, so
    traversal, paths and the rule that every fact has a statement never see it."""
    for name in QUALIFIERS:
        assert (CKG[name], RDF.type, OWL.ObjectProperty) not in onto
        assert CKG[name] in set(shapes.objects(CKGSH.Qualifier, SH.targetSubjectsOf))
    assert (CKGSH.Qualifier, SH["class"], RDF.Statement) in shapes


def test_attribution_is_a_closed_set(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    props = [p for p in shapes.objects(CKGSH.Qualifier, SH.property) if shapes.value(p, SH.path) == CKG.attribution]
    closed = [shapes.value(p, SH["in"]) for p in props if shapes.value(p, SH["in"]) is not None]
    assert len(closed) == 1
    assert {str(v) for v in Collection(shapes, closed[0])} == ATTRIBUTIONS
    assert Literal(1) in {shapes.value(p, SH.maxCount) for p in props}
    comment = str(onto.value(CKG.attribution, RDFS.comment))
    assert all(f'"{word}"' in comment for word in ATTRIBUTIONS), "the comment explains every value"


def test_former_name_is_an_alias(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    assert (CKG.formerName, RDFS.subPropertyOf, SKOS.altLabel) in onto
    assert (CKG.formerName, RDF.type, OWL.AnnotationProperty) in onto
    one_label(onto, CKG.formerName, "en")
    one_label(onto, CKG.formerName, "ja")
    assert onto.value(CKG.formerName, RDFS.range) == RDF.langString
    paths = {shapes.value(p, SH.path) for p in shapes.objects(CKGSH.Aliases, SH.property)}
    assert CKG.formerName in paths
