"""Who may write: a request that carries the configured bearer token, and no one else.

No token configured means writes are off for everybody, including a request that sends
an empty one. The comparison is constant-time (``hmac.compare_digest``) so response
timing does not leak how much of a guessed token was right.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The credentials of an ``Authorization: Bearer …`` header, if there is one."""
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, credentials = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def is_authorized(headers: Mapping[str, str], token: str | None) -> bool:
    """Whether the request may write, given the configured ``token``."""
    if not token:
        return False
    offered = bearer_token(headers)
    if offered is None:
        return False
    return hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8"))


__all__ = ["bearer_token", "is_authorized"]
