"""``where`` and ``orderBy`` for entity lists, in the shape users of Neo4j's GraphQL library
expect: ``companies(where: {label: {contains: "nv"}, relatedTo: "china"}, orderBy: LABEL_ASC)``.

Resolvers get these as graphql-core's raw values (``plain.py``): ``where`` as a dict keyed
by GraphQL field names, ``orderBy`` as the enum value's name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from enum import Enum
from typing import Any

import strawberry

from ..graph import model
from ..graph.model import Direction, iri_of
from .plain import enum_value, views_of


@strawberry.input(description="Conditions on a string; every one given must hold.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Equal to this.")
    contains: str | None = strawberry.field(
        default=None, description="Contains this, ignoring case and full/half width.")
    starts_with: str | None = strawberry.field(
        default=None, description="Starts with this, ignoring case and full/half width.")


@strawberry.input(description="Which entities to keep; every condition given must hold.")
class EntityWhere:
    id: strawberry.ID | None = strawberry.field(default=None, description="This entity (slug, `ckr:` name or IRI).")
    label: StringFilter | None = strawberry.field(
        default=None, description="Some label or alias (any language) matches.")
    type: str | None = strawberry.field(
        default=None, description="An instance of this class or a subclass (local name, e.g. `Company`).")
    related_to: strawberry.ID | None = strawberry.field(
        default=None, description="Linked by some fact, either way, to this entity (its id).")


@strawberry.enum(description="How to sort a list of entities.")
class EntityOrder(Enum):
    LABEL_ASC = strawberry.enum_value("LABEL_ASC", description="By English label (else any label), A to Z.")
    LABEL_DESC = strawberry.enum_value("LABEL_DESC", description="By English label (else any label), Z to A.")
    ID_ASC = strawberry.enum_value("ID_ASC", description="By IRI, A to Z (the default order).")
    ID_DESC = strawberry.enum_value("ID_DESC", description="By IRI, Z to A.")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _string_matches(values: list[str], condition: dict[str, Any]) -> bool:
    eq, contains, starts = condition.get("eq"), condition.get("contains"), condition.get("startsWith")
    folded = [_fold(v) for v in values]
    return ((eq is None or eq in values)
            and (contains is None or any(_fold(contains) in v for v in folded))
            and (starts is None or any(v.startswith(_fold(starts)) for v in folded)))


async def select(info: Any, entities: list[model.Entity], where: dict[str, Any] | None) -> list[model.Entity]:
    """The entities that meet every condition of ``where``."""
    if not where:
        return entities
    kept = entities
    if where.get("id") is not None:
        wanted = iri_of(where["id"])
        kept = [e for e in kept if e.iri == wanted]
    if where.get("label") is not None:
        condition = where["label"]
        kept = [e for e in kept if _string_matches([v.value for v in e.labels + e.alt_labels], condition)]
    if where.get("type") is not None:
        allowed = views_of(info).ontology.descendants(info.context.kg.class_iri(where["type"]))
        kept = [e for e in kept if any(t in allowed for t in e.types)]
    if where.get("relatedTo") is not None:
        other = iri_of(where["relatedTo"])
        facts = await info.context.relations.load((other, None, Direction.BOTH))
        linked = {iri for r in facts for iri in (r.subject, r.object)} - {other}
        kept = [e for e in kept if e.iri in linked]
    return kept


def _label_key(entity: model.Entity) -> str:
    return f"{_fold(entity.label('en') or '')}\x1f{entity.iri}"


def order_key(order: Any) -> tuple[Callable[[model.Entity], str], bool]:
    """The sort and cursor key for ``orderBy``, and whether it runs highest first."""
    order = enum_value(order)
    if order in ("LABEL_ASC", "LABEL_DESC"):
        return _label_key, order == "LABEL_DESC"
    return (lambda e: e.iri), order == "ID_DESC"


def ordered(entities: list[model.Entity], order: Any) -> list[model.Entity]:
    if order is None:
        return entities
    key, descending = order_key(order)
    return sorted(entities, key=key, reverse=descending)


__all__ = ["EntityOrder", "EntityWhere", "StringFilter", "order_key", "ordered", "select"]
