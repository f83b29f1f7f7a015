"""chipkg: a knowledge graph of AI-chip news with sentence-level evidence.

Embed it::

    from chipkg import KnowledgeGraph
    kg = KnowledgeGraph()                     # in memory, seeded with the shipped articles
    kg.paths("cyberspace-administration-of-china", "jensen-huang")[0].length   # 2
"""

from .graph import (ChipKGError, Direction, InvalidInput, KnowledgeGraph, Limits, NotFound, ParseError,
                    QueryTooLarge, StoreError, ValidationFailed, Violation)

__version__ = "0.1.0"

__all__ = ["ChipKGError", "Direction", "InvalidInput", "KnowledgeGraph", "Limits", "NotFound", "ParseError",
           "QueryTooLarge", "StoreError", "ValidationFailed", "Violation", "__version__"]
