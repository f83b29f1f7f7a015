"""The ``Entity`` interface every generated type implements, and how an entity gets its type.

The concrete types (``Company``, ``Chip`` …) are generated from the ontology at
``build_schema()`` (``generation.py``); ``Views`` maps a graph entity to the generated
type of its most specific class. Fields here are resolved by plain graphql-core
resolvers (``plain.py``): strawberry's per-field wrapper costs as much as the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLResolveInfo

from ..graph import model
from ..graph.model import pick_lang
from ..graph.vocab import CKG, RDFS
from .arguments import After, First, Lang, Predicates
from .pagination import Connection
from .plain import PLAIN, enum_value, replaced, views_of
from .relations import Direction, Relation, relation_page

if TYPE_CHECKING:
    from .classes import OntologyModel

CKG_NS = str(CKG._NS)
_COMMENT = str(RDFS.comment)


@strawberry.type(description="A string with its language tag.")
class LangString:
    value: str = strawberry.field(description="The text.")
    lang: str | None = strawberry.field(description="BCP 47 language tag, e.g. `en` or `ja`; null if untagged.")


def lang_strings(values: tuple[model.LangString, ...]) -> list[LangString]:
    return [LangString(value=v.value, lang=v.lang) for v in values]


def _id(source: Any, info: GraphQLResolveInfo) -> str:
    return source._entity.id


def _iri(source: Any, info: GraphQLResolveInfo) -> str:
    return source._entity.iri


def _label(source: Any, info: GraphQLResolveInfo, lang: str | None = None) -> str | None:
    return source._entity.label(lang)


def _labels(source: Any, info: GraphQLResolveInfo) -> list[LangString]:
    return lang_strings(source._entity.labels)


def _aliases(source: Any, info: GraphQLResolveInfo) -> list[LangString]:
    return lang_strings(source._entity.alt_labels)


def _types(source: Any, info: GraphQLResolveInfo) -> list[str]:
    return [t.removeprefix(CKG_NS) for t in source._entity.types if t.startswith(CKG_NS)]


def _description(source: Any, info: GraphQLResolveInfo, lang: str | None = None) -> str | None:
    return pick_lang(source._entity.attributes.get(_COMMENT, ()), lang)


def _relations(source: Any, info: GraphQLResolveInfo, predicate: list[str] | None = None,
               direction: Any = "BOTH", first: int | None = 20, after: str | None = None) -> Any:
    return relation_page(info, source._entity.iri, predicate, model.Direction(enum_value(direction)), first, after)


@strawberry.interface(description="Anything the graph knows about: a company, chip, regulator, policy, person …")
class Entity:
    _entity: strawberry.Private[model.Entity]

    @strawberry.field(description="The resource slug, e.g. `nvidia`.", metadata={PLAIN: _id})
    def id(self) -> strawberry.ID:
        return replaced()

    @strawberry.field(description="The full resource IRI.", metadata={PLAIN: _iri})
    def iri(self) -> str:
        return replaced()

    @strawberry.field(description="The label in `lang`, else English, else any label.", metadata={PLAIN: _label})
    def label(self, lang: Lang) -> str | None:
        return replaced()

    @strawberry.field(description="Every label, in every language.", metadata={PLAIN: _labels})
    def labels(self) -> list[LangString]:
        return replaced()

    @strawberry.field(description="Aliases and former names (skos:altLabel).", metadata={PLAIN: _aliases})
    def aliases(self) -> list[LangString]:
        return replaced()

    @strawberry.field(description="Local names of the entity's ontology classes, e.g. `Company`.",
                      metadata={PLAIN: _types})
    def types(self) -> list[str]:
        return replaced()

    @strawberry.field(description="What the article says this entity is (rdfs:comment), in `lang` if available.",
                      metadata={PLAIN: _description})
    def description(self, lang: Lang) -> str | None:
        return replaced()

    @strawberry.field(description="Facts linking this entity to others, with evidence; filter by predicate "
                                  "local names and direction; paged.", metadata={PLAIN: _relations})
    def relations(self, predicate: Predicates = None,
                  direction: Annotated[Direction, strawberry.argument(
                      description="OUTGOING, INCOMING or BOTH, seen from this entity.")] = Direction.BOTH,
                  first: First = 20, after: After = None) -> Connection[Relation]:
        return replaced()


@strawberry.type(description="A position a person holds in an organization.")
class Role:
    predicate: str = strawberry.field(description="`ceoOf`, `founderOf`, `leaderOf` or `memberOf`.")
    organization: Entity = strawberry.field(description="Where the person holds it.")


@strawberry.type(description="A resource with no chipkg class (shown when a fact points at one).")
class Resource(Entity):
    pass


class Views:
    """Graph entities as instances of the generated GraphQL types, by most specific class.

    One per schema; remembers the type chosen for each combination of classes seen."""

    def __init__(self, ontology: OntologyModel, types: dict[str, type[Entity]]) -> None:
        self.ontology = ontology
        self.types = types  # class IRI -> generated object type for that class's own instances
        self._chosen: dict[tuple[str, ...], type[Entity]] = {}

    def view(self, entity: model.Entity) -> Entity:
        cls = self._chosen.get(entity.types)
        if cls is None:
            spec = self.ontology.most_specific(entity.types)
            cls = self.types[spec.iri] if spec is not None else Resource
            self._chosen[entity.types] = cls
        return cls(_entity=entity)

    def view_or_resource(self, iri: str, entity: model.Entity | None) -> Entity:
        """The entity, or a bare resource for an IRI a fact points at that has no class."""
        return self.view(entity if entity is not None else model.Entity(iri=iri, types=(), labels=()))


def as_graphql(info: Any, entity: model.Entity) -> Entity:
    """The GraphQL view of an entity, by its most specific class."""
    return views_of(info).view(entity)


__all__ = ["Entity", "LangString", "Resource", "Role", "Views", "as_graphql", "lang_strings", "views_of"]
