"""GraphQL types that describe the ontology and the graph's size."""

from __future__ import annotations

import strawberry

from ..graph import model
from ..graph.model import pick_lang
from ..graph.vocab import compact
from .arguments import Lang
from .entities import LangString


@strawberry.type(description="A class or property of the chipkg ontology.")
class OntologyTerm:
    _term: strawberry.Private[model.OntologyTerm]

    @strawberry.field(description="Full IRI.")
    def iri(self) -> str:
        return self._term.iri

    @strawberry.field(description="Local name, e.g. `Company` or `makes`.")
    def name(self) -> str:
        return self._term.iri.rsplit("#", 1)[-1]

    @strawberry.field(description="`class`, `object property` or `datatype property`.")
    def kind(self) -> str:
        return self._term.kind

    @strawberry.field(description="Label in `lang`, else English.")
    def label(self, lang: Lang = "en") -> str | None:
        return pick_lang(self._term.labels, lang)

    @strawberry.field(description="Every label.")
    def labels(self) -> list[LangString]:
        return [LangString(value=v.value, lang=v.lang) for v in self._term.labels]

    @strawberry.field(description="What the term means (rdfs:comment).")
    def comment(self) -> str | None:
        return self._term.comment

    @strawberry.field(description="Superclasses, as compact names (`ckg:Organization`).")
    def super_classes(self) -> list[str]:
        return [compact(p) for p in self._term.parents]

    @strawberry.field(description="Domain classes of a property (a union is listed member by member).")
    def domain(self) -> list[str]:
        return [compact(c) for c in self._term.domain]

    @strawberry.field(description="Range classes or datatypes of a property.")
    def range(self) -> list[str]:
        return [compact(c) for c in self._term.range]

    @strawberry.field(description="The inverse property, if the ontology names one.")
    def inverse(self) -> str | None:
        return compact(self._term.inverse) if self._term.inverse else None

    @strawberry.field(description="True for symmetric properties such as `competesWith`.")
    def symmetric(self) -> bool:
        return self._term.symmetric


@strawberry.type(description="The chipkg ontology: its classes and properties.")
class Ontology:
    iri: str = strawberry.field(description="The ontology IRI.")
    classes: list[OntologyTerm] = strawberry.field(description="Every class.")
    properties: list[OntologyTerm] = strawberry.field(description="Every object and datatype property.")


@strawberry.type(description="A count for one class or predicate.")
class Count:
    key: str = strawberry.field(description="Compact name, e.g. `ckg:Company`.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="The size of the graph.")
class Stats:
    triples: int = strawberry.field(description="Triples in the store, ontology included.")
    entities: int = strawberry.field(description="Resources typed with a chipkg class.")
    statements: int = strawberry.field(description="Reified statements carrying evidence.")
    by_class: list[Count] = strawberry.field(description="Entities per class (direct type).")
    by_predicate: list[Count] = strawberry.field(description="Triples per predicate.")
    version: int = strawberry.field(description="Bumped by every write since the service started.")


def ontology_of(terms: list[model.OntologyTerm], iri: str) -> Ontology:
    return Ontology(iri=iri, classes=[OntologyTerm(_term=t) for t in terms if t.kind == "class"],
                    properties=[OntologyTerm(_term=t) for t in terms if t.kind != "class"])


__all__ = ["Count", "Ontology", "OntologyTerm", "Stats", "ontology_of"]
