"""Parsing and validation: which operation to run, whether the document is within ``DocumentLimits``,
then graphql-core's rules, cached; large documents are parsed and validated off the event loop.

These extensions replace strawberry's ``ParserCache``, ``ValidationCache`` and its depth and
alias limiters, so that the cheap checks run first and a document over the limits never
reaches the expensive rules (the limiters re-walked every fragment expansion, which is what
made a 1 KB document cost seconds). What is left is bounded by the limits, but graphql-core
is pure Python: 5,000 tokens take 70 ms or more to parse, and a document near the field
limit 100 ms or more to validate. On the event loop that time would stall every other request, ``/healthz``
included, so in ``execute`` a document above ``OFF_LOOP_CHARS`` characters or
``OFF_LOOP_FIELDS`` expanded fields is parsed and validated in a worker thread; small ones
(nearly all) stay on the loop, where a thread hop would cost more than the work.
``execute_sync`` has no loop to protect and does everything in place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

from .errors import OperationNameRequired
from .limits import DocumentLimits, measure, refusals

OFF_LOOP_CHARS = 2_000  # a longer query text is parsed in a worker thread
OFF_LOOP_FIELDS = 100  # a document with more expanded fields is validated in a worker thread
CACHE_SIZE = 256  # documents kept by the parse and validation LRU caches (shared, keyed by size)


def operation_name_refusal(document: DocumentNode, provided_name: str | None) -> GraphQLError | None:
    """GraphQL over HTTP: a document with several operations must say which one to run."""
    if provided_name is not None:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) < 2:
        return None
    names = ", ".join(d.name.value if d.name else "(anonymous)" for d in operations)
    message = f"the document has {len(operations)} operations ({names}): say which one to run with operationName"
    return GraphQLError(message, original_error=OperationNameRequired(message))


def _provided_operation_name(execution_context: Any) -> str | None:
    # strawberry keeps the operationName the request gave only privately: its public
    # ``operation_name`` falls back to the first operation's name, which is the behaviour
    # refused here. test_schema_limits pins the attribute (both ways).
    return getattr(execution_context, "_provided_operation_name", None)


class BoundedValidation(SchemaExtension):
    """Cheap refusals first, then the cached graphql-core validation of what is left."""

    def __init__(self, limits: DocumentLimits) -> None:
        super().__init__()
        self.limits = limits
        # strawberry's caches keep their LRU at module level, keyed by size, so every
        # request's extension shares them; only their cached functions are borrowed here.
        self.cached_parse: Callable[..., DocumentNode] = ParserCache(maxsize=CACHE_SIZE).cached_parse_document
        self.cached_validate: Callable[..., list[GraphQLError]] = \
            ValidationCache(maxsize=CACHE_SIZE).cached_validate_document

    def parse(self) -> None:
        context = self.execution_context
        context.graphql_document = self.cached_parse(context.query, **context.parse_options)

    def validate(self) -> None:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        refusal = operation_name_refusal(document, _provided_operation_name(context))
        context.pre_execution_errors = [refusal] if refusal else (
            refusals(document, self.limits)
            or self.cached_validate(context.schema._schema, document, context.validation_rules))

    def on_parse(self) -> Iterator[None]:
        self.parse()
        yield

    def on_validate(self) -> Iterator[None]:
        self.validate()
        yield


class OffLoopValidation(BoundedValidation):
    """``BoundedValidation`` for ``execute``: large documents go to a worker thread."""

    async def on_parse(self) -> AsyncIterator[None]:  # type: ignore[override]
        query = self.execution_context.query
        if query is not None and len(query) > OFF_LOOP_CHARS:
            await asyncio.to_thread(self.parse)
        else:
            self.parse()
        yield

    async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
        document = self.execution_context.graphql_document
        assert document is not None
        if measure(document).total.fields > OFF_LOOP_FIELDS:
            await asyncio.to_thread(self.validate)
        else:
            self.validate()
        yield


__all__ = ["CACHE_SIZE", "OFF_LOOP_CHARS", "OFF_LOOP_FIELDS", "BoundedValidation", "OffLoopValidation",
           "operation_name_refusal"]
