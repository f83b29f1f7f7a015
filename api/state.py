"""What a handler needs from its app, reached through ``request.app.state``, never globals.

``create_app`` stores the settings (and the graph, when it was handed one); the lifespan
stores the graph it opens. ``blocking`` runs graph work in a worker thread: exports,
neighbourhoods and SPARQL are CPU-bound, and on the event loop they would stall every
other client, ``/healthz`` included.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from starlette.requests import Request

from ..graph import KnowledgeGraph
from .errors import HTTPError
from .settings import Settings

P = ParamSpec("P")
T = TypeVar("T")


def graph(request: Request) -> KnowledgeGraph:
    """The app's graph; 503 if the lifespan that opens it has not run."""
    kg = getattr(request.app.state, "kg", None)
    if kg is None:
        raise HTTPError(503, "NOT_READY", "the graph is not open: the app's lifespan has not run "
                                          "(to mount create_app() in another app, pass kg= or run its lifespan)")
    return kg


def settings(request: Request) -> Settings:
    return request.app.state.settings


def sparql_slots(request: Request) -> threading.BoundedSemaphore:
    """How many SPARQL queries may evaluate at once (shared by the app's worker threads)."""
    return request.app.state.sparql_slots


async def blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, so the event loop keeps serving."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))


__all__ = ["blocking", "graph", "settings", "sparql_slots"]
