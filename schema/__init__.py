"""The GraphQL schema (strawberry) over a ``KnowledgeGraph``: types, resolvers, limits.

``build_schema()`` returns a schema to execute in-process or serve; the graph reaches
resolvers through a per-request ``Context``.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.types import ExecutionResult
from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, \
    ValidationCache

from .context import Context
from .entities import ENTITY_TYPES
from .errors import is_unexpected, with_codes
from .mutation import Mutation
from .query import Query

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000


class ChipKGSchema(strawberry.Schema):
    """A strawberry schema whose every error carries ``extensions.code``."""

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:  # type: ignore[override]
        return with_codes(await super().execute(*args, **kwargs))

    def execute_sync(self, *args: Any, **kwargs: Any) -> ExecutionResult:  # type: ignore[override]
        return with_codes(super().execute_sync(*args, **kwargs))

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        super().process_errors([e for e in errors if is_unexpected(e)], execution_context)


def build_schema(*, max_depth: int = MAX_DEPTH, max_aliases: int = MAX_ALIASES,
                 max_tokens: int = MAX_TOKENS) -> strawberry.Schema:
    """The chipkg schema with its limits on (depth, aliases, tokens) and parse caches."""
    # The depth and alias limits are validation rules. Built once, so every request
    # adds the same rule classes and strawberry's ValidationCache can hit (a limiter
    # built per request makes a new rule class, and the cache missed every time).
    limit_rules = [*QueryDepthLimiter(max_depth=max_depth).validation_rules,
                   *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules]
    return ChipKGSchema(
        query=Query, mutation=Mutation, types=list(ENTITY_TYPES),
        extensions=[
            # Factories: strawberry builds fresh extensions per request; the parse and
            # validation caches themselves are shared, keyed by maxsize.
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            lambda: AddValidationRules(limit_rules),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ])


__all__ = ["ChipKGSchema", "Context", "build_schema"]
