"""Plain values the graph layer hands out: strings and numbers, never rdflib or
pyoxigraph terms, so the GraphQL layer and embedders cannot lose a datatype by accident."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import pyoxigraph as ox

from .errors import InvalidInput
from .vocab import RESOURCE_BASE


class Direction(str, Enum):  # noqa: UP042 (a StrEnum would change str() and format() of a member)
    """Which way a relation is followed, seen from the entity asked about."""

    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"
    BOTH = "BOTH"


@dataclass(frozen=True, order=True)
class LangString:
    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was taken from, where it sits, and which article it is in, with
    the qualifiers of the statement that carries it (as Wikidata qualifies statements)."""

    text: str
    lang: str | None
    paragraph: int | None
    source: str  # IRI of the ckg:Article
    statement: str  # IRI of the rdf:Statement that carries it
    attribution: str | None = None  # ckg:attribution: "stated", "reported", ...
    concerning: tuple[str, ...] = ()  # ckg:concerning: IRIs of what the action was about
    shortly_after: tuple[str, ...] = ()  # ckg:shortlyAfter: IRIs of what it came right after


@dataclass(frozen=True)
class Relation:
    """One asserted fact between two entities, with the evidence for it.

    ``direction`` is relative to the entity the relation was asked for; in subgraphs and
    paths it is ``OUTGOING`` (``subject`` → ``object`` as stated).
    """

    subject: str
    predicate: str
    object: str
    direction: Direction = Direction.OUTGOING
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    @property
    def concerning(self) -> tuple[str, ...]:
        """What the fact is about, by any of its statements."""
        return tuple(sorted({iri for e in self.evidence for iri in e.concerning}))

    @property
    def shortly_after(self) -> tuple[str, ...]:
        """What the fact came right after, by any of its statements."""
        return tuple(sorted({iri for e in self.evidence for iri in e.shortly_after}))


@dataclass(frozen=True)
class Entity:
    """What the graph says about one resource, with terms turned into plain values."""

    iri: str
    types: tuple[str, ...]
    labels: tuple[LangString, ...]
    alt_labels: tuple[LangString, ...] = ()
    # Other literal-valued properties, predicate IRI -> values (jobTitle, text, title ...).
    attributes: dict[str, tuple[LangString, ...]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return slug_of(self.iri)

    def label(self, lang: str | None = "en") -> str | None:
        """The label in ``lang``, else English, else any label; None if unlabelled."""
        return pick_lang(self.labels, lang)


@dataclass(frozen=True)
class Subgraph:
    """A bounded neighbourhood: entity IRIs and the relations among them, both sorted."""

    center: str
    nodes: tuple[str, ...]
    edges: tuple[Relation, ...]


@dataclass(frozen=True)
class Path:
    """A simple path between two entities; ``edges[i]`` joins ``nodes[i]`` and ``nodes[i+1]``
    in whichever direction the fact was stated."""

    nodes: tuple[str, ...]
    edges: tuple[Relation, ...]

    @property
    def length(self) -> int:
        return len(self.edges)


@dataclass(frozen=True)
class OntologyTerm:
    """A class or property of the ontology, as plain values."""

    iri: str
    kind: str  # "class", "object property" or "datatype property"
    labels: tuple[LangString, ...]
    comment: str | None
    parents: tuple[str, ...] = ()  # superclasses
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    inverse: str | None = None
    symmetric: bool = False


@dataclass(frozen=True)
class WriteResult:
    added: int
    removed: int


def by_lang(value: LangString) -> tuple[str, str]:
    """Sort key for language-tagged values: by language, then text."""
    return (value.lang or "", value.value)


def pick_lang(values: tuple[LangString, ...], lang: str | None) -> str | None:
    """The value in ``lang``, else in English, else the first; the one fallback rule for
    labels, titles and comments everywhere."""
    for wanted in (lang, "en"):
        for v in values:
            if wanted is not None and v.lang == wanted:
                return v.value
    return values[0].value if values else None


def slug_of(iri: str) -> str:
    """The resource id: the slug after the resource base, or the IRI itself otherwise."""
    return iri[len(RESOURCE_BASE):] if iri.startswith(RESOURCE_BASE) else iri


def iri_of(entity_id: str) -> str:
    """The IRI for an id as the API takes it: a slug, a ``ckr:`` name or a full IRI."""
    if entity_id.startswith("ckr:"):
        entity_id = entity_id[4:]
    iri = entity_id if "://" in entity_id else RESOURCE_BASE + entity_id
    try:
        ox.NamedNode(iri)  # the store's own IRI check, so a bad id is the user's error, not a crash
    except ValueError:
        raise InvalidInput(f"invalid id {entity_id!r}: not a valid IRI or slug") from None
    return iri


def lang_literal(text: str, lang: str | None) -> ox.Literal:
    """A literal, language-tagged if ``lang``; a tag that is not BCP 47 is the user's error."""
    if not lang:
        return ox.Literal(text)
    try:
        return ox.Literal(text, language=lang)
    except ValueError:
        raise InvalidInput(f"invalid language tag {lang!r}: use a BCP 47 tag such as 'en' or 'ja'") from None


__all__ = ["Direction", "Entity", "Evidence", "LangString", "OntologyTerm", "Path", "Relation", "Subgraph",
           "WriteResult", "by_lang", "iri_of", "lang_literal", "pick_lang", "slug_of"]
