"""The RDF endpoints: ``/export``, ``/ontology`` and dereferenceable ``/resource/{id}``.

A resource IRI ``https://w3id.org/chipkg/resource/nvidia`` is served at
``/resource/nvidia``: run the service at that base and the IRIs in every export
dereference, the reified statements' IRIs included. Each endpoint picks its format from
``?format=`` if given, else from ``Accept`` (with q-values), and says ``Vary: Accept`` so
caches keep the variants apart. ``/resource`` and ``/ontology`` also have an HTML page for
browsers. Reading and serialising run in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..graph import Entity, InvalidInput, KnowledgeGraph, NotFound, Relation
from ..graph.articles import Paragraph, Statement, article_text, read_statement, split_sentences, statements_from
from ..graph.export import media_type, serialize
from ..graph.model import iri_of
from ..graph.vocab import CKG
from .article_page import render_statement
from .negotiation import choose
from .ontology_page import render_ontology
from .resource_page import ALTERNATES, render_resource
from .state import blocking, graph

HTML = "text/html"
# Offers in order of preference: the first is sent to a client that accepts anything.
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "trig", "rdfxml")
ONTOLOGY_FORMATS = ("turtle", "jsonld", "nt", "rdfxml", "html")
RESOURCE_FORMATS = ("turtle", "jsonld", "nt", "rdfxml", "html")
FORMAT_ALIASES = {"ttl": "turtle", "ntriples": "nt", "json-ld": "jsonld", "xml": "rdfxml", "rdf+xml": "rdfxml"}
VARY = {"Vary": "Accept"}


def _media(fmt: str) -> str:
    return HTML if fmt == "html" else media_type(fmt)


def pick_format(request: Request, formats: Sequence[str]) -> str:
    """``?format=`` when present (400 if it is not one of ``formats``), else the best
    match for ``Accept`` (406 if none)."""
    asked = request.query_params.get("format")
    if asked is not None:
        fmt = FORMAT_ALIASES.get(asked.lower(), asked.lower())
        if fmt not in formats:
            raise InvalidInput(f"unknown format {asked!r}: use {', '.join(formats)}")
        return fmt
    by_media = {_media(f): f for f in formats}
    return by_media[choose(request.headers.get("accept"), list(by_media))]


def rdf_response(data: bytes, fmt: str) -> Response:
    return Response(data, media_type=_media(fmt), headers=VARY)


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be an integer, not {raw!r}") from None


def _flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "").lower() in ("1", "true", "yes")


async def export(request: Request) -> Response:
    """The whole graph, the ontology (``?ontology=1``) or a neighbourhood (``?entity=ID&depth=N``)."""
    kg = graph(request)
    fmt = pick_format(request, EXPORT_FORMATS)
    params = request.query_params
    entity, ontology = params.get("entity"), _flag(params, "ontology")
    if entity is not None and ontology:
        raise InvalidInput("ask for either entity= or ontology=1, not both")
    depth = _int_param(params, "depth", 1)
    data = await blocking(kg.export, fmt, entity=entity, depth=depth, ontology_only=ontology)
    return rdf_response(data, fmt)


async def ontology(request: Request) -> Response:
    """The ontology alone: classes and properties with their labels, comments, domains and
    ranges; a documentation page for a browser."""
    kg = graph(request)
    fmt = pick_format(request, ONTOLOGY_FORMATS)
    if fmt == "html":
        return HTMLResponse(render_ontology(await blocking(kg.ontology_terms)), headers=VARY)
    return rdf_response(await blocking(kg.export, fmt, ontology_only=True), fmt)


@dataclass(frozen=True)
class ResourceView:
    """Everything one resource page shows, read from the graph in one go."""

    entity: Entity
    relations: list[Relation]
    entities: dict[str, Entity]  # everything the page links to, by IRI
    names: dict[str, str]
    article: tuple[list[Paragraph], list[Statement]] | None = None


def _linked(kg: KnowledgeGraph, iris: set[str]) -> dict[str, Entity]:
    ordered = sorted(iris)
    return {iri: found for iri, found in zip(ordered, kg.entities(ordered), strict=True) if found is not None}


def _names(entities: Mapping[str, Entity]) -> dict[str, str]:
    return {iri: e.label("en") or e.id for iri, e in entities.items()}


def read_resource(kg: KnowledgeGraph, entity_id: str) -> ResourceView:
    """The entity, its relations with evidence, labels for everything they link to, and
    for an article whose text chipkg has, the text and the statements taken from it."""
    entity = kg.entity(entity_id)
    relations = kg.relations(entity.iri)
    linked = ({iri for r in relations for iri in (r.subject, r.object)}
              | {ev.source for r in relations for ev in r.evidence if ev.source})
    article = None
    if str(CKG.Article) in entity.types:
        text = article_text(entity)
        statements = statements_from(kg.store, entity.iri)
        linked |= {iri for st in statements for iri in (st.subject, st.object)}
        article = (split_sentences(text) if text else [], statements)
    entities = _linked(kg, linked)
    return ResourceView(entity, relations, entities, _names(entities), article)


def read_statement_view(kg: KnowledgeGraph, entity_id: str) -> tuple[Statement, dict[str, str]]:
    """A reified statement and labels for what it links to; ``NotFound`` if it is none."""
    statement = read_statement(kg.store, iri_of(entity_id))
    if statement is None:
        raise NotFound(f"no entity or statement with id {entity_id!r}")
    linked = {statement.subject, statement.object} | {ev.source for ev in statement.evidence if ev.source}
    return statement, _names(_linked(kg, linked))


def statement_triples(kg: KnowledgeGraph, statement: Statement) -> list[ox.Triple]:
    """The statement's own triples and the fact it describes (when that is asserted)."""
    node = ox.NamedNode(statement.iri)
    fact = ox.Triple(ox.NamedNode(statement.subject), ox.NamedNode(statement.predicate),
                     ox.NamedNode(statement.object))
    asserted = any(True for _ in kg.store.triples(fact.subject, fact.predicate, fact.object))
    return list(kg.store.triples(node, None, None)) + ([fact] if asserted else [])


def resource_rdf(kg: KnowledgeGraph, entity_id: str, fmt: str) -> bytes:
    """The entity's description, its facts, their statements and the articles they cite;
    or a statement's triples and its fact."""
    try:
        entity = kg.entity(entity_id)
    except NotFound:
        statement, _ = read_statement_view(kg, entity_id)
        return serialize(statement_triples(kg, statement), fmt)
    return serialize(kg.describe([entity.iri], kg.relations(entity.iri)), fmt)


def resource_html(kg: KnowledgeGraph, entity_id: str) -> str:
    try:
        view = read_resource(kg, entity_id)
    except NotFound:
        statement, names = read_statement_view(kg, entity_id)
        return render_statement(statement, names, [(fmt, label) for fmt, _, label in ALTERNATES])
    return render_resource(view.entity, view.relations, view.entities, view.names, article=view.article)


async def resource(request: Request) -> Response:
    """``/resource/{id}`` as Turtle, JSON-LD, N-Triples, RDF/XML or HTML, by ``Accept`` or ``?format=``."""
    kg = graph(request)
    fmt = pick_format(request, RESOURCE_FORMATS)
    entity_id = request.path_params["id"]
    if fmt == "html":
        return HTMLResponse(await blocking(resource_html, kg, entity_id), headers=VARY)
    return rdf_response(await blocking(resource_rdf, kg, entity_id, fmt), fmt)


ROUTES = [
    Route("/export", export, methods=["GET"]),
    Route("/ontology", ontology, methods=["GET"]),
    Route("/resource/{id}", resource, methods=["GET"]),
]

__all__ = ["ROUTES", "pick_format", "read_resource", "resource_html", "resource_rdf"]
