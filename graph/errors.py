"""The errors chipkg raises, one small tree.

    ChipKGError                 anything chipkg refuses; ``code`` is stable and machine-readable
    ├── NotFound                an id, predicate or class that is not in the graph/ontology
    ├── InvalidInput            input that cannot be read at all (bad Turtle, bad argument)
    │   └── ParseError          RDF syntax error, with line and column
    ├── ValidationFailed        well-formed data that breaks the ontology or the shapes
    ├── QueryTooLarge           a request over a depth, width or time budget
    ├── Unauthenticated         a write without the configured bearer token
    └── StoreError              the store could not be opened or written

The HTTP and GraphQL layers map ``code`` to a status and an ``extensions.code`` in one
place each; nothing else needs to know the classes.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChipKGError(Exception):
    """Base class: a refusal with a message a user can act on."""

    code = "CHIPKG_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ChipKGError):
    code = "NOT_FOUND"


class InvalidInput(ChipKGError):
    code = "BAD_USER_INPUT"


class ParseError(InvalidInput):
    """RDF that does not parse; ``line``/``column`` are 1-based when the parser knows them."""

    code = "PARSE_ERROR"

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Violation:
    """One broken rule, in plain words, with the node that broke it."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = "".join(f" {part}" for part in (self.path, self.value) if part)
        return f"{self.focus}{where}: {self.message}"


class ValidationFailed(ChipKGError):
    code = "VALIDATION_FAILED"

    def __init__(self, violations: list[Violation]) -> None:
        count = len(violations)
        head = "; ".join(str(v) for v in violations[:5])
        more = f" (and {count - 5} more)" if count > 5 else ""
        super().__init__(f"{count} violation{'s' if count != 1 else ''}: {head}{more}")
        self.violations = violations


class QueryTooLarge(ChipKGError):
    code = "QUERY_TOO_LARGE"


class Unauthenticated(ChipKGError):
    code = "UNAUTHENTICATED"


class StoreError(ChipKGError):
    code = "STORE_ERROR"


__all__ = ["ChipKGError", "InvalidInput", "NotFound", "ParseError", "QueryTooLarge",
           "StoreError", "Unauthenticated", "ValidationFailed", "Violation"]
