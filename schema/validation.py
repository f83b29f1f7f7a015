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

What a document's checks found is kept per schema, by query text (``DocumentCache``): a
query sent again, as clients do, is one dict lookup, not a costing of the expanded
document and a hash of its whole syntax tree (what strawberry's ``ValidationCache`` keys
on) per request.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql.language.parser import parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from .errors import OperationNameRequired
from .limits import DocumentLimits, measure, refusals

OFF_LOOP_CHARS = 2_000  # a longer query text is parsed in a worker thread
OFF_LOOP_FIELDS = 100  # a document with more expanded fields is validated in a worker thread
CACHE_SIZE = 256  # checked documents kept per schema (LRU)


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


@dataclass(frozen=True)
class Checked:
    """A parsed document and what its checks found: ``QUERY_TOO_LARGE`` refusals or
    graphql-core's validation errors; empty when it may run."""

    document: DocumentNode
    errors: list[GraphQLError]


class DocumentCache:
    """Checked documents by (query text, validation rules), least recently used first out.

    One per schema, shared by its requests (and their worker threads). A document's
    checks depend only on its text, the schema, its limits and the rules, so a cached
    answer is the answer. Syntax errors are not kept: they raise before a document exists.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, tuple[Any, ...]], Checked] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, tuple[Any, ...]]) -> Checked | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, tuple[Any, ...]], checked: Checked) -> None:
        with self._lock:
            self._entries[key] = checked
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


class BoundedValidation(SchemaExtension):
    """Cheap refusals first, then graphql-core's validation of what is left; both cached."""

    def __init__(self, limits: DocumentLimits, documents: DocumentCache) -> None:
        super().__init__()
        self.limits = limits
        self.documents = documents
        self.checked: Checked | None = None  # this request's document, when it was checked before

    def _key(self) -> tuple[str, tuple[Any, ...]]:
        context = self.execution_context
        return context.query or "", context.validation_rules

    def lookup(self) -> bool:
        """Take the document and its checks from the cache; False if they are not there."""
        self.checked = self.documents.get(self._key())
        if self.checked is not None:
            self.execution_context.graphql_document = self.checked.document
        return self.checked is not None

    def parse(self) -> None:
        """Parse within the token limit (strawberry's ``MaxTokensLimiter``, without an
        extension of its own per request)."""
        context = self.execution_context
        options: dict[str, Any] = {**context.parse_options, "max_tokens": self.limits.max_tokens}
        context.graphql_document = parse(context.query or "", **options)

    def check(self) -> list[GraphQLError]:
        """The document's refusals, else its validation errors (and keep them)."""
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        errors = refusals(document, self.limits) or validate_document(context.schema._schema, document,
                                                                       context.validation_rules)
        self.documents.put(self._key(), Checked(document, errors))
        return errors

    def validate(self) -> None:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        refusal = operation_name_refusal(document, _provided_operation_name(context))
        if refusal is not None:
            context.pre_execution_errors = [refusal]
        else:
            context.pre_execution_errors = self.checked.errors if self.checked is not None else self.check()

    def on_parse(self) -> Iterator[None]:
        if not self.lookup():
            self.parse()
        yield

    def on_validate(self) -> Iterator[None]:
        self.validate()
        yield


class OffLoopValidation(BoundedValidation):
    """``BoundedValidation`` for ``execute``: large documents not checked before go to a
    worker thread."""

    async def on_parse(self) -> AsyncIterator[None]:  # type: ignore[override]
        if not self.lookup():
            query = self.execution_context.query
            if query is not None and len(query) > OFF_LOOP_CHARS:
                await asyncio.to_thread(self.parse)
            else:
                self.parse()
        yield

    async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
        document = self.execution_context.graphql_document
        assert document is not None
        if self.checked is None and measure(document).total.fields > OFF_LOOP_FIELDS:
            await asyncio.to_thread(self.validate)
        else:
            self.validate()
        yield


__all__ = [
    "CACHE_SIZE",
    "OFF_LOOP_CHARS",
    "OFF_LOOP_FIELDS",
    "BoundedValidation",
    "Checked",
    "DocumentCache",
    "OffLoopValidation",
    "operation_name_refusal",
]
