"""``/graphql``: strawberry's ASGI view, given a per-request ``Context`` over the app's graph.

The view is built once per app around one schema; the context (and with it the
DataLoaders) is built per request, and says whether the caller carried the write token.

Requests strawberry cannot read leave as chipkg's JSON errors with a stable code, like
every other HTTP error: strawberry's own refusals (plain text) are translated, and a body
that is JSON but not an object (``null``, ``5``), not UTF-8, or nested past the JSON
parser's recursion limit is a 400 instead of an exception in the view (a 500).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException as ViewRefusal
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET

from ..schema import Context, build_schema
from .auth import is_authorized
from .errors import CODE_BY_STATUS, HTTPError
from .graphiql import graphiql_page
from .state import graph, settings


class ChipKGGraphQL(GraphQL[Context, None]):
    """strawberry's ASGI GraphQL view whose context is a ``chipkg.schema.Context``."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        token = settings(request).token  # type: ignore[arg-type]
        return Context.for_request(graph(request), authorized=is_authorized(request.headers, token))  # type: ignore[arg-type]

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # ViewRefusal (cross_web's HTTPException) is how strawberry's view refuses a request.
        try:
            return await super().run(request, context, root_value)
        except ViewRefusal as exc:
            status = 415 if exc.reason == "Unsupported content type" else exc.status_code
            raise HTTPError(status, CODE_BY_STATUS.get(status, f"HTTP_{status}"), exc.reason) from None

    @property
    def graphql_ide_html(self) -> str:
        # GraphiQL from chipkg's own /static, not strawberry's page (which loads it from a CDN).
        return graphiql_page()

    def encode_json(self, data: object) -> bytes:
        # orjson: the response of an entity query with 20 relations is tens of kB.
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise ViewRefusal(400, "Unable to parse request body as JSON") from None
        if not isinstance(value, (dict, list)):
            raise ViewRefusal(400, 'the request must be a JSON object: {"query": "...", "variables": {...}}')
        return value


def graphql_app(graphiql: bool = True) -> ChipKGGraphQL:
    """The view for one app: GraphiQL for browsers when ``graphiql``, queries over GET and POST
    (strawberry refuses mutations over GET)."""
    return ChipKGGraphQL(build_schema(), graphql_ide="graphiql" if graphiql else None,
                         allow_queries_via_get=True)


__all__ = ["ChipKGGraphQL", "graphql_app"]
