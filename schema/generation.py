"""GraphQL types generated from the ontology at ``build_schema()``.

One type per ``owl:Class`` (an interface when it has subclasses, see ``classes.py``),
a field per object property on both ends, a ``…Connection`` twin of each (paged, with
``totalCount``), a field per datatype property, and a paged typed list per class on
``Query``. Descriptions are the ontology's ``rdfs:comment``. Resolvers are plain
functions (``plain.py``); relationship fields go through the per-request DataLoaders,
so a page of fifty companies with their products costs a few batched graph calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from graphql import GraphQLResolveInfo
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.fields.resolver import StrawberryResolver

from ..graph import model
from ..graph.model import Direction, iri_of, pick_lang
from .arguments import After, EntityId, First, Lang
from .articles import article_fields
from .classes import CKG_NS, ClassSpec, Link, OntologyModel, Text
from .entities import Entity, Resource, Role, Views
from .filters import EntityOrder, EntityWhere, order_key, ordered, select
from .pagination import Connection, Edge, paginate
from .plain import PLAIN, install, replaced, views_of
from .query import Query as QueryBase
from .query import class_page

_TARGET = "chipkg.target"  # metadata: (kind, class IRI or None), the field's type set once all types exist

Where = Annotated[EntityWhere | None, strawberry.argument(description="Keep only the entities that match.")]
OrderBy = Annotated[EntityOrder | None, strawberry.argument(description="Sort order; fact order if omitted.")]


def _list_template(self: Any, where: Where = None, order_by: OrderBy = None) -> list[Entity]:
    return replaced()


def _single_template(self: Any) -> Entity | None:
    return replaced()


def _connection_template(self: Any, where: Where = None, order_by: OrderBy = None, first: First = 20,
                         after: After = None) -> Connection[Entity]:
    return replaced()


def _text_template(self: Any, lang: Lang) -> str | None:
    return replaced()


def _plain_text_template(self: Any) -> str | None:
    return replaced()


@dataclass(frozen=True)
class _Templates:
    """One strawberry resolver per template signature, shared by every field built on it:
    strawberry works out a resolver's arguments once per resolver object, and a schema
    has a hundred generated fields."""

    list: StrawberryResolver[Any]
    single: StrawberryResolver[Any]
    connection: StrawberryResolver[Any]
    text: StrawberryResolver[Any]
    plain_text: StrawberryResolver[Any]

    @classmethod
    def build(cls) -> _Templates:
        return cls(*(StrawberryResolver(f) for f in (_list_template, _single_template, _connection_template,
                                                      _text_template, _plain_text_template)))


async def related(info: Any, iri: str, steps: tuple[tuple[str, Direction], ...]) -> list[model.Entity]:
    """The entities at the other end of the facts ``steps`` name, in fact order, once each."""
    loaded = await info.context.relations.load_many([(iri, (p,), d) for p, d in steps])
    others = dict.fromkeys(r.object if r.direction == Direction.OUTGOING else r.subject
                           for relations in loaded for r in relations)
    found = await info.context.entities.load_many(list(others))
    return [e for e in found if e is not None]


def _link_resolvers(link: Link) -> tuple[Callable[..., Any], Callable[..., Any]]:
    steps = link.steps

    async def items(source: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                    orderBy: str | None = None) -> Any:
        found = ordered(await select(info, await related(info, source._entity.iri, steps), where), orderBy)
        info.context.budget.spend(len(found))
        views = views_of(info)
        if link.single:
            return views.view(found[0]) if found else None
        return [views.view(e) for e in found]

    async def connection(source: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                         orderBy: str | None = None, first: int | None = 20, after: str | None = None) -> Any:
        found = await select(info, await related(info, source._entity.iri, steps), where)
        key, descending = order_key(orderBy)
        page, page_info, total = paginate(sorted(found, key=key, reverse=descending), key, first, after, descending)
        info.context.budget.spend(len(page))
        views = views_of(info)
        return Connection(edges=[Edge(cursor=c, node=views.view(e)) for c, e in page], page_info=page_info,
                          total_count=total)

    return items, connection


def _text_resolver(text: Text) -> Callable[..., Any]:
    predicate = text.predicate

    def resolve(source: Any, info: GraphQLResolveInfo, lang: str | None = None) -> str | None:
        return pick_lang(source._entity.attributes.get(predicate, ()), lang if text.lang_argument else None)

    return resolve


def _link_fields(link: Link, templates: _Templates) -> dict[str, Any]:
    items, connection = _link_resolvers(link)
    kind = "single" if link.single else "list"
    fields: dict[str, Any] = {link.name: strawberry.field(
        resolver=templates.single if link.single else templates.list, name=link.name,
        description=link.description, metadata={PLAIN: items, _TARGET: (kind, link.target)})}
    if link.generated:
        name = link.name + "Connection"
        fields[name] = strawberry.field(
            resolver=templates.connection, name=name, description=f"`{link.name}`, paged, with `totalCount`.",
            metadata={PLAIN: connection, _TARGET: ("connection", link.target)})
    return fields


def _roles_resolver() -> Callable[..., Any]:
    async def roles(source: Any, info: GraphQLResolveInfo) -> list[Role]:
        views = views_of(info)
        found = []
        for predicate in ("ceoOf", "founderOf", "leaderOf", "memberOf"):
            for org in await related(info, source._entity.iri, ((CKG_NS + predicate, Direction.OUTGOING),)):
                found.append(Role(predicate=predicate, organization=views.view(org)))
        info.context.budget.spend(len(found))
        return found

    return roles


def _extra_fields(spec: ClassSpec) -> dict[str, Any]:
    """Fields chipkg keeps for some classes beside what the ontology says, by class name."""
    if spec.name == "Person":
        @strawberry.field(description="Positions held: CEO of, founder of, leader of, member of.",
                          metadata={PLAIN: _roles_resolver()})
        def roles(self: Any) -> list[Role]:
            return replaced()
        return {"roles": roles}
    if spec.name == "Quote":
        def quote_lang(source: Any, info: GraphQLResolveInfo) -> str | None:
            values = source._entity.attributes.get(spec.iri.rsplit("#", 1)[0] + "#text", ())
            return values[0].lang if values else None

        @strawberry.field(description="Language of the quoted words.", metadata={PLAIN: quote_lang})
        def lang(self: Any) -> str | None:
            return replaced()
        return {"lang": lang}
    if spec.name == "Article":
        return article_fields()
    return {}


def _class_fields(spec: ClassSpec, templates: _Templates) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for text in spec.texts.values():
        fields[text.name] = strawberry.field(
            resolver=templates.text if text.lang_argument else templates.plain_text, name=text.name,
            description=text.description, metadata={PLAIN: _text_resolver(text)})
    for link in spec.links.values():
        fields.update(_link_fields(link, templates))
    fields.update(_extra_fields(spec))
    return fields


@dataclass
class Generated:
    query: type
    types: list[type]
    views: Views

    def attach(self, schema: strawberry.Schema) -> None:
        """Give the built schema its ``Views`` and put the plain resolvers in place."""
        schema.views = self.views  # type: ignore[attr-defined]
        install(schema._schema)


def _resolve_targets(classes: list[type], by_iri: dict[str, type]) -> None:
    """Give each relationship field its concrete type, now that every type exists."""
    for cls in classes:
        for definition in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            target = definition.metadata.get(_TARGET)
            if target is None:
                continue
            kind, iri = target
            item = by_iri[iri] if iri is not None else Entity
            annotation = {"list": list[item], "single": item | None,  # type: ignore[valid-type]
                          "connection": Connection[item]}[kind]  # type: ignore[valid-type]
            definition.type_annotation = StrawberryAnnotation(annotation)


def _class_list(spec: ClassSpec, item: type, templates: _Templates) -> Any:
    async def resolve(source: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                      orderBy: str | None = None, first: int | None = 20, after: str | None = None) -> Any:
        return await class_page(info, spec.iri, where, orderBy, first, after)

    field: Any = strawberry.field(resolver=templates.connection, name=spec.plural,
                             description=f"Instances of ckg:{spec.name} and its subclasses, paged: {spec.comment}",
                             metadata={PLAIN: resolve})
    field.type_annotation = StrawberryAnnotation(Connection[item])  # type: ignore[valid-type]
    return field


def _article_lookup(spec: ClassSpec, item: type) -> Any:
    async def resolve(source: Any, info: GraphQLResolveInfo, id: str) -> Any:
        found = await info.context.entities.load(iri_of(id))
        if found is None or not any(t in views_of(info).ontology.descendants(spec.iri) for t in found.types):
            return None
        return views_of(info).view(found)

    def template(self: Any, id: EntityId) -> Entity | None:
        return replaced()

    field: Any = strawberry.field(resolver=template, name="article",
                             description="One article by id (`h20-article`); null if there is no such article.",
                             metadata={PLAIN: resolve})
    field.type_annotation = StrawberryAnnotation(item | None)
    return field


def generate(ontology: OntologyModel) -> Generated:
    """The generated types, the ``Query`` root with a typed list per class, and the ``Views``."""
    templates = _Templates.build()
    interfaces: dict[str, type] = {}
    objects: dict[str, type] = {}
    for spec in ontology.ordered():
        bases = tuple(interfaces[p] for p in spec.parents) or (Entity,)
        namespace: dict[str, Any] = {"__annotations__": {}, **_class_fields(spec, templates)}
        if spec.is_interface:
            interfaces[spec.iri] = strawberry.interface(type(spec.name, bases, namespace), description=spec.comment)
            objects[spec.iri] = strawberry.type(
                type(spec.object_name, (interfaces[spec.iri],), {"__annotations__": {}}),
                description=f"A ckg:{spec.name} of no more specific class. {spec.comment}")
        else:
            objects[spec.iri] = strawberry.type(type(spec.name, bases, namespace), description=spec.comment)
    by_iri = {**objects, **interfaces}
    generated = [*interfaces.values(), *objects.values()]
    _resolve_targets(generated, by_iri)
    roots: dict[str, Any] = {"__annotations__": {}}
    taken = {f.python_name for f in QueryBase.__strawberry_definition__.fields}  # type: ignore[attr-defined]
    for spec in ontology.ordered():
        if spec.plural in taken:
            raise ValueError(f"the list of ckg:{spec.name} would be Query.{spec.plural}, which chipkg already has; "
                             "rename the class in the ontology")
        roots[spec.plural] = _class_list(spec, by_iri[spec.iri], templates)
        if spec.name == "Article":
            roots["article"] = _article_lookup(spec, by_iri[spec.iri])
    query = strawberry.type(type("Query", (QueryBase,), roots), name="Query",
                            description="Questions about AI-chip companies, chips, regulators, policies and people.")
    views = Views(ontology, objects)
    return Generated(query=query, types=[*generated, Resource], views=views)


__all__ = ["Generated", "generate", "related"]
