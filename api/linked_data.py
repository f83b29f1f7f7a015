"""The RDF endpoints: ``/export``, ``/ontology`` and dereferenceable ``/resource/{id}``.

A resource IRI ``https://w3id.org/chipkg/resource/nvidia`` is served at
``/resource/nvidia``: run the service at that base and the IRIs in every export
dereference. Each endpoint picks its format from ``?format=`` if given, else from
``Accept`` (with q-values), and says ``Vary: Accept`` so caches keep the variants apart.
Serialising runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..graph import Entity, InvalidInput, KnowledgeGraph, Relation
from ..graph.export import media_type, serialize
from .html import render_resource
from .negotiation import choose
from .state import blocking, graph

HTML = "text/html"
# Offers in order of preference: the first is sent to a client that accepts anything.
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "trig")
ONTOLOGY_FORMATS = ("turtle", "jsonld", "nt")
RESOURCE_FORMATS = ("turtle", "jsonld", "nt", "html")
VARY = {"Vary": "Accept"}


def _media(fmt: str) -> str:
    return HTML if fmt == "html" else media_type(fmt)


def pick_format(request: Request, formats: Sequence[str]) -> str:
    """``?format=`` when present (400 if it is not one of ``formats``), else the best
    match for ``Accept`` (406 if none)."""
    asked = request.query_params.get("format")
    if asked is not None:
        aliases = {"ttl": "turtle", "ntriples": "nt", "json-ld": "jsonld"}
        fmt = aliases.get(asked.lower(), asked.lower())
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
    """The ontology alone: classes and properties with their labels, comments, domains and ranges."""
    kg = graph(request)
    fmt = pick_format(request, ONTOLOGY_FORMATS)
    return rdf_response(await blocking(kg.export, fmt, ontology_only=True), fmt)


@dataclass(frozen=True)
class ResourceView:
    """Everything one resource page shows, read from the graph in one go."""

    entity: Entity
    relations: list[Relation]
    names: dict[str, str]


def read_resource(kg: KnowledgeGraph, entity_id: str) -> ResourceView:
    """The entity, its relations with evidence, and labels for everything they link to."""
    entity = kg.entity(entity_id)
    relations = kg.relations(entity.iri)
    linked = sorted({iri for r in relations for iri in (r.subject, r.object)}
                    | {ev.source for r in relations for ev in r.evidence if ev.source})
    names = {iri: found.label("en") or found.id
             for iri, found in zip(linked, kg.entities(linked)) if found is not None}
    return ResourceView(entity, relations, names)


def resource_rdf(kg: KnowledgeGraph, entity_id: str, fmt: str) -> bytes:
    """The entity's description, its facts, their statements and the articles they cite."""
    entity = kg.entity(entity_id)
    return serialize(kg.describe([entity.iri], kg.relations(entity.iri)), fmt)


async def resource(request: Request) -> Response:
    """``/resource/{id}`` as Turtle, JSON-LD, N-Triples or HTML, by ``Accept`` or ``?format=``."""
    kg = graph(request)
    fmt = pick_format(request, RESOURCE_FORMATS)
    entity_id = request.path_params["id"]
    if fmt == "html":
        view = await blocking(read_resource, kg, entity_id)
        return HTMLResponse(render_resource(view.entity, view.relations, view.names), headers=VARY)
    return rdf_response(await blocking(resource_rdf, kg, entity_id, fmt), fmt)


ROUTES = [
    Route("/export", export, methods=["GET"]),
    Route("/ontology", ontology, methods=["GET"]),
    Route("/resource/{id}", resource, methods=["GET"]),
]

__all__ = ["ROUTES", "pick_format", "read_resource", "resource_rdf"]
