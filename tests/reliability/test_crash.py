"""Crash safety on the on-disk store: clients stream writes (``addEntity``, then
``addFact`` linking it to the previous one), each acknowledged; the server is killed with
SIGKILL mid-stream at a random moment; ``chipkg serve`` restarts on the same directory
(a plain open, no repair step exists or is run). Then every acknowledged write must be
there, no fact may lack its provenance statement (a SPARQL check on the live store, and
the full SHACL shapes over its export), and the stream goes on to the next kill.
CI: 3 kills; on demand: 20 or more.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from chipkg.graph import KnowledgeGraph
from chipkg.graph.store import OxigraphStore

from .support import (
    ARTICLE,
    EVIDENCE,
    EVIDENCE_PARAGRAPH,
    TOKEN,
    Server,
    graphql,
    knob,
    start_server,
)

KILLS = knob("kills", 3, 20)
WRITERS = knob("crash_writers", 2, 4)

ADD_ENTITY = "mutation($i: AddEntityInput!) { addEntity(input: $i) { id } }"
ADD_FACT = "mutation($i: AddFactInput!) { addFact(input: $i) { predicate } }"
FACTS_WITHOUT_PROVENANCE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX ckg: <https://w3id.org/chipkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?p ?o WHERE {
  ?p a owl:ObjectProperty . ?s ?p ?o .
  FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ckg:evidence ?e ;
                          prov:wasDerivedFrom ?source }
}"""


class Stream:
    """Writers that add entities and facts until the server goes away, remembering what
    the server acknowledged."""

    def __init__(self, base: str, round_: int) -> None:
        self.base = base
        self.round = round_
        self.entities: list[str] = []
        self.facts: list[tuple[str, str]] = []
        self.in_flight = 0  # writes the kill cut off: neither acknowledged nor refused
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._write, args=(w,)) for w in range(WRITERS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)

    def _write(self, writer: int) -> None:
        previous = None
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=self.base, timeout=30, headers=headers) as http:
            for n in range(100_000):
                entity_id = f"crash-{self.round}-{writer}-{n}"
                try:
                    ok = self._send(http, ADD_ENTITY, {"i": {"type": "Company", "label": f"Crash {entity_id}",
                                                             "labelJa": f"クラッシュ{n}", "id": entity_id}})
                    if not ok:
                        return
                    with self.lock:
                        self.entities.append(entity_id)
                    if previous is not None:
                        if not self._send(http, ADD_FACT, {"i": {
                                "subject": previous, "predicate": "competesWith", "object": entity_id,
                                "evidence": EVIDENCE, "source": ARTICLE, "paragraph": EVIDENCE_PARAGRAPH}}):
                            return
                        with self.lock:
                            self.facts.append((previous, entity_id))
                    previous = entity_id
                except httpx.TransportError:
                    with self.lock:
                        self.in_flight += 1
                    return  # the server is gone: whatever was in flight is unacknowledged

    @staticmethod
    def _send(http: httpx.Client, query: str, variables: dict[str, Any]) -> bool:
        response = http.post("/graphql", json={"query": query, "variables": variables})
        if response.status_code != 200:
            return False
        body = response.json()
        assert not body.get("errors"), body  # a refusal here would be a bug, not the crash
        return True


def _check(server: Server, entities: list[str], facts: list[tuple[str, str]]) -> int:
    """Everything acknowledged is there; no fact lacks provenance; the shapes hold. Returns
    the number of triples."""
    with httpx.Client(base_url=server.base, timeout=60) as http:
        for start in range(0, len(entities), 25):
            chunk = entities[start:start + 25]
            query = "{ " + " ".join(f'e{i}: entity(id: "{e}") {{ id relations(predicate: ["competesWith"], '
                                    f"direction: OUTGOING) {{ nodes {{ targetId evidence {{ text }} }} }} }}"
                                    for i, e in enumerate(chunk)) + " }"
            data = graphql(http, query)["data"]
            for i, entity_id in enumerate(chunk):
                assert data[f"e{i}"] is not None, f"acknowledged entity {entity_id} is missing"
        for subject in {s for s, _ in facts}:
            body = graphql(http, 'query($id: ID!) { entity(id: $id) { relations(predicate: ["competesWith"], '
                                 "direction: OUTGOING, first: 100) { nodes { targetId evidence { text } } } } }",
                           {"id": subject})
            targets = {r["targetId"] for r in body["data"]["entity"]["relations"]["nodes"]
                       if [e["text"] for e in r["evidence"]] == [EVIDENCE]}
            missing = [o for s, o in facts if s == subject and o not in targets]
            assert not missing, f"acknowledged facts {subject} competesWith {missing} are missing"
        orphans = http.get("/sparql", params={"query": FACTS_WITHOUT_PROVENANCE},
                           headers={"Accept": "application/sparql-results+json"})
        assert orphans.status_code == 200, orphans.text
        assert orphans.json()["results"]["bindings"] == [], orphans.text[:500]
        exported = http.get("/export", headers={"Accept": "application/n-triples"}).content
    store = OxigraphStore()
    store.apply((), [q.triple for q in ox.parse(exported, format=ox.RdfFormat.N_TRIPLES)])
    graph = KnowledgeGraph(store, seed_data=False)
    assert graph.validate() == []
    return len(store)


def test_acknowledged_writes_survive_sigkill(tmp_path: Path, figures: dict[str, Any]) -> None:
    directory = tmp_path / "store"
    log = tmp_path / "server.log"
    chance = random.Random(20)
    entities: list[str] = []
    facts: list[tuple[str, str]] = []
    restarts: list[float] = []
    in_flight = 0
    server = start_server(log, store=f"oxigraph:{directory}")
    try:
        for round_ in range(KILLS):
            stream = Stream(server.base, round_)
            stream.start()
            time.sleep(chance.uniform(0.3, 2.0))  # somewhere mid-stream
            server.kill()
            stream.join()
            entities += stream.entities
            facts += stream.facts
            in_flight += stream.in_flight
            assert stream.entities, "nothing was acknowledged before the kill: move the kill later"
            started = time.monotonic()
            server = start_server(log, store=f"oxigraph:{directory}")  # a plain open of the same directory
            restarts.append(time.monotonic() - started)
            triples = _check(server, entities, facts)
    finally:
        server.stop()
    text = log.read_text("utf-8", "replace")
    assert "repair" not in text.lower() and "corrupt" not in text.lower()
    figures["crash.kills_survived"] = KILLS
    figures["crash.writes_acknowledged"] = len(entities) + len(facts)
    figures["crash.entities_acknowledged"] = len(entities)
    figures["crash.facts_acknowledged"] = len(facts)
    figures["crash.writes_lost"] = 0
    figures["crash.writes_cut_off_by_a_kill"] = in_flight
    figures["crash.restart_s.max"] = round(max(restarts), 2)
    figures["crash.triples_at_end"] = triples
    print(f"\ncrash: {KILLS} SIGKILLs survived, {len(entities)} entities and {len(facts)} facts acknowledged, "
          f"none lost; restarts took up to {max(restarts):.1f} s")
