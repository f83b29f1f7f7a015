"""A pure-ASGI middleware that bounds request bodies in size (413) and in time (408).

Size: it counts the bytes as they arrive rather than trusting ``Content-Length``: a
chunked body has no length and a client can lie about it, so a header check alone would
let an unbounded body through to whatever reads it (strawberry, the SPARQL form parser).
A declared length over the limit is answered at once, before a byte of the body is read:
a client that declares 99,999,999,999 bytes and sends none gets its 413 immediately.

Time: a request may spend at most ``body_timeout`` seconds, in all, waiting for its body
(the time the app spends between reads does not count). A total rather than a gap
between reads, so a body dribbled a byte at a time is cut off too; past it the client
gets 408 and the connection is closed.

After a refusal the response is on the wire at once, and what the client is still sending
is read and dropped (up to ``DRAIN_LIMIT`` bytes and ``body_timeout`` seconds; a
"lingering close") before the connection closes: closing on unread data makes the kernel
send a reset, which can destroy the 413 before the client reads it.
"""

from __future__ import annotations

import time

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

DRAIN_LIMIT = 64 << 20  # past this, stop reading and let the server drop the connection
DEFAULT_BODY_TIMEOUT = 30.0


class BodyTooLarge(Exception):
    """Raised inside the app's ``receive`` once the body passes the limit."""


class BodyTimedOut(Exception):
    """Raised inside the app's ``receive`` once the body has been waited for too long."""


class ClientGone(Exception):
    """Raised inside the app's ``receive`` when the client left mid-body: nobody to answer,
    and nothing for the log (it is the client's doing, not a fault of the app)."""


class BodyLimitMiddleware:
    """Wrap an ASGI app so no HTTP request body over ``max_body_bytes``, or slower than
    ``body_timeout`` seconds of waiting, reaches it."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout: float = DEFAULT_BODY_TIMEOUT) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = _content_length(headers)
        if declared is not None and declared > self.max_body_bytes:
            # With Expect: 100-continue the client has sent nothing and waits: reading would
            # ask it for the body. Otherwise the body may be on its way: drain it after.
            drain = headers.get("expect", "").lower() != "100-continue"
            await self._refuse(receive, send, too_large=True, drain_from=0 if drain else None)
            return
        await _Guard(self, scope, receive, send).run()

    async def _refuse(self, receive: Receive, send: Send, *, too_large: bool, drain_from: int | None) -> None:
        """Send the 413 (or 408) at once; then, if ``drain_from`` is a count of bytes
        already read, drop the rest of the body within the drain bounds; then close."""
        if too_large:
            response = error_response(413, "PAYLOAD_TOO_LARGE",
                                      f"the request body is over the limit of {self.max_body_bytes} bytes",
                                      headers={"Connection": "close"})
        else:
            response = error_response(408, "REQUEST_TIMEOUT",
                                      f"the request body did not arrive within {self.body_timeout:g} s",
                                      headers={"Connection": "close"})
        await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
        if drain_from is None:
            await send({"type": "http.response.body", "body": response.body})
            return
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        with anyio.move_on_after(self.body_timeout):
            await _drain(receive, drain_from)
        await send({"type": "http.response.body", "body": b""})


class _Guard:
    """One request's byte count and waiting time, and whether the app's own response
    must be suppressed."""

    def __init__(self, middleware: BodyLimitMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
        self.middleware = middleware
        self.scope, self.receive, self.send = scope, receive, send
        self.received = 0
        self.waited = 0.0
        self.body_done = False
        self.refused: BodyTooLarge | BodyTimedOut | None = None
        self.response_started = False

    async def run(self) -> None:
        try:
            await self.middleware.app(self.scope, self.counting_receive, self.guarded_send)
        except (BodyTooLarge, BodyTimedOut):
            pass
        except ClientGone:
            return
        if self.refused is not None and not self.response_started:
            too_large = isinstance(self.refused, BodyTooLarge)
            await self.middleware._refuse(self.receive, self.send, too_large=too_large,
                                          drain_from=self.received if too_large else None)

    async def counting_receive(self) -> Message:
        if self.refused is not None:
            raise self.refused
        if self.body_done:  # e.g. a streaming response listening for the disconnect: not timed
            return await self.receive()
        started = time.monotonic()
        with anyio.move_on_after(max(0.0, self.middleware.body_timeout - self.waited)):
            message = await self.receive()
            self.waited += time.monotonic() - started
            return self._count(message)
        self.refused = BodyTimedOut()
        raise self.refused

    def _count(self, message: Message) -> Message:
        if message["type"] == "http.disconnect":
            raise ClientGone
        if message["type"] != "http.request":
            return message
        self.body_done = not message.get("more_body", False)
        self.received += len(message.get("body", b""))
        if self.received > self.middleware.max_body_bytes:
            self.refused = BodyTooLarge()
            raise self.refused
        return message

    async def guarded_send(self, message: Message) -> None:
        # An app that caught the refusal and answered anyway is not heard: the 413/408 is.
        if self.refused is not None and not self.response_started:
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


__all__ = ["BodyLimitMiddleware", "BodyTimedOut", "BodyTooLarge", "ClientGone"]
