"""GraphQL execution on a frame stack with room, against CPython's chunk thrashing.

CPython (3.11 up to the fix for gh-142183, in 3.14 and late 3.13 releases) keeps Python
frames in 16 KB chunks and frees a chunk the moment its first frame returns. graphql-core
completes a result recursively, about ten frames per level of the query; the bench's
entity query reaches ~15 KB of frames, so in the server its deepest levels straddle a
chunk boundary and every visit maps and unmaps a chunk: ~30 mmap/munmap pairs per request.

``on_fresh_stack(fn, ...)`` calls ``fn`` from a frame too large for any chunk's remainder,
so CPython gives it a chunk of its own of 64 KB with ~39 KB free above it: the whole
synchronous execution fits there, for one mmap/munmap per request. Only the frame's size
changes (unused evaluation-stack slots, never initialised or touched).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Slots of 8 bytes: 3,100 (~24 KB) plus CPython's 1,000-slot minimum overhead needs more than
# 32 KB, so the chunk allocated for this frame is 64 KB.
STACK_SLOTS = 3100


def on_fresh_stack(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, its frames on a chunk of their own (see the module)."""
    return fn(*args, **kwargs)


on_fresh_stack.__code__ = on_fresh_stack.__code__.replace(co_stacksize=STACK_SLOTS)

__all__ = ["STACK_SLOTS", "on_fresh_stack"]
