"""The GraphQL schema (strawberry) over a ``KnowledgeGraph``: types, resolvers, limits.

``build_schema()`` returns a schema to execute in-process or serve; the graph reaches
resolvers through a per-request ``Context``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from .. import seed
from .classes import read as read_ontology
from .context import Context
from .errors import is_unexpected, with_codes
from .executor import executor_for
from .generation import generate
from .limits import DocumentLimits
from .mutation import Mutation
from .stack import on_fresh_stack
from .surrogates import surrogate_refusal
from .validation import BoundedValidation, DocumentCache, OffLoopValidation

MAX_DEPTH = DocumentLimits.max_depth
MAX_ALIASES = DocumentLimits.max_aliases
MAX_TOKENS = DocumentLimits.max_tokens
MAX_FIELDS = DocumentLimits.max_fields
MAX_REPEATS = DocumentLimits.max_repeats


def _refused_input(args: tuple[Any, ...], kwargs: dict[str, Any]) -> ExecutionResult | None:
    """The request's text checked once, before strawberry parses it (see ``surrogates``)."""
    query = kwargs.get("query", args[0] if args else None)
    variables = kwargs.get("variable_values", args[1] if len(args) > 1 else None)
    operation_name = kwargs.get("operation_name", args[4] if len(args) > 4 else None)
    refusal = surrogate_refusal(query, variables, operation_name)
    return with_codes(ExecutionResult(data=None, errors=[refusal])) if refusal else None


class ChipKGSchema(strawberry.Schema):
    """A strawberry schema whose every error carries ``extensions.code``, which refuses text
    that is not Unicode before anything reads it, and which parses and validates within
    ``limits`` (see ``validation``)."""

    def __init__(self, *args: Any, limits: DocumentLimits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or DocumentLimits()
        self.documents = DocumentCache()  # checked documents, shared by this schema's requests

    def get_extensions(self, sync: bool = False) -> list[SchemaExtension]:
        # Built per request, like strawberry's own; execute_sync has no event loop to keep
        # free, so it gets the variant without worker threads.
        validation = (BoundedValidation if sync else OffLoopValidation)(self.limits, self.documents)
        return [*super().get_extensions(sync), validation]

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        return _refused_input(args, kwargs) or with_codes(await super().execute(*args, **kwargs))

    def execute_sync(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        return _refused_input(args, kwargs) or with_codes(super().execute_sync(*args, **kwargs))

    def _get_execute_function(self) -> Any:
        # strawberry's hook for which graphql-core function executes an operation.
        execute = super()._get_execute_function()
        return lambda *args, **kwargs: on_fresh_stack(execute, *args, **kwargs)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        super().process_errors([e for e in errors if is_unexpected(e)], execution_context)


def build_schema(*, max_depth: int = MAX_DEPTH, max_aliases: int = MAX_ALIASES, max_tokens: int = MAX_TOKENS,
                 max_fields: int = MAX_FIELDS, max_repeats: int = MAX_REPEATS,
                 ontology: Path | None = None) -> strawberry.Schema:
    """The chipkg schema with its limits on (depth, aliases, tokens, expanded fields, repeated
    fields; see ``limits.DocumentLimits``) and its parse and validation caches; its entity
    types come from ``ontology`` (the shipped ``ontology.ttl`` by default)."""
    generated = generate(read_ontology(ontology or seed.ONTOLOGY))
    limits = DocumentLimits(max_depth=max_depth, max_aliases=max_aliases, max_tokens=max_tokens, max_fields=max_fields,
                    max_repeats=max_repeats)
    # ChipKGSchema.get_extensions adds the parsing (within the token limit) and validation step.
    schema = ChipKGSchema(query=generated.query, mutation=Mutation, types=generated.types, limits=limits)
    generated.attach(schema)
    schema.execution_context_class = executor_for(schema._schema)  # after attach: it reads the plain resolvers
    return schema


__all__ = ["ChipKGSchema", "Context", "DocumentLimits", "build_schema"]
