"""A pure-ASGI middleware that refuses request bodies over a size limit with 413.

It counts the bytes as they arrive rather than trusting ``Content-Length``: a chunked
body has no length and a client can lie about it, so a header check alone would let an
unbounded body through to whatever reads it (strawberry, the SPARQL form parser). A
declared length over the limit is refused before a byte of the body is read.

Before answering it reads and discards what is left of the body (up to ``DRAIN_LIMIT``),
so a client that is still sending sees the 413 instead of a reset connection.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

DRAIN_LIMIT = 64 << 20  # past this, stop reading and let the server drop the connection


class BodyTooLarge(Exception):
    """Raised inside the app's ``receive`` once the body passes the limit."""


class BodyLimitMiddleware:
    """Wrap an ASGI app so no HTTP request body over ``max_body_bytes`` reaches it."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = _content_length(headers)
        if declared is not None and declared > self.max_body_bytes:
            if headers.get("expect", "").lower() != "100-continue":
                await _drain(receive, 0)  # else the client waits for a 100 that never comes
            await self._refuse(scope, receive, send)
            return
        await _Guard(self, scope, receive, send).run()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "PAYLOAD_TOO_LARGE",
                                  f"the request body is over the limit of {self.max_body_bytes} bytes",
                                  headers={"Connection": "close"})
        await response(scope, receive, send)


class _Guard:
    """One request's byte count, and whether the app's own response must be suppressed."""

    def __init__(self, middleware: BodyLimitMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
        self.middleware = middleware
        self.scope, self.receive, self.send = scope, receive, send
        self.received = 0
        self.over = False
        self.response_started = False

    async def run(self) -> None:
        try:
            await self.middleware.app(self.scope, self.counting_receive, self.guarded_send)
        except BodyTooLarge:
            pass
        if self.over and not self.response_started:
            await self.middleware._refuse(self.scope, self.receive, self.send)

    async def counting_receive(self) -> Message:
        if self.over:
            raise BodyTooLarge
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.middleware.max_body_bytes:
                self.over = True
                if message.get("more_body", False):
                    await _drain(self.receive, self.received)
                raise BodyTooLarge
        return message

    async def guarded_send(self, message: Message) -> None:
        # An app that caught BodyTooLarge and answered anyway is not heard: the 413 is.
        if self.over and not self.response_started:
            return
        if message["type"] == "http.response.start":
            self.response_started = True
        await self.send(message)


async def _drain(receive: Receive, already: int) -> None:
    """Read and drop the rest of the body, up to ``DRAIN_LIMIT`` bytes in all."""
    total = already
    while total <= DRAIN_LIMIT:
        message = await receive()
        if message["type"] != "http.request":
            return
        total += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


__all__ = ["BodyLimitMiddleware", "BodyTooLarge"]
