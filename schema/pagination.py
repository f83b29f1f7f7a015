"""Relay-style connections with opaque cursors.

A cursor encodes the sort key of the item it points at, not an offset, so paging stays
correct when items are added before the cursor between two requests.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from ..graph import InvalidInput, QueryTooLarge
from .plain import PLAIN

T = TypeVar("T")
MAX_FIRST = 100
_PREFIX = "ckg1:"


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_PREFIX + key).encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX):
        raise InvalidInput(f"invalid cursor {cursor!r}: pass a cursor this API returned")
    return text[len(_PREFIX):]


def check_first(first: int | None, default: int = 20) -> int:
    first = default if first is None else first
    if first < 0:
        raise InvalidInput(f"first must not be negative, not {first}")
    if first > MAX_FIRST:
        raise QueryTooLarge(f"first must be between 0 and {MAX_FIRST}, not {first}")
    return first


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item on the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`.")


@strawberry.type(description="One item of a connection and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items on this page with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="How many items the whole list has.")

    @strawberry.field(description="The items on this page, without cursors.",
                      metadata={PLAIN: lambda source, info: [edge.node for edge in source.edges]})
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def paginate(items: Sequence[T], key: Callable[[T], str], first: int | None, after: str | None,
             descending: bool = False) -> tuple[list[tuple[str, T]], PageInfo, int]:
    """The page of ``items`` (already sorted by ``key``, highest first if ``descending``)
    after the cursor ``after``."""
    size = check_first(first)
    start = 0
    if after is not None:
        marker = decode_cursor(after)
        start = next((i for i, item in enumerate(items) if (key(item) < marker if descending else key(item) > marker)),
                     len(items))
    chosen = [(encode_cursor(key(item)), item) for item in items[start:start + size]]
    info = PageInfo(has_next_page=start + size < len(items), has_previous_page=start > 0,
                    start_cursor=chosen[0][0] if chosen else None,
                    end_cursor=chosen[-1][0] if chosen else None)
    return chosen, info, len(items)


__all__ = ["MAX_FIRST", "Connection", "Edge", "PageInfo", "check_first", "decode_cursor", "encode_cursor", "paginate"]
