"""The browser's way in: the home page ``/``, search results ``/search``, and the page
assets under ``/static`` (chipkg's own scripts and styles and the vendored libraries,
shipped inside the package so nothing is fetched from another host).

Per-resource pages, ``/ontology`` and GraphiQL live with their endpoints
(``linked_data.py``, ``graphql.py``); this module serves what has no other home.
"""

from __future__ import annotations

from importlib.resources import files

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..graph import KnowledgeGraph
from ..graph.vocab import RDF
from .home_page import render_home, render_search
from .state import blocking, graph

STATIC_DIR = str(files("chipkg.api") / "static")
SEARCH_LIMIT = 50
LIST_LIMIT = 100
_TYPE = ox.NamedNode(str(RDF.type))


def home_view(kg: KnowledgeGraph) -> str:
    """The home page: how many resources each class has (its direct instances)."""
    classes = [t for t in kg.ontology_terms() if t.kind == "class" and t.iri in kg.classes]  # entity classes
    counts = {t.iri: sum(1 for _ in kg.store.triples(None, _TYPE, ox.NamedNode(t.iri))) for t in classes}
    return render_home(counts, classes, len(kg.store))


def search_view(kg: KnowledgeGraph, text: str, type_name: str) -> str:
    """Entities whose labels or aliases contain ``text`` (any language), or with no text,
    the first instances of ``type_name``."""
    types = [type_name] if type_name else None
    if text:
        results = kg.search(text, types=types, limit=SEARCH_LIMIT + 1)
    elif type_name:
        iris = kg.instances(type_name)[:LIST_LIMIT + 1]
        results = [e for e in kg.entities(iris) if e is not None]
    else:
        results = []
    limit = SEARCH_LIMIT if text else LIST_LIMIT
    return render_search(text, type_name, results[:limit], more=len(results) > limit)


async def home(request: Request) -> Response:
    return HTMLResponse(await blocking(home_view, graph(request)))


async def search(request: Request) -> Response:
    params = request.query_params
    text, type_name = params.get("q", "").strip(), params.get("type", "").strip()
    return HTMLResponse(await blocking(search_view, graph(request), text, type_name))


ROUTES: list[BaseRoute] = [
    Route("/", home, methods=["GET"]),
    Route("/search", search, methods=["GET"]),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]

__all__ = ["ROUTES", "home_view", "search_view"]
