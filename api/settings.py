"""How one HTTP service is configured: a frozen value built once, from the environment
or by hand, and handed to ``create_app``.

Frozen so that nothing can reconfigure a running app behind its handlers' backs; every
knob has a safe default (loopback, writes off, limits on, CORS closed).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..graph import InvalidInput

ENV_PREFIX = "CHIPKG_"
MIB = 1 << 20


@dataclass(frozen=True)
class Settings:
    """Everything ``create_app`` and ``chipkg serve`` need to know.

    ``token`` is the bearer token that allows writes; ``None`` (the default) turns writes
    off. ``cors_origins`` empty means no CORS headers at all, so browsers on other origins
    cannot read responses. ``graphql_cache_bytes`` bounds the GET /graphql cache (0 turns
    it off). A client has ``header_timeout`` seconds to send a request's headers and
    ``body_timeout`` seconds of waiting, in all, to send its body; ``chipkg serve`` holds
    at most ``max_connections`` connections and answers 503 past them (see ``connections.py``).
    """

    store: str = "memory"
    token: str | None = field(default=None, repr=False)  # never printed, so never logged by accident
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = MIB
    sparql_timeout: float = 10.0
    sparql_max_result_bytes: int = 32 * MIB
    sparql_concurrency: int = 2
    sparql_memory_limit: int = 1024 * MIB  # per query, in its own killable process
    sparql_isolation: bool = True  # False: evaluate in a thread (no memory cap, no kill)
    cors_origins: tuple[str, ...] = ()
    graphiql: bool = True
    graphql_cache_bytes: int = 64 * MIB
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1000

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            # An empty CHIPKG_TOKEN must not become a token that an empty header matches.
            object.__setattr__(self, "token", None)
        for name in ("max_body_bytes", "sparql_max_result_bytes", "sparql_concurrency", "max_connections",
                     "sparql_memory_limit"):
            if getattr(self, name) < 1:
                raise InvalidInput(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.graphql_cache_bytes < 0:
            raise InvalidInput(f"graphql_cache_bytes must be 0 (off) or more, not {self.graphql_cache_bytes}")
        for name in ("sparql_timeout", "header_timeout", "body_timeout"):
            if not getattr(self, name) > 0:
                raise InvalidInput(f"{name} must be positive, not {getattr(self, name)}")
        if not 0 <= self.port <= 65535:
            raise InvalidInput(f"port must be between 0 and 65535, not {self.port}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``CHIPKG_*`` variables (``CHIPKG_TOKEN``, ``CHIPKG_STORE``,
        ``CHIPKG_PORT`` ...), then ``overrides`` on top; unset variables keep the defaults.

        ``CHIPKG_CORS_ORIGINS`` is comma-separated; ``CHIPKG_GRAPHIQL`` takes 1/0,
        true/false, yes/no.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _convert(f.name, raw, cls.__dataclass_fields__[f.name].default)
        return replace(cls(**values), **overrides)


def _convert(name: str, raw: str, default: Any) -> Any:
    """One environment string as the type of the field's default."""
    variable = ENV_PREFIX + name.upper()
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise InvalidInput(f"{variable} must be 1 or 0 (true/false), not {raw!r}")
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if isinstance(default, (int, float)):
        try:
            return type(default)(raw)
        except ValueError:
            raise InvalidInput(f"{variable} must be a number, not {raw!r}") from None
    return raw


__all__ = ["Settings"]
