"""The anchors chipkg is measured beside, as ASGI app factories for uvicorn:

    python -m uvicorn --factory bench.anchors:bare_app    # BENCH_BODY=FILE: the JSON to answer with
    python -m uvicorn --factory bench.anchors:hello_app   # strawberry's { hello }, parser and validation cached

``bare_app`` is a Starlette route that answers every GET and POST on ``/graphql`` with the
same JSON document (a chipkg entity response, so the body is the same size) serialised
by ``JSONResponse`` on each request, as any JSON endpoint would. ``hello_app`` is the
smallest strawberry service: ``{ hello }`` through the same ``strawberry.asgi.GraphQL``
view chipkg uses, with strawberry's ``ParserCache`` and ``ValidationCache``.
"""

from __future__ import annotations

import json
import os

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


def bare_app() -> Starlette:
    with open(os.environ["BENCH_BODY"], encoding="utf-8") as handle:
        document = json.load(handle)

    async def answer(request: Request) -> JSONResponse:
        if request.method == "POST":
            await request.body()
        return JSONResponse(document)

    return Starlette(routes=[Route("/graphql", answer, methods=["GET", "POST"])])


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def hello_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[ParserCache(maxsize=100), ValidationCache(maxsize=100)])


def hello_app() -> Starlette:
    view = GraphQL(hello_schema(), graphql_ide=None, allow_queries_via_get=True)
    return Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])


__all__ = ["bare_app", "hello_app", "hello_schema"]
