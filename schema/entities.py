"""GraphQL types for entities: the ``Entity`` interface and one type per ontology class.

Each type is a thin view over a ``graph.model.Entity``; typed fields such as
``Chip.maker`` are relations followed through the per-request DataLoaders, so a list of
fifty companies with their products costs a few batched graph calls, not fifty.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from ..graph import model
from ..graph.model import Direction as Dir
from ..graph.model import pick_lang
from ..graph.vocab import CKG, RDFS, SCHEMA
from .arguments import After, First, Lang, Predicates
from .pagination import Connection, Edge, paginate
from .relations import Direction, Relation, relation_key

CKG_NS = str(CKG._NS)
_COMMENT = str(RDFS.comment)


@strawberry.type(description="A string with its language tag.")
class LangString:
    value: str = strawberry.field(description="The text.")
    lang: str | None = strawberry.field(description="BCP 47 language tag, e.g. `en` or `ja`; null if untagged.")


def _lang_strings(values: tuple[model.LangString, ...]) -> list[LangString]:
    return [LangString(value=v.value, lang=v.lang) for v in values]


@strawberry.interface(description="Anything the graph knows about: a company, chip, regulator, policy, person …")
class Entity:
    _entity: strawberry.Private[model.Entity]

    @strawberry.field(description="The resource slug, e.g. `nvidia`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._entity.id)

    @strawberry.field(description="The full resource IRI.")
    def iri(self) -> str:
        return self._entity.iri

    @strawberry.field(description="The label in `lang`, else English, else any label.")
    def label(self, lang: Lang = "en") -> str | None:
        return self._entity.label(lang)

    @strawberry.field(description="Every label, in every language.")
    def labels(self) -> list[LangString]:
        return _lang_strings(self._entity.labels)

    @strawberry.field(description="Aliases and former names (skos:altLabel).")
    def aliases(self) -> list[LangString]:
        return _lang_strings(self._entity.alt_labels)

    @strawberry.field(description="Local names of the entity's ontology classes, e.g. `Company`.")
    def types(self) -> list[str]:
        return [t.removeprefix(CKG_NS) for t in self._entity.types if t.startswith(CKG_NS)]

    @strawberry.field(description="What the article says this entity is (rdfs:comment), in `lang` if available.")
    def description(self, lang: Lang = "en") -> str | None:
        return pick_lang(self._entity.attributes.get(_COMMENT, ()), lang)

    @strawberry.field(description="Facts linking this entity to others, with evidence; filter by predicate "
                                  "local names and direction; paged.")
    async def relations(self, info: strawberry.Info, predicate: Predicates = None,
                        direction: Annotated[Direction, strawberry.argument(
                            description="OUTGOING, INCOMING or BOTH, seen from this entity.")] = Direction.BOTH,
                        first: First = 20, after: After = None) -> Connection[Relation]:
        predicates = tuple(info.context.kg.predicate_iri(p) for p in predicate) if predicate else None
        found = await info.context.relations.load((self._entity.iri, predicates, direction.plain()))
        page, page_info, total = paginate(found, relation_key, first, after)
        info.context.budget.spend(len(page))
        return Connection(edges=[Edge(cursor=c, node=Relation(_relation=r)) for c, r in page],
                          page_info=page_info, total_count=total)

    async def _related(self, info: strawberry.Info, predicate: str, direction: Dir) -> list[Entity]:
        relations = await info.context.relations.load((self._entity.iri, (CKG_NS + predicate,), direction))
        others = [r.object if r.direction == Dir.OUTGOING else r.subject for r in relations]
        found = await info.context.entities.load_many(others)
        info.context.budget.spend(len(found))
        return [as_graphql(e) for e in found if e is not None]

    def _text(self, predicate: str, lang: str | None) -> str | None:
        return pick_lang(self._entity.attributes.get(predicate, ()), lang)


@strawberry.type(description="An organization: an association, school, ministry or other body.")
class Organization(Entity):
    @strawberry.field(description="Where it is based (ckg:basedIn).")
    async def based_in(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "basedIn", Dir.OUTGOING)

    @strawberry.field(description="Larger organizations it is part of (ckg:partOf).")
    async def part_of(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "partOf", Dir.OUTGOING)

    @strawberry.field(description="Its units (inverse of ckg:partOf).")
    async def units(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "partOf", Dir.INCOMING)

    @strawberry.field(description="People who hold a position in it (ckg:memberOf, ckg:leaderOf, ckg:ceoOf, "
                                  "ckg:founderOf, inverted).")
    async def people(self, info: strawberry.Info) -> list[Entity]:
        found: list[Entity] = []
        for predicate in ("ceoOf", "founderOf", "leaderOf", "memberOf"):
            found += await self._related(info, predicate, Dir.INCOMING)
        return found

    @strawberry.field(description="Products it makes (ckg:makes).")
    async def products(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "makes", Dir.OUTGOING)

    @strawberry.field(description="Organizations it competes with (ckg:competesWith, either direction).")
    async def competitors(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "competesWith", Dir.BOTH)

    @strawberry.field(description="Events it exhibited at (ckg:exhibitedAt).")
    async def exhibited_at(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "exhibitedAt", Dir.OUTGOING)

    @strawberry.field(description="Regulators that summoned it (inverse of ckg:summoned).")
    async def summoned_by(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "summoned", Dir.INCOMING)

    @strawberry.field(description="Policies that apply to it (inverse of ckg:appliesTo).")
    async def policies(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "appliesTo", Dir.INCOMING)


@strawberry.type(description="A business: a chipmaker, an AI developer, a platform, a start-up.")
class Company(Organization):
    @strawberry.field(description="Its chief executives (inverse of ckg:ceoOf).")
    async def ceo(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "ceoOf", Dir.INCOMING)


@strawberry.type(description="A government, administration or agency that makes or enforces binding rules.")
class Regulator(Organization):
    @strawberry.field(description="Countries whose rules it makes (ckg:jurisdiction).")
    async def jurisdiction(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "jurisdiction", Dir.OUTGOING)

    @strawberry.field(description="Organizations it summoned (ckg:summoned).")
    async def summoned(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "summoned", Dir.OUTGOING)

    @strawberry.field(description="Policies it issued (inverse of ckg:issuedBy).")
    async def issued(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "issuedBy", Dir.INCOMING)


@strawberry.type(description="Something an organization makes and offers.")
class Product(Entity):
    @strawberry.field(description="The first organization that makes it (inverse of ckg:makes).")
    async def maker(self, info: strawberry.Info) -> Entity | None:
        makers = await self._related(info, "makes", Dir.INCOMING)
        return makers[0] if makers else None

    @strawberry.field(description="Every organization that makes it.")
    async def makers(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "makes", Dir.INCOMING)

    @strawberry.field(description="Policies that apply to it (inverse of ckg:appliesTo).")
    async def policies(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "appliesTo", Dir.INCOMING)


@strawberry.type(description="A semiconductor product, such as an AI accelerator.")
class Chip(Product):
    pass


@strawberry.type(description="A decision, rule, strategy or programme issued by a regulator.")
class Policy(Entity):
    @strawberry.field(description="Regulators that issued it (ckg:issuedBy).")
    async def issued_by(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "issuedBy", Dir.OUTGOING)

    @strawberry.field(description="Organizations and products it governs (ckg:appliesTo).")
    async def applies_to(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "appliesTo", Dir.OUTGOING)

    @strawberry.field(description="Countries it is aimed at (ckg:targets).")
    async def targets(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "targets", Dir.OUTGOING)

    @strawberry.field(description="Earlier policies it breaks with (ckg:departsFrom).")
    async def departs_from(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "departsFrom", Dir.OUTGOING)


@strawberry.type(description="A position a person holds in an organization.")
class Role:
    predicate: str = strawberry.field(description="`ceoOf`, `founderOf`, `leaderOf` or `memberOf`.")
    organization: Entity = strawberry.field(description="Where the person holds it.")


@strawberry.type(description="A named individual: an executive, an official, an analyst.")
class Person(Entity):
    @strawberry.field(description="Job title (schema:jobTitle) in `lang`, else English.")
    def job_title(self, lang: Lang = "en") -> str | None:
        return self._text(str(SCHEMA.jobTitle), lang)

    @strawberry.field(description="Positions held: CEO of, founder of, leader of, member of.")
    async def roles(self, info: strawberry.Info) -> list[Role]:
        roles = []
        for predicate in ("ceoOf", "founderOf", "leaderOf", "memberOf"):
            for org in await self._related(info, predicate, Dir.OUTGOING):
                roles.append(Role(predicate=predicate, organization=org))
        return roles

    @strawberry.field(description="Quotes the person said (inverse of ckg:speaker).")
    async def quotes(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "speaker", Dir.INCOMING)


@strawberry.type(description="A geographic place: a country or a city.")
class Place(Entity):
    @strawberry.field(description="Larger places it lies in (ckg:locatedIn).")
    async def located_in(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "locatedIn", Dir.OUTGOING)

    @strawberry.field(description="Organizations and events based here (inverse of ckg:basedIn).")
    async def based_here(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "basedIn", Dir.INCOMING)


@strawberry.type(description="Something that happens at a place and time, such as a conference.")
class Event(Entity):
    @strawberry.field(description="Where it takes place (ckg:basedIn).")
    async def location(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "basedIn", Dir.OUTGOING)

    @strawberry.field(description="Organizations that exhibited (inverse of ckg:exhibitedAt).")
    async def exhibitors(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "exhibitedAt", Dir.INCOMING)

    @strawberry.field(description="People who spoke (inverse of ckg:spokeAt).")
    async def speakers(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "spokeAt", Dir.INCOMING)


@strawberry.type(description="Words a person said, verbatim from the source.")
class Quote(Entity):
    @strawberry.field(description="The quoted words, verbatim, in the source's language.")
    def text(self) -> str | None:
        return self._text(str(CKG.text), None)

    @strawberry.field(description="Language of the quoted words.")
    def lang(self) -> str | None:
        values = self._entity.attributes.get(str(CKG.text), ())
        return values[0].lang if values else None

    @strawberry.field(description="Who said it (ckg:speaker).")
    async def speaker(self, info: strawberry.Info) -> Entity | None:
        speakers = await self._related(info, "speaker", Dir.OUTGOING)
        return speakers[0] if speakers else None

    @strawberry.field(description="What it is about (ckg:about).")
    async def about(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "about", Dir.OUTGOING)

    @strawberry.field(description="Whose account it is reported from (ckg:reportedBy).")
    async def reported_by(self, info: strawberry.Info) -> list[Entity]:
        return await self._related(info, "reportedBy", Dir.OUTGOING)


@strawberry.type(description="A news article that facts are taken from.")
class Article(Entity):
    @strawberry.field(description="The headline (dcterms:title), in the article's language.")
    def title(self) -> str | None:
        return self._text("http://purl.org/dc/terms/title", None)

    @strawberry.field(description="The article's language (dcterms:language).")
    def language(self) -> str | None:
        return self._text("http://purl.org/dc/terms/language", None)

    @strawberry.field(description="File name of the text shipped with chipkg (ckg:sourceFile).")
    def source_file(self) -> str | None:
        return self._text(str(CKG.sourceFile), None)


@strawberry.type(description="A resource with no chipkg class (shown when a fact points at one).")
class Resource(Entity):
    pass


# Most specific first: an entity typed Company is shown as a Company, not an Organization.
_TYPES: tuple[tuple[str, type[Entity]], ...] = (
    ("Company", Company), ("Regulator", Regulator), ("Chip", Chip), ("Organization", Organization),
    ("Product", Product), ("Policy", Policy), ("Person", Person), ("Country", Place), ("City", Place),
    ("Place", Place), ("Event", Event), ("Quote", Quote), ("Article", Article),
)
ENTITY_TYPES = (Company, Regulator, Chip, Organization, Product, Policy, Person, Place, Event, Quote,
                Article, Resource)


def as_graphql(entity: model.Entity) -> Entity:
    """The GraphQL view of an entity, by its most specific class."""
    for name, cls in _TYPES:
        if CKG_NS + name in entity.types:
            return cls(_entity=entity)
    return Resource(_entity=entity)


__all__ = ["ENTITY_TYPES", "Article", "Chip", "Company", "Entity", "Event", "LangString", "Organization",
           "Person", "Place", "Policy", "Product", "Quote", "Regulator", "Resource", "Role", "as_graphql"]
