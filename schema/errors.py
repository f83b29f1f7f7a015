"""Every GraphQL error gets a stable ``extensions.code``: the one place codes are assigned.

chipkg's own errors carry their code (``NOT_FOUND``, ``VALIDATION_FAILED``,
``QUERY_TOO_LARGE``, ``UNAUTHENTICATED`` …), and so do the schema's own refusals below
(``OPERATION_NAME_REQUIRED``; the size limits of ``limits.py`` raise ``QueryTooLarge``).
The parser's token limit, graphql-core's nesting limits and its cap on validation errors
become ``QUERY_TOO_LARGE``; other validation errors ``GRAPHQL_VALIDATION_FAILED``, syntax
errors ``GRAPHQL_PARSE_FAILED``. Anything unexpected is masked as
``INTERNAL_SERVER_ERROR`` so no internals or tracebacks reach a client.
"""

from __future__ import annotations

from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.types import ExecutionResult

from ..graph import ChipKGError, InvalidInput, ValidationFailed

# Fragments of the messages of graphql-core's own limits: the parser's token limit, its nesting
# limits ("Document is nested too deeply", "Variable values are nested too deeply") and its cap
# on validation errors ("Too many validation errors, error limit reached. Validation aborted.").
_LIMIT_MESSAGES = ("number of tokens", "token limit", "tokens. parsing aborted", "validation aborted",
                   "nested too deeply")


class OperationNameRequired(InvalidInput):
    """A document with several operations and no ``operationName`` (GraphQL over HTTP)."""

    code = "OPERATION_NAME_REQUIRED"


def code_for(error: GraphQLError) -> str:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, ChipKGError):
        return original.code
    if isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error"):
        if any(m in error.message.lower() for m in _LIMIT_MESSAGES):
            return "QUERY_TOO_LARGE"
        return "GRAPHQL_PARSE_FAILED"
    # A GraphQLError as the cause is graphql-core refusing the request, not a crash: a
    # variable of the wrong type ("Variable '$d' has invalid value: Int cannot represent ...").
    if original is None or isinstance(original, GraphQLError):
        if any(m in error.message.lower() for m in _LIMIT_MESSAGES):
            return "QUERY_TOO_LARGE"
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


def _with_code(error: GraphQLError) -> GraphQLError:
    code = code_for(error)
    extensions = dict(error.extensions or {})
    extensions["code"] = code
    message = error.message
    if code == "INTERNAL_SERVER_ERROR":
        message = "internal error; the request was not completed"
    if isinstance(error.original_error, ValidationFailed):
        extensions["violations"] = [str(v) for v in error.original_error.violations]
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None if code == "INTERNAL_SERVER_ERROR"
                        else error.original_error, extensions=extensions)


def with_codes(result: ExecutionResult) -> ExecutionResult:
    """The result with a code on every error (run after execution, parse errors included)."""
    if result.errors:
        result.errors = [_with_code(e) for e in result.errors]
    return result


def is_unexpected(error: GraphQLError) -> bool:
    """Only these deserve a traceback in the log; user errors are answers, not incidents."""
    return code_for(error) == "INTERNAL_SERVER_ERROR"


__all__ = ["OperationNameRequired", "code_for", "is_unexpected", "with_codes"]
