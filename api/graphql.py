"""``/graphql``: strawberry's ASGI view, given a per-request ``Context`` over the app's graph.

The view is built once per app around one schema; the context (and with it the
DataLoaders) is built per request, and says whether the caller carried the write token.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from ..schema import Context, build_schema
from .auth import is_authorized
from .state import graph, settings


class ChipKGGraphQL(GraphQL):
    """strawberry's ASGI GraphQL view whose context is a ``chipkg.schema.Context``."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        token = settings(request).token  # type: ignore[arg-type]
        return Context.for_request(graph(request), authorized=is_authorized(request.headers, token))  # type: ignore[arg-type]


def graphql_app(graphiql: bool = True) -> ChipKGGraphQL:
    """The view for one app: GraphiQL for browsers when ``graphiql``, queries over GET and POST
    (strawberry refuses mutations over GET)."""
    return ChipKGGraphQL(build_schema(), graphql_ide="graphiql" if graphiql else None,
                         allow_queries_via_get=True)


__all__ = ["ChipKGGraphQL", "graphql_app"]
