"""Turning what a user asks to add into triples with stable, readable IRIs.

Resources get kebab-case slugs from their English label (``Moonshot AI`` →
``ckr:moonshot-ai``); statements are named after the fact they describe
(``ckr:nvidia-makes-h20``), with ``-2``, ``-3`` … when a fact has more than one piece of
evidence. Never blank nodes: an id must survive export and re-import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pyoxigraph as ox

from .errors import InvalidInput
from .model import lang_literal, slug_of
from .vocab import CKG, PROV, RDF, RESOURCE_BASE

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """``"Z.ai (Zhipu AI)"`` → ``"z-ai-zhipu-ai"``; empty if nothing Latin survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def kebab(local_name: str) -> str:
    """``competesWith`` → ``competes-with``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", local_name).lower()


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise InvalidInput(f"invalid id {slug!r}: ids are kebab-case, like 'moonshot-ai'")
    return slug


def unused_iri(base_slug: str, exists: Callable[[str], bool]) -> str:
    """The first of ``base``, ``base-2``, ``base-3`` … that names nothing yet."""
    candidate, n = base_slug, 1
    while exists(RESOURCE_BASE + candidate):
        n += 1
        candidate = f"{base_slug}-{n}"
    return RESOURCE_BASE + candidate


def statement_slug(subject: str, predicate: str, obj: str) -> str:
    local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return f"{slugify(slug_of(subject))}-{kebab(local)}-{slugify(slug_of(obj))}"


def fact_triples(statement: str, subject: str, predicate: str, obj: str, *, evidence: str,
                 lang: str | None, paragraph: int | None, source: str) -> list[ox.Triple]:
    """The fact and its reified ``rdf:Statement`` with evidence and source."""
    s, p, o, st = ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(obj), ox.NamedNode(statement)
    triples = [
        ox.Triple(s, p, o),
        ox.Triple(st, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDF.Statement))),
        ox.Triple(st, ox.NamedNode(str(RDF.subject)), s),
        ox.Triple(st, ox.NamedNode(str(RDF.predicate)), p),
        ox.Triple(st, ox.NamedNode(str(RDF.object)), o),
        ox.Triple(st, ox.NamedNode(str(CKG.evidence)), lang_literal(evidence, lang)),
        ox.Triple(st, ox.NamedNode(str(PROV.wasDerivedFrom)), ox.NamedNode(source)),
    ]
    if paragraph is not None:
        triples.append(ox.Triple(st, ox.NamedNode(str(CKG.paragraph)),
                                 ox.Literal(str(paragraph), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    return triples


__all__ = ["check_slug", "fact_triples", "kebab", "slugify", "statement_slug", "unused_iri"]
