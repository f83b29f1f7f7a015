"""chipkg: a knowledge graph of AI-chip news with sentence-level evidence.

Embed it::

    from chipkg import KnowledgeGraph
    kg = KnowledgeGraph()                     # in memory, seeded with the shipped articles
    kg.paths("cyberspace-administration-of-china", "jensen-huang")[0].length   # 2

or serve it: ``create_app(kg)`` is an ASGI app, and ``build_schema()`` the GraphQL schema
to execute in-process. Those two load on first use, so ``import chipkg`` (and every CLI
command but ``serve`` and ``query``) stays free of strawberry and starlette.
"""

from __future__ import annotations

from typing import Any

from .graph import (
    ChipKGError,
    Direction,
    InvalidInput,
    KnowledgeGraph,
    Limits,
    NotFound,
    ParseError,
    QueryTooLarge,
    StoreError,
    ValidationFailed,
    Violation,
)

__version__ = "0.1.0"

# name -> module that defines it, imported on first access (PEP 562).
_LAZY_EXPORTS = {"create_app": "chipkg.api.app", "build_schema": "chipkg.schema"}

__all__ = ["ChipKGError", "Direction", "InvalidInput", "KnowledgeGraph", "Limits", "NotFound", "ParseError",
           "QueryTooLarge", "StoreError", "ValidationFailed", "Violation", "__version__", "build_schema",
           "create_app"]


def __getattr__(name: str) -> Any:
    if name in _LAZY_EXPORTS:
        import importlib

        return getattr(importlib.import_module(_LAZY_EXPORTS[name]), name)
    raise AttributeError(f"module 'chipkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
