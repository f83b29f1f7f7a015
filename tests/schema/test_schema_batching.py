"""No N+1: a page of companies with their relations costs a fixed number of batched calls.

What is counted, and why. The store is wrapped in ``CountingStore`` (a decorator that
delegates to a real ``OxigraphStore`` and counts ``triples``/``query`` calls). At that level
the cost is legitimately linear: ``KnowledgeGraph.entities`` reads each entity with one
in-process pattern match (``triples(subject)``) and evidence costs one match per subject and
per statement — cheap, in-memory, and no round trips. The N+1 a GraphQL schema can
introduce is one *graph-layer* call per parent object, so the assertion that matters is on
``KnowledgeGraph.cached_entities``, ``relations_many`` and ``relation_pages`` (the DataLoaders' calls; the
entity cache is emptied before each query so that reads are counted): their number of calls must not depend on
how many companies are on the page (one per DataLoader batch). Store calls are checked only
to grow linearly with a small constant and to include no SPARQL queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest

from chipkg import KnowledgeGraph
from chipkg.graph.store import OxigraphStore

ADDED = 50
# Paragraph 5 of the article (line 6 of the text); any verbatim sentence would do.
EVIDENCE = "Huaweiは、高度なAIシステムを駆動するNvidiaと直接競合するように設計された、多数のチップを展示しました。"


class CountingStore:
    """A ``TripleStore`` that delegates to a real one and counts the calls that read it."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def triples(self, subject=None, predicate=None, obj=None) -> Iterator[ox.Triple]:
        self.calls["triples"] += 1
        return self.inner.triples(subject, predicate, obj)

    def triples_of(self, subjects) -> Iterator[ox.Triple]:
        self.calls["triples_of"] += 1  # one batched round trip, however many subjects
        return self.inner.triples_of(subjects)

    def triples_to(self, predicate, objects) -> Iterator[ox.Triple]:
        self.calls["triples_to"] += 1
        return self.inner.triples_to(predicate, objects)

    def query(self, sparql: str, **options: object) -> object:
        self.calls["query"] += 1
        return self.inner.query(sparql, **options)

    def update(self, sparql: str) -> None:
        self.inner.update(sparql)  # the write check's scratch graphs: a write, not a read

    def apply(self, remove: Iterable[ox.Triple], add: Iterable[ox.Triple], *, also: str = "") -> None:
        self.inner.apply(remove, add, also=also)

    def bulk_load(self, source, fmt) -> None:
        self.inner.bulk_load(source, fmt)

    def __len__(self) -> int:
        return len(self.inner)

    def close(self) -> None:
        self.inner.close()


def counted(counter: Counter[str], name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` with each call counted under ``name`` and its batch size under ``name + ".items"``."""

    def wrapper(ids: Iterable[str], *args: Any, **kwargs: Any) -> Any:
        ids = list(ids)
        counter[name] += 1
        counter[name + ".items"] += len(ids)
        return method(ids, *args, **kwargs)

    return wrapper


class Measured:
    def __init__(self, kg: KnowledgeGraph, store: CountingStore, graph_calls: Counter[str]) -> None:
        self.kg, self.store, self.graph_calls = kg, store, graph_calls

    def run(self, execute, query: str) -> tuple[dict[str, Any], Counter[str], Counter[str]]:
        self.store.calls.clear()
        self.graph_calls.clear()
        self.kg.entity_cache.clear()  # count cold reads: the cache would hide them
        result = execute(self.kg, query)
        assert result.errors is None, result.errors
        return result.data, Counter(self.graph_calls), Counter(self.store.calls)


@pytest.fixture(scope="module")
def measured() -> Measured:
    store = CountingStore(OxigraphStore())
    kg = KnowledgeGraph(store=store)
    for i in range(ADDED):  # "Acme Chips 00" … sort before the seed's companies
        assert kg.add_entity("Company", f"Acme Chips {i:02d}", f"アクメ・チップス{i:02d}").id == f"acme-chips-{i:02d}"
    # A ring, so every company has one fact as subject and one as object and no write's
    # validation region grows with the graph (a hub object would make this quadratic).
    for i in range(ADDED):
        kg.add_fact(f"acme-chips-{i:02d}", "competesWith", f"acme-chips-{(i + 1) % ADDED:02d}",
                    evidence=EVIDENCE, source_id="h20-article", paragraph=5)
    graph_calls: Counter[str] = Counter()
    kg.cached_entities = counted(graph_calls, "entities", kg.cached_entities)  # type: ignore[method-assign]
    kg.relations_many = counted(graph_calls, "relations_many", kg.relations_many)  # type: ignore[method-assign]
    kg.relation_pages = counted(graph_calls, "relation_pages", kg.relation_pages)  # type: ignore[method-assign]
    return Measured(kg, store, graph_calls)


def test_the_evidence_used_is_verbatim(article_ja):
    assert EVIDENCE in article_ja.splitlines()[5]


COMPANIES = ("{ companies(first: %d) { edges { node { id label "
             "relations { edges { node { predicate evidence { text } } } } } } } }")
COMPANIES_WITH_ENDS = ("{ companies(first: %d) { edges { node { id label relations { edges { node { predicate "
                       "source { id label } target { id label } evidence { text source { id } } } } } } } } }")
TWO_HOPS = ("{ companies(first: %d) { nodes { id relations { nodes { target { id relations { nodes { predicate "
            "sourceId } } } } } } } }")
TYPED = ("{ companies(first: %d) { nodes { id products { id } ceo { id } competitors { id label } "
         "summonedBy { id } } } }")

# query, graph-layer calls expected whatever the page size. A `relations` page is one
# `relation_pages` call for the whole batch, which also reads the ends and the articles.
CASES = [
    (COMPANIES, {"entities": 1, "relation_pages": 1}),
    (COMPANIES_WITH_ENDS, {"entities": 1, "relation_pages": 1}),
    (TWO_HOPS, {"entities": 1, "relation_pages": 2}),
    # One relations batch, one graph call per (predicate, direction) group in it: four.
    (TYPED, {"entities": 2, "relations_many": 4}),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=["relations", "relation-ends", "two-hops", "typed-fields"])
def test_graph_calls_do_not_grow_with_the_page(measured, execute, query, expected):
    small, small_calls, _ = measured.run(execute, query % 5)
    large, large_calls, _ = measured.run(execute, query % 55)
    small_nodes = small["companies"].get("nodes") or [e["node"] for e in small["companies"]["edges"]]
    large_nodes = large["companies"].get("nodes") or [e["node"] for e in large["companies"]["edges"]]
    assert len(small_nodes) == 5 and len(large_nodes) == 55
    assert large_nodes[0]["id"] == "acme-chips-00" and large_nodes[-1]["id"] == "moonshot-ai"
    calls = lambda counter: {k: v for k, v in counter.items() if "." not in k}  # noqa: E731
    assert calls(small_calls) == calls(large_calls) == expected
    # The batches really held the page: one call loaded all 55 companies.
    assert large_calls["entities.items"] >= 55 > small_calls["entities.items"]


def test_relations_are_really_there(measured, execute):
    data, _, _ = measured.run(execute, COMPANIES % 55)
    nodes = [e["node"] for e in data["companies"]["edges"]]
    acme = [n for n in nodes if n["id"].startswith("acme-chips-")]
    assert len(acme) == ADDED
    for node in acme:
        relations = [e["node"] for e in node["relations"]["edges"]]
        assert [r["predicate"] for r in relations] == ["competesWith", "competesWith"]
        assert all(r["evidence"] == [{"text": EVIDENCE}] for r in relations)


@pytest.mark.parametrize("query", [COMPANIES, COMPANIES_WITH_ENDS], ids=["relations", "relation-ends"])
def test_store_round_trips_do_not_grow_with_the_page(measured, execute, query):
    """Entities and evidence are read with batched ``triples_of``/``triples_to`` calls (one
    SPARQL ``VALUES`` query each on a remote store), so the number of round trips is the
    same for 5 companies as for 55."""
    _, _, small = measured.run(execute, query % 5)
    _, _, large = measured.run(execute, query % 55)
    assert small["triples_of"] > 0, "the counting store is not in the read path"
    assert small["query"] == large["query"] == 0, "reads should be pattern matches, not SPARQL"
    for method in ("triples", "triples_of", "triples_to"):
        assert large[method] == small[method], f"{method}: {small[method]} calls for 5, {large[method]} for 55"
