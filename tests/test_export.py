"""Export: deterministic Turtle, every format reads back as the same graph, scoped exports.

Read-back goes through pyoxigraph (an independent parser of what chipkg wrote) and the
comparison through ``rdflib.compare.isomorphic``, because the ontology's ``owl:unionOf``
lists are blank nodes whose labels differ between any two readings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from chipkg.graph import InvalidInput, KnowledgeGraph
from chipkg.seed import ONTOLOGY

CKG = "https://w3id.org/chipkg/ontology#"
CKR = "https://w3id.org/chipkg/resource/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL = "http://www.w3.org/2002/07/owl#"

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}

EXPORT_SCRIPT = ("import sys; from chipkg.graph import KnowledgeGraph; "
                 "sys.stdout.buffer.write(KnowledgeGraph().export())")

KG = KnowledgeGraph


def read_back(data: bytes, fmt: str) -> list[ox.Quad]:
    quads = list(ox.parse(data, format=FORMATS[fmt]))
    assert quads, f"the {fmt} export read back empty"
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    return quads


def to_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    nt = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=nt, format="nt")


def export_in_a_new_process(hash_seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    done = subprocess.run([sys.executable, "-c", EXPORT_SCRIPT], capture_output=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


@pytest.fixture(scope="module")
def store_graph(seed_kg: KG) -> rdflib.Graph:
    """The store's triples, read into rdflib without going through any export."""
    graph = to_rdflib([ox.Quad(t.subject, t.predicate, t.object) for t in seed_kg.store.triples()])
    assert len(graph) == len(seed_kg.store) > 1000
    return graph


# ------------------------------------------------------------------ Turtle


def test_turtle_export_is_byte_identical_across_processes(seed_kg: KG) -> None:
    first, second = export_in_a_new_process("1"), export_in_a_new_process("2")
    assert len(first) > 10_000
    assert first == second
    assert seed_kg.export() == first


def test_turtle_export_uses_the_chipkg_prefixes(seed_kg: KG) -> None:
    text = seed_kg.export().decode("utf-8")
    assert f"@prefix ckg: <{CKG}> ." in text
    assert f"@prefix ckr: <{CKR}> ." in text
    assert "ckr:nvidia ckg:makes ckr:h20" in text or "ckr:nvidia a ckg:Company" in text
    assert f"<{CKR}nvidia>" not in text, "resource IRIs should be written as ckr: names"
    assert f"<{CKG}makes>" not in text, "ontology IRIs should be written as ckg: names"


# ------------------------------------------------------------------ every format reads back


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_reads_back_as_the_same_graph(seed_kg: KG, store_graph: rdflib.Graph, fmt: str) -> None:
    quads = read_back(seed_kg.export(fmt), fmt)
    assert len(quads) == len(store_graph)
    assert isomorphic(to_rdflib(quads), store_graph)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_is_stable_within_a_process(seed_kg: KG, fmt: str) -> None:
    assert seed_kg.export(fmt) == seed_kg.export(fmt)


def test_jsonld_has_an_inline_context(seed_kg: KG) -> None:
    document = json.loads(seed_kg.export("jsonld"))
    assert isinstance(document["@context"], dict)
    assert document["@context"].get("ckr") == CKR

    def contexts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    yield value
                yield from contexts(value)
        elif isinstance(node, list):
            for item in node:
                yield from contexts(item)

    found = list(contexts(document))
    assert found and all(isinstance(c, dict) for c in found), "a remote (URL) @context would be fetched"


# ------------------------------------------------------------------ scoped exports


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_ontology_only_export(seed_kg: KG, fmt: str) -> None:
    quads = read_back(seed_kg.export(fmt, ontology_only=True), fmt)
    terms = {term.value for q in quads for term in (q.subject, q.object) if isinstance(term, ox.NamedNode)}
    assert ox.Triple(ox.NamedNode(CKG + "Company"), ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Class")) \
        in {q.triple for q in quads}
    assert not any(t.startswith(CKR) for t in terms), "the ontology export carries ckr: resources"
    assert isomorphic(to_rdflib(quads), rdflib.Graph().parse(ONTOLOGY, format="turtle"))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_entity_neighbourhood_export(seed_kg: KG, h20_text: str, fmt: str) -> None:
    quads = read_back(seed_kg.export(fmt, entity="h20", depth=1), fmt)
    triples = {q.triple for q in quads}
    nvidia, h20 = ox.NamedNode(CKR + "nvidia"), ox.NamedNode(CKR + "h20")
    assert ox.Triple(nvidia, ox.NamedNode(CKG + "makes"), h20) in triples
    assert ox.Triple(nvidia, ox.NamedNode(RDF + "type"), ox.NamedNode(CKG + "Company")) in triples
    # The statement behind "Nvidia makes the H20" comes along, with evidence from the article.
    statements = {t.subject for t in triples if t.predicate.value == RDF + "subject" and t.object == nvidia}
    makes = [s for s in statements if ox.Triple(s, ox.NamedNode(RDF + "object"), h20) in triples]
    assert makes
    evidence = [t.object for t in triples if t.subject in makes and t.predicate.value == CKG + "evidence"]
    assert evidence and all(e.value in h20_text for e in evidence)
    # Only h20's neighbourhood: entities two hops away stay out.
    subjects = {t.subject.value for t in triples}
    assert CKR + "jensen-huang" not in subjects
    assert len(triples) < len(seed_kg.store) / 4


@pytest.mark.parametrize("kwargs", [{}, {"entity": "h20"}, {"ontology_only": True}])
@pytest.mark.parametrize("fmt", ["pdf", "rdf/xml2", "", "turtle2"])
def test_unknown_format_is_invalid(seed_kg: KG, fmt: str, kwargs: dict) -> None:
    with pytest.raises(InvalidInput, match="format"):
        seed_kg.export(fmt, **kwargs)


# ------------------------------------------------------------------ an independent parser


def test_rapper_is_present_when_required() -> None:
    if os.environ.get("CHIPKG_REQUIRE_RAPPER") == "1":
        assert shutil.which("rapper"), "CHIPKG_REQUIRE_RAPPER=1 but rapper (raptor2-utils) is not on PATH"


@pytest.mark.parametrize("kwargs", [{}, {"entity": "h20", "depth": 1}, {"ontology_only": True}],
                         ids=["whole", "neighbourhood", "ontology"])
def test_turtle_parses_with_rapper(seed_kg: KG, tmp_path: Path, kwargs: dict) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (raptor2-utils) is not installed; CHIPKG_REQUIRE_RAPPER=1 makes that a failure")
    data = seed_kg.export(**kwargs)
    path = tmp_path / "export.ttl"
    path.write_bytes(data)
    done = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    expected = len(list(ox.parse(data, format=ox.RdfFormat.TURTLE)))
    assert f"returned {expected} triples" in done.stderr, done.stderr
