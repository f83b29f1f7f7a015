"""Argument types with their descriptions, shared by every resolver that takes them, so
the same argument reads the same everywhere in the schema."""

from __future__ import annotations

from typing import Annotated

import strawberry

Lang = Annotated[str | None, strawberry.argument(
    description="BCP 47 language tag wanted, e.g. `ja`; falls back to `en`, then to any language.")]
First = Annotated[int | None, strawberry.argument(description="How many items to return, 0 to 100.")]
After = Annotated[str | None, strawberry.argument(
    description="Start after this cursor (a `pageInfo.endCursor` this API returned).")]
EntityId = Annotated[strawberry.ID, strawberry.argument(
    description="Entity id: a slug (`nvidia`), a `ckr:` name or a full IRI.")]
Predicates = Annotated[list[str] | None, strawberry.argument(
    description="Only facts with these predicates (local names, e.g. `makes`); all if omitted.")]

__all__ = ["After", "EntityId", "First", "Lang", "Predicates"]
