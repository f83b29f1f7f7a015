"""The graph layer: the store, the ontology's rules, traversal and export. No GraphQL, no HTTP."""

from .errors import (
    ChipKGError,
    InvalidInput,
    NotFound,
    ParseError,
    QueryTooLarge,
    StoreError,
    Unauthenticated,
    ValidationFailed,
    Violation,
)
from .knowledge import KnowledgeGraph, Limits, Stats
from .model import Direction, Entity, Evidence, LangString, OntologyTerm, Path, Relation, Subgraph, WriteResult

__all__ = ["ChipKGError", "Direction", "Entity", "Evidence", "InvalidInput", "KnowledgeGraph", "LangString",
           "Limits", "NotFound", "OntologyTerm", "ParseError", "Path", "QueryTooLarge", "Relation", "Stats",
           "StoreError", "Subgraph", "Unauthenticated", "ValidationFailed", "Violation", "WriteResult"]
