"""What the GraphQL schema needs to know about the ontology, read from ``ontology.ttl``.

The GraphQL types are generated from this (``generation.py``), so a class or property
added to the ontology shows up in the schema with no code change. Naming rules:

- a class ``C`` is the GraphQL type ``C``; a class with subclasses is an interface ``C``
  (so ``... on Organization`` matches a Company) plus an object type ``OtherC`` for
  resources typed with ``C`` itself;
- a typed list on ``Query`` is the class name made plural and camel-cased
  (``companies``, ``people``);
- an object property ``p`` is a field ``p`` on its domain classes, and a field on its
  range classes for the facts seen from the other end: named after ``owl:inverseOf``
  when the ontology declares one (``madeBy`` gathers ``madeBy`` facts and inverted
  ``makes`` facts), else ``pInverse``; a symmetric property is one field, both ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from ..graph import model
from ..graph.model import Direction
from ..graph.ontology import ontology_terms
from ..graph.vocab import CKG, SCHEMA

CKG_NS = str(CKG._NS)
_ROOT = CKG_NS + "Entity"
_IRREGULAR = {"Person": "people"}
# Fields every entity type has (``entities.Entity``); a generated field may not reuse them.
_ENTITY_FIELDS = frozenset({"id", "iri", "label", "labels", "aliases", "types", "description", "relations"})


@dataclass(frozen=True)
class Link:
    """A relationship field: the facts it follows and the class its items are."""

    name: str
    steps: tuple[tuple[str, Direction], ...]  # (predicate IRI, direction seen from this class)
    target: str | None  # class IRI; None for any entity
    description: str
    single: bool = False  # an item or null, not a list (today's ``maker`` and ``speaker``)
    generated: bool = True  # named by the rules (gets a ``…Connection`` twin), not kept from 0.x


@dataclass(frozen=True)
class Text:
    """A literal field: the value of ``predicate`` in the asked language."""

    name: str
    predicate: str
    description: str
    lang_argument: bool = True


@dataclass
class ClassSpec:
    iri: str
    comment: str
    parents: list[str] = field(default_factory=list)  # ckg: superclasses, direct
    children: list[str] = field(default_factory=list)
    links: dict[str, Link] = field(default_factory=dict)
    texts: dict[str, Text] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return local(self.iri)

    @property
    def is_interface(self) -> bool:
        return bool(self.children)

    @property
    def object_name(self) -> str:
        """The object type for resources typed with this class itself."""
        return "Other" + self.name if self.is_interface else self.name

    @property
    def plural(self) -> str:
        name = _IRREGULAR.get(self.name)
        if name is None:
            base = self.name[0].lower() + self.name[1:]
            if base.endswith("y") and base[-2:-1] not in "aeiou":
                name = base[:-1] + "ies"
            elif base.endswith(("s", "x", "ch", "sh")):
                name = base + "es"
            else:
                name = base + "s"
        return name


@dataclass
class OntologyModel:
    """The ontology's classes in dependency order (superclasses first) with their fields."""

    classes: dict[str, ClassSpec]

    def ordered(self) -> list[ClassSpec]:
        done: dict[str, ClassSpec] = {}

        def visit(spec: ClassSpec) -> None:
            if spec.iri in done:
                return
            for parent in spec.parents:
                visit(self.classes[parent])
            done[spec.iri] = spec

        for iri in sorted(self.classes):
            visit(self.classes[iri])
        return list(done.values())

    def descendants(self, iri: str) -> set[str]:
        """The class and all its subclasses."""
        found = {iri}
        for child in self.classes[iri].children:
            found |= self.descendants(child)
        return found

    def most_specific(self, types: tuple[str, ...]) -> ClassSpec | None:
        """The entity's class with no subclass among its other classes, by IRI if several."""
        mine = [t for t in types if t in self.classes]
        ancestors = {a for t in mine for a in self.ancestors(t) if a != t}
        leaves = sorted(t for t in mine if t not in ancestors)
        return self.classes[leaves[0]] if leaves else None

    def ancestors(self, iri: str) -> set[str]:
        found = {iri}
        for parent in self.classes[iri].parents:
            found |= self.ancestors(parent)
        return found


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def read(path: Path) -> OntologyModel:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return build(ontology_terms(graph))


def _ancestors(iri: str, parents: Mapping[str, Sequence[str]]) -> set[str]:
    found: set[str] = set()
    todo = list(parents.get(iri, ()))
    while todo:
        parent = todo.pop()
        if parent not in found:
            found.add(parent)
            todo.extend(parents.get(parent, ()))
    return found


def build(terms: list[model.OntologyTerm]) -> OntologyModel:
    # ckg:Entity, the root of every entity class, is GraphQL's own ``Entity`` interface
    # (``entities.Entity``), not a generated type: leave it out, and its subclasses
    # become the top-level types.
    # Only entity classes (under ckg:Entity) become types: ckg:Sentence is part of an
    # article's text, served by ``Article.sentences``.
    parents = {t.iri: t.parents for t in terms if t.kind == "class"}
    classes = {t.iri: ClassSpec(iri=t.iri, comment=t.comment or f"A {local(t.iri)}.")
               for t in terms if t.kind == "class" and t.iri != _ROOT and _ROOT in _ancestors(t.iri, parents)}
    for t in terms:
        if t.kind == "class" and t.iri in classes:
            classes[t.iri].parents = [p for p in t.parents if p in classes]
            for parent in classes[t.iri].parents:
                classes[parent].children.append(t.iri)
    by_iri = {t.iri: t for t in terms}
    steps: dict[tuple[str, str], list[tuple[str, Direction]]] = defaultdict(list)
    targets: dict[tuple[str, str], str | None] = {}
    notes: dict[tuple[str, str], str] = {}
    for t in terms:
        if t.kind != "object property":
            continue
        name = local(t.iri)
        domain = [c for c in t.domain if c in classes]
        range_ = [c for c in t.range if c in classes]
        if t.symmetric:
            for c in domain:
                _add(steps, targets, notes, (c, name), (t.iri, Direction.BOTH), _one(range_),
                     f"{t.comment or name} (ckg:{name}, either direction)")
            continue
        for c in domain:
            _add(steps, targets, notes, (c, name), (t.iri, Direction.OUTGOING), _one(range_),
                 f"{t.comment or name} (ckg:{name})")
        inverse = by_iri.get(t.inverse) if t.inverse else None
        back = local(inverse.iri) if inverse is not None else name + "Inverse"
        for c in range_:
            _add(steps, targets, notes, (c, back), (t.iri, Direction.INCOMING), _one(domain),
                 f"Facts seen from the other end: inverse of ckg:{name}.")
    for (c, name), found in steps.items():
        classes[c].links[name] = Link(name=name, steps=tuple(found), target=targets[(c, name)],
                                      description=notes[(c, name)])
    for t in terms:
        if t.kind == "datatype property":
            for c in t.domain:
                if c in classes:
                    classes[c].texts[local(t.iri)] = Text(local(t.iri), t.iri, t.comment or local(t.iri))
    _keep_legacy_fields(classes)
    for spec in classes.values():
        clash = (set(spec.links) | set(spec.texts)) & _ENTITY_FIELDS
        if clash:
            raise ValueError(f"ontology terms {sorted(clash)} on ckg:{spec.name} would hide the Entity fields of the "
                             "same name in GraphQL; rename them in the ontology")
    return OntologyModel(classes)


def _one(candidates: list[str]) -> str | None:
    return candidates[0] if len(candidates) == 1 else None


def _add(steps: dict, targets: dict, notes: dict, key: tuple[str, str], step: tuple[str, Direction],
         target: str | None, note: str) -> None:
    if key in targets and targets[key] != target:
        target = None  # two properties share the name with different ranges: any entity
    steps[key].append(step)
    targets[key] = target
    if step[1] == Direction.INCOMING:
        notes.setdefault(key, note)
    else:  # a property's own comment wins over "inverse of"
        notes[key] = note


# Fields chipkg 0.x had under names the rules above do not produce; kept so existing
# queries work. Each is (class, field, [(property, direction)], target class, single).
_LEGACY: tuple[tuple[str, str, tuple[tuple[str, Direction], ...], str | None, bool, str], ...] = (
    ("Organization", "units", (("partOf", Direction.INCOMING),), "Organization", False,
     "Its units (inverse of ckg:partOf)."),
    ("Organization", "people", tuple((p, Direction.INCOMING) for p in ("ceoOf", "founderOf", "leaderOf", "memberOf")),
     "Person", False, ("People who hold a position in it (ckg:ceoOf, ckg:founderOf, ckg:leaderOf, ckg:memberOf, "
                       "inverted).")),
    ("Organization", "products", (("makes", Direction.OUTGOING),), "Product", False, "Products it makes (ckg:makes)."),
    ("Organization", "competitors", (("competesWith", Direction.BOTH),), "Organization", False,
     "Organizations it competes with (ckg:competesWith, either direction)."),
    ("Organization", "summonedBy", (("summoned", Direction.INCOMING),), "Regulator", False,
     "Regulators that summoned it (inverse of ckg:summoned)."),
    ("Organization", "policies", (("appliesTo", Direction.INCOMING),), "Policy", False,
     "Policies that apply to it (inverse of ckg:appliesTo)."),
    ("Company", "ceo", (("ceoOf", Direction.INCOMING),), "Person", False,
     "Its chief executives (inverse of ckg:ceoOf)."),
    ("Regulator", "issued", (("issuedBy", Direction.INCOMING),), "Policy", False,
     "Policies it issued (inverse of ckg:issuedBy)."),
    ("Product", "maker", (("makes", Direction.INCOMING),), "Organization", True,
     "The first organization that makes it (inverse of ckg:makes)."),
    ("Product", "makers", (("makes", Direction.INCOMING),), "Organization", False, "Every organization that makes it."),
    ("Product", "policies", (("appliesTo", Direction.INCOMING),), "Policy", False,
     "Policies that apply to it (inverse of ckg:appliesTo)."),
    ("Person", "quotes", (("speaker", Direction.INCOMING),), "Quote", False,
     "Quotes the person said (inverse of ckg:speaker)."),
    ("Place", "basedHere", (("basedIn", Direction.INCOMING),), None, False,
     "Organizations and events based here (inverse of ckg:basedIn)."),
    ("Event", "location", (("basedIn", Direction.OUTGOING),), "Place", False, "Where it takes place (ckg:basedIn)."),
    ("Event", "exhibitors", (("exhibitedAt", Direction.INCOMING),), "Organization", False,
     "Organizations that exhibited (inverse of ckg:exhibitedAt)."),
    ("Event", "speakers", (("spokeAt", Direction.INCOMING),), "Person", False,
     "People who spoke (inverse of ckg:spokeAt)."),
    ("Quote", "speaker", (("speaker", Direction.OUTGOING),), "Person", True, "Who said it (ckg:speaker)."),
)
_LEGACY_TEXTS = (
    ("Person", Text("jobTitle", str(SCHEMA.jobTitle), "Job title (schema:jobTitle) in `lang`, else English.")),
    ("Article", Text("title", "http://purl.org/dc/terms/title", "The headline (dcterms:title), in `lang`, else "
                                                                  "the article's language.")),
    ("Article", Text("language", "http://purl.org/dc/terms/language", "The article's language (dcterms:language).",
                     lang_argument=False)),
)


def _keep_legacy_fields(classes: dict[str, ClassSpec]) -> None:
    for cls, name, steps, target, single, note in _LEGACY:
        spec = classes.get(CKG_NS + cls)
        if spec is None or any(CKG_NS + p not in _known_properties(classes) for p, _ in steps):
            continue  # the ontology dropped the class or a property: the old field goes with it
        target_iri = CKG_NS + target if target and CKG_NS + target in classes else None
        spec.links[name] = Link(name=name, steps=tuple((CKG_NS + p, d) for p, d in steps), target=target_iri,
                                description=note, single=single, generated=False)
    for cls, text in _LEGACY_TEXTS:
        spec = classes.get(CKG_NS + cls)
        if spec is not None:
            spec.texts.setdefault(text.name, text)


def _known_properties(classes: dict[str, ClassSpec]) -> set[str]:
    return {p for spec in classes.values() for link in spec.links.values() for p, _ in link.steps}


__all__ = ["ClassSpec", "Link", "OntologyModel", "Text", "build", "local", "read"]
