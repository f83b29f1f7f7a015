"""Answers to repeated GET /graphql queries from a cache keyed by the graph's version.

A GET query's answer depends only on the query text, its variables and the graph, and
the graph's ``version`` changes with every write. So the ETag is the version plus a hash
of the query string: ``If-None-Match`` with a current ETag gets 304 without running
anything, a repeat without it gets the stored body, and any write makes every older
entry unreachable (an entry whose version is not current is never served). POST is not
cached: it is how clients send writes and large queries.

The cache is bounded in bytes, not entries (1,024 entries of up to 1 MiB could hold a
GiB): each entry costs its body, its headers and a fixed overhead, and the least
recently used entries go first when a new one would pass ``max_bytes``. Entries of an
older version are dropped as soon as a newer version is seen, since nothing can reach them.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BYTES = 64 << 20
MAX_BODY = 1 << 20  # bodies bigger than this (or than the whole budget) are served but not kept
ENTRY_OVERHEAD = 256  # what a kept entry costs beside its body and headers: key, tuple, list


class GraphQLCache:
    """Pure ASGI middleware for ``GET {path}?query=…``; everything else passes through."""

    def __init__(self, app: ASGIApp, path: str = "/graphql", max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.path = path
        self.max_bytes = max_bytes
        self.kept_bytes = 0
        self._version: object = None
        self._bodies: OrderedDict[str, tuple[bytes, list[tuple[bytes, bytes]], int]] = OrderedDict()

    def _keep(self, etag: str, version: object, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        if version != self._version:
            self._bodies.clear()
            self.kept_bytes = 0
            self._version = version
        cost = len(body) + sum(len(k) + len(v) for k, v in headers) + len(etag) + ENTRY_OVERHEAD
        if len(body) > MAX_BODY or cost > self.max_bytes or etag in self._bodies:
            return
        while self._bodies and self.kept_bytes + cost > self.max_bytes:
            self.kept_bytes -= self._bodies.popitem(last=False)[1][2]
        self._bodies[etag] = (body, headers, cost)
        self.kept_bytes += cost

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")[len(scope.get("root_path", "")):]  # mounted under a prefix too
        if scope["type"] != "http" or scope["method"] != "GET" or path != self.path \
                or b"query=" not in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "text/html" in headers.get("accept", ""):  # a browser asking for GraphiQL
            await self.app(scope, receive, send)
            return
        kg = getattr(scope["app"].state, "kg", None) if "app" in scope else None
        if kg is None:
            await self.app(scope, receive, send)
            return
        digest = hashlib.blake2b(scope["query_string"], digest_size=12).hexdigest()
        version = kg.version
        if version is None:  # a graph that cannot tell when it changes is not cached
            await self.app(scope, receive, send)
            return
        etag = f'W/"{version}-{digest}"'
        if etag in [tag.strip() for tag in headers.get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode()), (b"cache-control", b"no-cache")]})
            await send({"type": "http.response.body", "body": b""})
            return
        cached = self._bodies.get(etag)
        if cached is not None:
            self._bodies.move_to_end(etag)
            body, kept, _cost = cached
            await send({"type": "http.response.start", "status": 200, "headers": kept})
            await send({"type": "http.response.body", "body": body})
            return
        await self._run_and_keep(scope, receive, send, etag, version)

    async def _run_and_keep(self, scope: Scope, receive: Receive, send: Send, etag: str, version: object) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"etag"]
                headers += [(b"etag", etag.encode()), (b"cache-control", b"no-cache")]
                start = {**message, "headers": headers}
                await send(start)
                return
            chunks.append(message.get("body", b""))
            await send(message)
            if not message.get("more_body", False) and start is not None and start["status"] == 200 \
                    and sum(map(len, chunks)) <= MAX_BODY and self.max_bytes > 0:
                kg = scope["app"].state.kg
                if kg is not None and kg.version == version:  # a write during the query: keep nothing
                    self._keep(etag, version, b"".join(chunks), list(start["headers"]))

        await self.app(scope, receive, capture)


__all__ = ["GraphQLCache"]
