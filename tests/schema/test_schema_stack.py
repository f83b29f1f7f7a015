"""GraphQL execution runs from a frame that gets a frame-stack chunk of its own (``stack.py``):
it answers as a plain call would, and the schema really executes through it."""

from __future__ import annotations

import asyncio

import pytest

import chipkg.schema as schema_module
from chipkg.schema import Context
from chipkg.schema.stack import STACK_SLOTS, on_fresh_stack


def test_it_is_a_plain_call_with_a_large_frame():
    assert on_fresh_stack(lambda a, b=0: a + b, 1, b=2) == 3
    with pytest.raises(ZeroDivisionError):
        on_fresh_stack(lambda: 1 / 0)
    assert on_fresh_stack.__code__.co_stacksize == STACK_SLOTS


def test_the_schema_executes_through_it(schema, seed_graph, monkeypatch):
    """Pins strawberry's ``_get_execute_function`` hook: were it renamed, execution would
    silently go back to the thrashing stack."""
    calls = []

    def counting(fn, *args, **kwargs):
        calls.append(fn)
        return on_fresh_stack(fn, *args, **kwargs)

    monkeypatch.setattr(schema_module, "on_fresh_stack", counting)
    result = asyncio.run(schema.execute('{ entity(id: "h20") { id } }', context_value=Context.for_request(seed_graph)))
    assert result.errors is None and result.data == {"entity": {"id": "h20"}}
    assert len(calls) == 1
