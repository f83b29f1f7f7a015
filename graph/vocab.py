"""The vocabularies chipkg writes in, as closed namespaces.

``CKG`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo such as
``CKG.make`` raises at import time instead of quietly minting a new IRI. A test
checks that it lists exactly the terms ``seed/ontology.ttl`` defines.
"""

from __future__ import annotations

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef

ONTOLOGY_IRI = "https://w3id.org/chipkg/ontology"
RESOURCE_BASE = "https://w3id.org/chipkg/resource/"


class CKG(DefinedNamespace):
    """The chipkg ontology (``ckg:``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes (ckg:Entity is the abstract superclass of the top-level ones)
    Entity: URIRef
    Organization: URIRef
    Company: URIRef
    Regulator: URIRef
    Product: URIRef
    Chip: URIRef
    Policy: URIRef
    Person: URIRef
    Place: URIRef
    Country: URIRef
    City: URIRef
    Event: URIRef
    Quote: URIRef
    Concern: URIRef
    Article: URIRef
    Sentence: URIRef
    # object properties
    makes: URIRef
    madeBy: URIRef
    competesWith: URIRef
    issuedBy: URIRef
    appliesTo: URIRef
    targets: URIRef
    departsFrom: URIRef
    jurisdiction: URIRef
    summoned: URIRef
    ceoOf: URIRef
    founderOf: URIRef
    memberOf: URIRef
    leaderOf: URIRef
    partOf: URIRef
    basedIn: URIRef
    locatedIn: URIRef
    exhibitedAt: URIRef
    spokeAt: URIRef
    speaker: URIRef
    about: URIRef
    reportedBy: URIRef
    quotedFrom: URIRef
    # statement qualifiers and names (annotation properties, and attribution, a datatype property)
    concerning: URIRef
    shortlyAfter: URIRef
    attribution: URIRef
    formerName: URIRef
    # datatype properties
    text: URIRef
    evidence: URIRef
    paragraph: URIRef
    sourceFile: URIRef
    sentenceIndex: URIRef


CKR = Namespace(RESOURCE_BASE)
SCHEMA = SDO

# The prefixes every export uses, in the order they are written.
PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckr": RESOURCE_BASE,
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "skos": str(SKOS),
    "xsd": str(XSD),
}

__all__ = ["CKG", "CKR", "DCTERMS", "ONTOLOGY_IRI", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "RESOURCE_BASE",
           "SCHEMA", "SKOS", "XSD", "compact"]


def compact(iri: str) -> str:
    """``ckr:nvidia`` for the resource IRI, and likewise for every known prefix."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"
