"""The graph layer: the store, the ontology's rules, traversal and export. No GraphQL, no HTTP."""

from .errors import (ChipKGError, InvalidInput, NotFound, ParseError, QueryTooLarge, StoreError,
                     ValidationFailed, Violation)
from .knowledge import KnowledgeGraph, Limits, Stats
from .model import Direction, Entity, Evidence, LangString, Path, Relation, Subgraph, WriteResult

__all__ = ["ChipKGError", "Direction", "Entity", "Evidence", "InvalidInput", "KnowledgeGraph", "LangString",
           "Limits", "NotFound", "ParseError", "Path", "QueryTooLarge", "Relation", "Stats", "StoreError",
           "Subgraph", "ValidationFailed", "Violation", "WriteResult"]
