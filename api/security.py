"""Response headers that keep browsers from misreading or embedding chipkg's pages.

Every response says ``X-Content-Type-Options: nosniff`` (a Turtle or JSON body is never
run as a script or rendered as HTML). HTML pages also carry a Content-Security-Policy
that allows only scripts, styles, fonts and images served by chipkg itself (the vendored
libraries under ``/static``), no inline script, no plugins, and no framing
(``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for older browsers). Labels
and evidence are written by whoever holds the write token; if escaping ever missed one,
the policy still would not run it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeadersMiddleware:
    """Adds ``nosniff`` to every response and the page policy to every HTML response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if headers.get("content-type", "").lower().startswith("text/html"):
                    for name, value in HTML_HEADERS.items():
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]
