"""GraphQL over HTTP's ``application/graphql-response+json``, for clients that ask for it.

With that media type the status code carries meaning (GraphQL over HTTP, §"application/
graphql-response+json"): a request that never executed, because its document did not
parse or validate, is a ``400`` and has no ``data`` entry; a response with ``data``
(even ``null`` after a field error) is a ``200``. With ``application/json`` (the
default, and what a client that does not say gets) every GraphQL result stays a ``200``,
as before.

It wraps ``/graphql`` from the outside, so the GET cache inside keeps one body per query
and every answer (fresh or cached) is converted on its way out; ``Vary: Accept`` tells
other caches the two media types differ.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .negotiation import parse_accept, quality

GRAPHQL_RESPONSE = "application/graphql-response+json"


def wants_graphql_response(accept: str | None) -> bool:
    """True when the client names ``application/graphql-response+json`` and does not
    prefer ``application/json`` to it."""
    ranges = parse_accept(accept or "")
    named = [r.q for r in ranges if (r.type, r.subtype) == ("application", "graphql-response+json")]
    return bool(named) and max(named) > 0 and max(named) >= quality(ranges, "application/json")


def convert(body: bytes) -> tuple[int, bytes]:
    """The status and body for a GraphQL result sent as graphql-response+json."""
    try:
        result = json.loads(body)
    except ValueError:
        return 200, body
    if not isinstance(result, dict):
        return 200, body
    errors = result.get("errors") or []
    # No execution happened: data is null and no error points at a field (parse and
    # validation errors have no "path").
    if result.get("data") is None and errors and all(isinstance(e, dict) and "path" not in e for e in errors):
        result.pop("data", None)
        return 400, json.dumps(result, ensure_ascii=False).encode("utf-8")
    return 200, body


class GraphQLResponseMedia:
    """Pure ASGI middleware: sends ``/graphql`` results as graphql-response+json when asked."""

    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")[len(scope.get("root_path", "")):]
        if scope["type"] != "http" or path != self.path:
            await self.app(scope, receive, send)
            return
        if not wants_graphql_response(Headers(scope=scope).get("accept")):
            await self.app(scope, receive, self._vary(send))
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if start is None or not self._is_result(start):
                if start is not None:
                    await send(start)
                    start = None
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, body = convert(b"".join(chunks))
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["content-type"] = GRAPHQL_RESPONSE
            headers["content-length"] = str(len(body))
            headers.add_vary_header("Accept")
            await send({**start, "status": status, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)

    @staticmethod
    def _is_result(start: Message) -> bool:
        """A GraphQL result: a 200 JSON body (not a chipkg error, GraphiQL or a 304)."""
        media = Headers(raw=start.get("headers", [])).get("content-type", "")
        return start["status"] == 200 and media.split(";")[0].strip().lower() == "application/json"

    @staticmethod
    def _vary(send: Send) -> Send:
        async def with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Accept")
            await send(message)
        return with_vary


__all__ = ["GRAPHQL_RESPONSE", "GraphQLResponseMedia", "convert", "wants_graphql_response"]
