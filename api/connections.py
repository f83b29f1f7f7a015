"""Connections that stall are closed: uvicorn's h11 protocol with a deadline whenever a
client owes bytes that nothing else is timing.

uvicorn (0.54) times only the idle gap *between* requests (``timeout_keep_alive``, and
even that is cancelled by the first byte of the next request): a client that connects and
sends half a request line, or a body nobody reads, is held forever, and a few hundred of
them used up the file descriptors. This protocol adds one timer per connection:

- while the request's headers are awaited, ``header_timeout`` from the connection (or the
  previous response): an absolute deadline, so dribbling a byte at a time does not help;
- while a body is still arriving that nothing will read (the response went out first),
  ``body_timeout``.

A body the app is reading is timed by ``BodyLimitMiddleware`` instead (it can answer 408
properly, and it works under any ASGI server). On expiry the client gets a 408 if it had
sent part of a request, and the connection is closed.

``chipkg serve`` uses it with its settings; with bare uvicorn pass
``--http chipkg.api.connections:GuardedH11Protocol`` and the timeouts come from the
``CHIPKG_*`` variables. ``raise_fd_limit`` and ``connection_cap`` size the rest of the
defence: the soft ``RLIMIT_NOFILE`` raised to the hard one, and uvicorn's
``limit_concurrency`` (503 past it) kept below what the descriptors allow.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import error_response
from .settings import Settings

FD_RESERVE = 256  # descriptors kept for the store's files, logs, pipes and workers


class GuardedH11Protocol(H11Protocol):
    """uvicorn's ``H11Protocol`` with header and unread-body deadlines (see the module)."""

    settings: Settings | None = None  # bound by ``guarded_protocol``; None reads CHIPKG_* per connection

    def __init__(self, config: Any, server_state: Any, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = self.settings if self.settings is not None else Settings.from_env()
        self.header_timeout = settings.header_timeout
        self.body_timeout = settings.body_timeout
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Arm the deadline the connection's state calls for, or none."""
        if self.transport.is_closing():
            self._cancel()
            return
        if self.conn.their_state is h11.IDLE:
            timeout = self.header_timeout
        elif self.conn.their_state is h11.SEND_BODY and self.conn.our_state in (h11.DONE, h11.MUST_CLOSE):
            timeout = self.body_timeout
        else:  # a request is being handled: the app (and BodyLimitMiddleware) set the pace
            self._cancel()
            return
        if self._deadline is None:
            self._deadline = self.loop.call_later(timeout, self._expire)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        started = self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]
        if started and self.conn.our_state is h11.IDLE:
            self.transport.write(_timeout_response(self.header_timeout))
        self.transport.close()


def _timeout_response(seconds: float) -> bytes:
    response = error_response(408, "REQUEST_TIMEOUT",
                              f"the request's headers did not arrive within {seconds:g} s",
                              headers={"Connection": "close"})
    head = b"".join(name + b": " + value + b"\r\n" for name, value in response.raw_headers)
    return b"HTTP/1.1 408 Request Timeout\r\n" + head + b"\r\n" + bytes(response.body)


def guarded_protocol(settings: Settings) -> type[GuardedH11Protocol]:
    """The protocol class bound to ``settings``, for ``uvicorn.Config(http=...)``."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"settings": settings})


def raise_fd_limit() -> int:
    """Raise this process's soft ``RLIMIT_NOFILE`` to its hard limit; the soft limit now
    in force (the default 1,024 is a few hundred stalled clients away from refusing all)."""
    try:
        import resource
    except ImportError:  # not on this platform: nothing to raise
        return 1 << 16
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft if soft != resource.RLIM_INFINITY else 1 << 20
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        return soft
    return target


def connection_cap(max_connections: int, fd_limit: int) -> int:
    """``max_connections``, lowered if the descriptors could not hold that many and
    ``FD_RESERVE`` besides."""
    return max(1, min(max_connections, fd_limit - FD_RESERVE))


__all__ = ["FD_RESERVE", "GuardedH11Protocol", "connection_cap", "guarded_protocol", "raise_fd_limit"]
