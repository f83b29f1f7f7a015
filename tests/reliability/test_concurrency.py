"""Consistency under concurrency: readers never see a fact without its evidence, an entity
without both its labels, or any other half-applied write; concurrent writers never lose
each other's writes. In-process (threads on one ``KnowledgeGraph``, and the GraphQL
schema run from threads) and over HTTP.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from chipkg.graph import Direction, KnowledgeGraph
from chipkg.schema import Context, build_schema

from .support import ARTICLE, EVIDENCE, EVIDENCE_PARAGRAPH, TOKEN, Server, graphql, knob, served_on_disk

WRITERS = knob("concurrency_writers", 4, 8)
FACTS_PER_WRITER = knob("concurrency_facts", 8, 12)
READERS = knob("concurrency_readers", 4, 8)
CHURNED = knob("concurrency_churned", 4, 12)  # facts each of two writers adds then removes
CKG = "https://w3id.org/chipkg/ontology#"


def _run_until(workers: list[Callable[[], None]], readers: list[Callable[[threading.Event], None]]) -> None:
    """Run writers to the end while readers loop; re-raise the first failure of any."""
    failures: list[BaseException] = []
    done = threading.Event()

    def guard(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                failures.append(exc)
                done.set()
        return run

    writer_threads = [threading.Thread(target=guard(w)) for w in workers]
    reader_threads = [threading.Thread(target=guard(lambda r=r: r(done))) for r in readers]
    for thread in reader_threads + writer_threads:
        thread.start()
    for thread in writer_threads:
        thread.join(timeout=300)
    done.set()
    for thread in reader_threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]


def _pairs(prefix: str, writers: int, per_writer: int) -> list[list[tuple[str, str]]]:
    """Distinct (subject, object) pairs, ``per_writer`` for each writer, none shared."""
    count = 2
    while count * (count - 1) // 2 < writers * per_writer:
        count += 1
    pairs = list(itertools.combinations([f"{prefix}-{i}" for i in range(count)], 2))
    return [pairs[w * per_writer:(w + 1) * per_writer] for w in range(writers)]


@pytest.fixture
def graph_with_companies() -> Iterator[tuple[KnowledgeGraph, list[list[tuple[str, str]]]]]:
    kg = KnowledgeGraph()
    plan = _pairs("cc", WRITERS, FACTS_PER_WRITER)
    for entity_id in sorted({e for pairs in plan for pair in pairs for e in pair}):
        kg.add_entity("Company", f"Concurrent {entity_id}", f"並行{entity_id}", entity_id=entity_id)
    yield kg, plan
    kg.close()


def test_threads_on_one_graph(graph_with_companies: tuple[KnowledgeGraph, list[list[tuple[str, str]]]],
                              figures: dict[str, Any]) -> None:
    kg, plan = graph_with_companies
    subjects = sorted({s for pairs in plan for s, _ in pairs})
    start_version = kg.version
    reads = [0]

    def writer(pairs: list[tuple[str, str]]) -> Callable[[], None]:
        def run() -> None:
            for subject, obj in pairs:
                kg.add_fact(subject, "competesWith", obj, evidence=EVIDENCE, source_id=ARTICLE,
                            paragraph=EVIDENCE_PARAGRAPH)
        return run

    def new_entities(done: threading.Event) -> None:
        """A reader racing add_entity: an entity is seen with both labels or not at all."""
        n = 0
        while not done.is_set():
            entity_id = f"racer-{threading.get_ident()}-{n}"
            n += 1
            seen = kg.entities([entity_id])[0]
            assert seen is None
            kg.add_entity("Company", f"Racer {n}", f"レーサー{n}", entity_id=entity_id)

    def reader(done: threading.Event) -> None:
        while not done.is_set():
            for found in kg.relations_many(subjects, [f"{CKG}competesWith"], Direction.BOTH):
                for relation in found:
                    assert [e.text for e in relation.evidence] == [EVIDENCE], relation
            for subject in subjects[:3]:
                for relation in kg.neighborhood(subject, 2).edges:
                    assert relation.evidence, relation
            for entity in kg.entities([f"racer-{i}" for i in range(3)] + subjects[:5]):
                assert entity is None or {label.lang for label in entity.labels} == {"en", "ja"}
            for hit in kg.search("racer", limit=100):
                assert {label.lang for label in hit.labels} == {"en", "ja"}, hit
            reads[0] += 1

    _run_until([writer(pairs) for pairs in plan], [reader] * READERS + [new_entities])
    for pairs in plan:
        for subject, obj in pairs:
            assert [r.object.rsplit("/", 1)[-1] for r in kg.relations(subject, ["competesWith"], Direction.OUTGOING)
                    if r.object.endswith("/" + obj)] == [obj], f"lost {subject} competesWith {obj}"
    written = sum(len(p) for p in plan)
    assert kg.version - start_version >= written
    assert kg.validate() == []
    figures["concurrency.in_process.facts_written"] = written
    figures["concurrency.in_process.reader_passes"] = reads[0]


def test_graphql_from_threads(graph_with_companies: tuple[KnowledgeGraph, list[list[tuple[str, str]]]]) -> None:
    """The schema executed from many threads at once (each with its own loop), writes and
    reads on the same graph."""
    kg, plan = graph_with_companies
    schema = build_schema()
    mutation = "mutation($i: AddFactInput!) { addFact(input: $i) { evidence { text } } }"
    read = 'query($id: ID!) { neighborhood(id: $id, depth: 1) { edges { predicate evidence { text } } } }'

    def execute(query: str, variables: dict[str, Any], authorized: bool = False) -> dict[str, Any]:
        result = asyncio.run(schema.execute(query, variable_values=variables,
                                            context_value=Context.for_request(kg, authorized=authorized)))
        assert not result.errors, result.errors
        return result.data

    def writer(pairs: list[tuple[str, str]]) -> Callable[[], None]:
        def run() -> None:
            for subject, obj in pairs:
                data = execute(mutation, {"i": {"subject": subject, "predicate": "competesWith", "object": obj,
                                                "evidence": EVIDENCE, "source": ARTICLE}}, authorized=True)
                assert data["addFact"]["evidence"]
        return run

    def reader(done: threading.Event) -> None:
        while not done.is_set():
            for subject in ("cc-0", "cc-1", "cc-2"):
                for edge in execute(read, {"id": subject})["neighborhood"]["edges"]:
                    assert edge["evidence"], edge

    _run_until([writer(pairs) for pairs in plan], [reader] * READERS)
    for pairs in plan:
        for subject, obj in pairs:
            assert any(r.object.endswith("/" + obj) for r in kg.relations(subject, ["competesWith"]))


@pytest.fixture(scope="module")
def disk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with served_on_disk(tmp_path_factory.mktemp("concurrency")) as server:
        yield server


def test_concurrent_clients_over_http(disk_server: Server, figures: dict[str, Any]) -> None:
    plan = _pairs("hc", WRITERS, FACTS_PER_WRITER)
    with httpx.Client(base_url=disk_server.base, timeout=60) as setup:
        for entity_id in sorted({e for pairs in plan for pair in pairs for e in pair}):
            body = graphql(setup, "mutation($i: AddEntityInput!) { addEntity(input: $i) { id } }",
                           {"i": {"type": "Company", "label": f"HTTP {entity_id}", "labelJa": f"通信{entity_id}",
                                  "id": entity_id}}, token=TOKEN)
            assert "errors" not in body, body
    subjects = sorted({s for pairs in plan for s, _ in pairs})
    acknowledged: list[tuple[str, str]] = []
    lock = threading.Lock()

    def writer(pairs: list[tuple[str, str]]) -> Callable[[], None]:
        def run() -> None:
            with httpx.Client(base_url=disk_server.base, timeout=60) as http:
                for subject, obj in pairs:
                    body = graphql(http, "mutation($i: AddFactInput!) { addFact(input: $i) { predicate } }",
                                   {"i": {"subject": subject, "predicate": "competesWith", "object": obj,
                                          "evidence": EVIDENCE, "source": ARTICLE}}, token=TOKEN)
                    assert "errors" not in body, body
                    with lock:
                        acknowledged.append((subject, obj))
        return run

    query = ('{ a: neighborhood(id: "hc-0", depth: 2) { edges { evidence { text } } } '
             'companies(first: 100) { nodes { id labels { lang } relations(first: 100) { nodes { evidence '
             '{ text } } } } } }')

    def reader(done: threading.Event) -> None:
        with httpx.Client(base_url=disk_server.base, timeout=60) as http:
            while not done.is_set():
                body = graphql(http, query)
                assert "errors" not in body, body
                for edge in body["data"]["a"]["edges"]:
                    assert edge["evidence"], edge
                for company in body["data"]["companies"]["nodes"]:
                    assert {label["lang"] for label in company["labels"]} == {"en", "ja"}, company
                    for relation in company["relations"]["nodes"]:
                        assert relation["evidence"], company["id"]

    _run_until([writer(pairs) for pairs in plan], [reader] * READERS)
    with httpx.Client(base_url=disk_server.base, timeout=60) as http:
        present = set()
        for subject in subjects:
            body = graphql(http, 'query($id: ID!) { entity(id: $id) { relations(predicate: ["competesWith"], '
                                 "direction: OUTGOING, first: 100) { nodes { targetId } } } }", {"id": subject})
            present |= {(subject, r["targetId"]) for r in body["data"]["entity"]["relations"]["nodes"]}
    assert set(acknowledged) <= present, sorted(set(acknowledged) - present)[:5]
    assert len(acknowledged) == sum(len(p) for p in plan)
    figures["concurrency.http.facts_written"] = len(acknowledged)


def test_removals_and_exports_are_never_half_seen(
        graph_with_companies: tuple[KnowledgeGraph, list[list[tuple[str, str]]]], figures: dict[str, Any]) -> None:
    """Writers add and remove facts (each with its statement) over and over; readers and a
    full export running meanwhile never see a fact without its evidence, or evidence
    whose fact is gone from the same export."""
    kg, plan = graph_with_companies
    subjects = sorted({s for pairs in plan for s, _ in pairs})
    passes = {"reads": 0, "exports": 0}

    def churner(pairs: list[tuple[str, str]]) -> Callable[[], None]:
        def run() -> None:
            for subject, obj in pairs:
                kg.add_fact(subject, "competesWith", obj, evidence=EVIDENCE, source_id=ARTICLE,
                            paragraph=EVIDENCE_PARAGRAPH)
            for subject, obj in pairs:
                kg.remove_fact(subject, "competesWith", obj)
        return run

    def reader(done: threading.Event) -> None:
        while not done.is_set():
            for found in kg.relations_many(subjects, ["competesWith"]):
                for relation in found:
                    assert [e.text for e in relation.evidence] == [EVIDENCE], relation
            for relation in kg.neighborhood(subjects[0], 2).edges:
                assert relation.evidence, relation
            passes["reads"] += 1

    def exporter(done: threading.Event) -> None:
        rdf = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        while not done.is_set():
            facts, described = set(), set()
            parts: dict[str, dict[str, str]] = {}
            for line in kg.export("nt").decode().splitlines():
                s, p, o = line.rstrip(" .").split(" ", 2)
                if p == f"<{CKG}competesWith>" and "/cc-" in s:
                    facts.add((s, o))
                elif p in (rdf + "subject>", rdf + "object>") and "/cc-" in o:
                    parts.setdefault(s, {})[p] = o
            described = {(found[rdf + "subject>"], found[rdf + "object>"]) for found in parts.values()
                         if len(found) == 2}
            assert facts == described, (sorted(facts ^ described)[:3])
            passes["exports"] += 1

    _run_until([churner(pairs[:CHURNED]) for pairs in plan[:2]], [reader] * max(READERS - 1, 1) + [exporter])
    assert all(not kg.relations(s, ["competesWith"]) for s in subjects)
    assert kg.validate() == []
    figures["concurrency.churn.reader_passes"] = passes["reads"]
    figures["concurrency.churn.exports"] = passes["exports"]


def test_readers_do_not_wait_for_a_writer(
        graph_with_companies: tuple[KnowledgeGraph, list[list[tuple[str, str]]]]) -> None:
    """While a writer holds the write lock (as it does for the whole of its checks: up to a
    minute on a hub before the compiled checks), every kind of read still answers."""
    kg, plan = graph_with_companies
    subject, obj = plan[0][0]
    kg.add_fact(subject, "competesWith", obj, evidence=EVIDENCE, source_id=ARTICLE, paragraph=EVIDENCE_PARAGRAPH)
    answered: list[str] = []
    reads: list[tuple[str, Callable[[], object]]] = [
        ("entity", lambda: kg.entity(subject)),
        ("relations", lambda: kg.relations(subject)),
        ("neighborhood", lambda: kg.neighborhood(subject, 2)),
        ("paths", lambda: kg.paths(subject, obj)),
        ("search", lambda: kg.search("Concurrent")),
        ("stats", kg.stats),
        ("export", kg.export),
        ("version", lambda: kg.version),
    ]

    def read_all() -> None:
        for name, read in reads:
            assert read() is not None
            answered.append(name)

    writer_holds = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with kg._gate.writing:  # stands for a writer in the middle of its checks
            writer_holds.set()
            release.wait(120)

    holder = threading.Thread(target=writer)
    holder.start()
    try:
        assert writer_holds.wait(30)
        reader = threading.Thread(target=read_all)
        reader.start()
        reader.join(60)
        assert answered == [name for name, _ in reads], f"reads waited for the writer after {answered}"
    finally:
        release.set()
        holder.join(30)
