"""HTTP statuses and JSON error bodies: the one place where errors meet HTTP.

Every API error leaves as ``{"error": {"code": ..., "message": ...}}`` with a stable
``code`` a client can branch on. chipkg's own errors map to statuses here and nowhere
else::

    NotFound            404
    InvalidInput        400   (ParseError too)
    ValidationFailed    422   (the body also lists the violations)
    QueryTooLarge       400   a request for more work than the budgets allow. Not 413:
                              RFC 9110 defines 413 for request *content* over a size
                              limit, and a GET for depth=9 has no content; that 413 is
                              kept for oversized bodies, so a client can tell "send
                              less" from "ask for less".
    Unauthenticated     401
    StoreError          503   the store failed, not the request
    other ChipKGError   400

Errors that only HTTP knows (406, 413, 415, a SPARQL timeout) are ``HTTPError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..graph import ChipKGError, InvalidInput, NotFound, QueryTooLarge, StoreError, Unauthenticated, ValidationFailed

# Most specific first: the first class an error is an instance of decides.
STATUS_BY_ERROR: tuple[tuple[type[ChipKGError], int], ...] = (
    (NotFound, 404),
    (ValidationFailed, 422),
    (QueryTooLarge, 400),
    (Unauthenticated, 401),
    (StoreError, 503),
    (InvalidInput, 400),
    (ChipKGError, 400),
)

# Codes for the statuses Starlette raises itself (unknown route, wrong method).
CODE_BY_STATUS = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
                  406: "NOT_ACCEPTABLE", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE",
                  503: "SERVICE_UNAVAILABLE"}


class HTTPError(Exception):
    """A refusal that only makes sense over HTTP, with its status and a stable code."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def status_for(error: ChipKGError) -> int:
    """The HTTP status for a chipkg error."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400  # pragma: no cover - ChipKGError closes the table


def error_response(status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    """The JSON body every API error is sent with."""
    body: dict[str, Any] = {"code": code, "message": message, **extra}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def chipkg_error_response(error: ChipKGError) -> JSONResponse:
    extra: dict[str, Any] = {}
    if isinstance(error, ValidationFailed):
        extra["violations"] = [{"focus": v.focus, "message": v.message, "path": v.path, "value": v.value}
                               for v in error.violations]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
    return error_response(status_for(error), error.code, error.message, headers=headers, **extra)


async def _on_chipkg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChipKGError)
    return chipkg_error_response(exc)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPError)
    return error_response(exc.status, exc.code, exc.message, headers=exc.headers)


async def _on_starlette_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = CODE_BY_STATUS.get(exc.status_code, f"HTTP_{exc.status_code}")
    return error_response(exc.status_code, code, exc.detail, headers=exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log (Starlette re-raises); the client learns nothing internal.
    return error_response(500, "INTERNAL_SERVER_ERROR", "internal error; the request was not completed")


EXCEPTION_HANDLERS = {
    ChipKGError: _on_chipkg_error,
    HTTPError: _on_http_error,
    HTTPException: _on_starlette_http_exception,
    Exception: _on_unexpected,
}

__all__ = ["EXCEPTION_HANDLERS", "STATUS_BY_ERROR", "HTTPError", "chipkg_error_response", "error_response",
           "status_for"]
