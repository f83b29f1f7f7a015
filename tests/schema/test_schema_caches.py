"""What the schema keeps between requests, and that keeping it changes no answer.

A document's checks (limits, then graphql-core's rules) run once per query text and
schema; a ``relations`` page read since the last write is assembled from the graph's read
cache on the event loop, without a graph call in a worker thread.
"""

from __future__ import annotations

import asyncio

from chipkg.schema import Context, build_schema, validation
from chipkg.schema.validation import Checked, DocumentCache

ENTITY = """query Entity($id: ID!) { entity(id: $id) { id label relations(first: 3) { totalCount
  edges { node { predicate direction source { id label } target { id label }
  evidence { text lang paragraph source { id } } } } } } }"""
TWO_OPERATIONS = "query A { stats { triples } } query B { entity(id: \"h20\") { id } }"


def run(schema, kg, query, **options):
    return asyncio.run(schema.execute(query, context_value=Context.for_request(kg), **options))


def test_a_document_is_checked_once(seed_graph, monkeypatch):
    schema = build_schema()
    calls = {"refusals": 0, "validate": 0}

    def counted(name, inner):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return inner(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(validation, "refusals", counted("refusals", validation.refusals))
    monkeypatch.setattr(validation, "validate_document", counted("validate", validation.validate_document))
    first = run(schema, seed_graph, ENTITY, variable_values={"id": "nvidia"})
    again = run(schema, seed_graph, ENTITY, variable_values={"id": "h20"})
    assert first.errors is None and again.errors is None and again.data["entity"]["id"] == "h20"
    assert calls == {"refusals": 1, "validate": 1}


def test_a_refused_document_is_refused_the_same_way_again(seed_graph):
    schema = build_schema(max_fields=5)
    query = '{ entity(id: "h20") { id label iri types labels { value } } }'
    first, again = run(schema, seed_graph, query), run(schema, seed_graph, query)
    assert [(e.message, e.extensions["code"]) for e in first.errors] == \
           [(e.message, e.extensions["code"]) for e in again.errors]
    assert {e.extensions["code"] for e in again.errors} == {"QUERY_TOO_LARGE"}
    invalid = "{ entity(id: \"h20\") { nope } }"
    assert [e.message for e in run(schema, seed_graph, invalid).errors] == \
           [e.message for e in run(schema, seed_graph, invalid).errors]


def test_a_checked_document_still_needs_its_operation_name(seed_graph):
    """The cache holds the document's checks, not the request's: naming the operation once
    does not let the next request leave it out."""
    schema = build_schema()
    named = run(schema, seed_graph, TWO_OPERATIONS, operation_name="B")
    assert named.errors is None and named.data == {"entity": {"id": "h20"}}
    (error,) = run(schema, seed_graph, TWO_OPERATIONS).errors
    assert error.extensions["code"] == "OPERATION_NAME_REQUIRED"


def test_the_document_cache_keeps_the_most_recently_used():
    cache = DocumentCache(size=2)
    entries = {text: Checked(document=None, errors=[]) for text in "abc"}  # type: ignore[arg-type]
    cache.put(("a", ()), entries["a"])
    cache.put(("b", ()), entries["b"])
    assert cache.get(("a", ())) is entries["a"]  # now the most recent
    cache.put(("c", ()), entries["c"])
    assert cache.get(("b", ())) is None and cache.get(("a", ())) is entries["a"]


def test_a_page_read_again_needs_no_graph_call(schema, seed_graph, store_kind, monkeypatch):
    calls = []
    monkeypatch.setattr(seed_graph, "relation_pages",
                        lambda requests, inner=seed_graph.relation_pages: calls.append(requests) or inner(requests))
    seed_graph.entity_cache.clear()
    first = run(schema, seed_graph, ENTITY, variable_values={"id": "nvidia"})
    assert len(calls) == 1
    again = run(schema, seed_graph, ENTITY, variable_values={"id": "nvidia"})
    assert again.data == first.data and again.errors is None
    assert len(calls) == (2 if store_kind == "sparql" else 1)  # a remote traversal is never read on the loop


def test_what_was_read_since_the_last_write_is_returned_at_once(seed_graph, store_kind):
    """No await (no DataLoader batch, no turn of the event loop) for an entity or a page
    already read; on a SPARQL server the loaders always answer (asking it for its version
    would be a round trip on the event loop)."""
    from inspect import isawaitable

    from chipkg.graph.model import Direction

    iri = "https://w3id.org/chipkg/resource/nvidia"
    key = (iri, None, Direction.BOTH, None, 3)

    async def probe() -> tuple[bool, bool]:
        context = Context.for_request(seed_graph)
        entity, page = context.entity_now(iri), context.page_now(key)
        waited = isawaitable(entity), isawaitable(page)
        for pending in (entity, page):
            if isawaitable(pending):
                await pending
        return waited

    seed_graph.entity_cache.clear()
    assert asyncio.run(probe()) == (True, True)
    assert asyncio.run(probe()) == ((True, True) if store_kind == "sparql" else (False, False))
