"""``create_app``: the chipkg HTTP service as a Starlette app, built by a factory.

No module-level state: every app carries its own settings, graph and SPARQL slots on
``app.state``, so two apps (or a test's many) never share anything. Run it with::

    uvicorn --factory chipkg.api.app:create_app      # settings from CHIPKG_* variables

or embed it: ``Mount("/kg", app=create_app(kg))`` inside another Starlette/FastAPI app.
Starlette does not run a mounted app's lifespan, so pass the graph in (or run
``app.router.lifespan_context`` from the outer app's lifespan) when mounting.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from ..graph import KnowledgeGraph
from . import linked_data, pages, sparql
from .body_limit import BodyLimitMiddleware
from .cache import GraphQLCache
from .errors import EXCEPTION_HANDLERS
from .graphql import graphql_app
from .graphql_media import GraphQLResponseMedia
from .security import SecurityHeadersMiddleware
from .settings import Settings
from .state import blocking, graph


async def healthz(request: Request) -> JSONResponse:
    """``ok`` or ``degraded`` (writes failing, reads served), the version and whether writes
    work: O(1) on the event loop, never queued behind graph work and never touching the
    store (counting it cost 245 ms at 1M triples)."""
    return JSONResponse(graph(request).health())


def _routes(settings: Settings) -> list[BaseRoute]:
    return [
        Route("/graphql", graphql_app(settings.graphiql), methods=["GET", "POST"]),
        *linked_data.ROUTES,
        *sparql.ROUTES,
        Route("/healthz", healthz, methods=["GET"]),
        *pages.ROUTES,
    ]


def _middleware(settings: Settings) -> list[Middleware]:
    stack = [Middleware(SecurityHeadersMiddleware)]
    if settings.cors_origins:
        stack.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"]))
    stack.append(Middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes,
                            body_timeout=settings.body_timeout))
    stack.append(Middleware(GraphQLResponseMedia))  # outside the cache: converts cached answers too
    stack.append(Middleware(GraphQLCache, max_bytes=settings.graphql_cache_bytes))
    return stack


def create_app(kg: KnowledgeGraph | None = None, settings: Settings | None = None) -> Starlette:
    """The HTTP service over ``kg``, or over a graph opened from ``settings.store`` at start-up.

    ``settings`` defaults to ``Settings.from_env()``. A graph passed in belongs to the
    caller and is not closed when the app stops; one the app opened is.
    """
    settings = settings if settings is not None else Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if kg is not None:
            yield
            return
        opened = await blocking(KnowledgeGraph.open, settings.store)
        app.state.kg = opened
        try:
            yield
        finally:
            app.state.kg = None
            opened.close()

    app = Starlette(routes=_routes(settings), middleware=_middleware(settings),
                    exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
    app.state.settings = settings
    app.state.kg = kg
    app.state.sparql_slots = threading.BoundedSemaphore(settings.sparql_concurrency)
    return app


__all__ = ["create_app"]
