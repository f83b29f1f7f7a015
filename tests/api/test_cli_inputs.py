"""Hostile inputs to the command line, run as a user runs it (a subprocess): damaged and
foreign store directories, and an RDF/XML entity bomb. Each must be one line on stderr
and a non-zero exit, never a traceback, and must change nothing on disk."""

from __future__ import annotations

import resource
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
import pytest

MEMORY_CAP = 1 << 30  # RLIMIT_AS for the bomb: a regression fails here instead of eating the machine
# An on-disk store maps RocksDB's caches and thread stacks too: under 1 GiB of address space its
# own 200 MB allocation failed on a loaded machine. The bomb expands to 3 GB, so 2 GiB still
# catches a regression.
STORE_MEMORY_CAP = 2 << 30


def chipkg(*args: str, memory_cap: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory_cap is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    return subprocess.run([sys.executable, "-m", "chipkg.api.cli", *args], capture_output=True, text=True,
                          timeout=120, preexec_fn=limit)


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chipkg: "), result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ store directories


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store chipkg created (and seeded), closed again."""
    store = tmp_path_factory.mktemp("stores") / "good"
    result = chipkg("stats", "--store", f"oxigraph:{store}")
    assert result.returncode == 0, result.stderr
    return store


def _garbage_current(store: Path) -> None:
    (store / "CURRENT").write_bytes(b"not a manifest name\n")


def _flipped_tables(store: Path) -> None:
    tables = list(store.glob("*.sst"))
    assert tables, "the store has no table files to damage"
    for table in tables:
        data = bytearray(table.read_bytes())
        for i in range(5, min(len(data), 40)):
            data[i] ^= 0xFF
        table.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage_current, _flipped_tables], ids=["CURRENT", "sst"])
def test_a_damaged_store_is_one_line(good_store: Path, tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(good_store), str(store)], check=True)
    assert chipkg("stats", "--store", f"oxigraph:{store}").returncode == 0  # the copy is a working store
    damage(store)
    result = chipkg("stats", "--store", f"oxigraph:{store}")
    assert_one_line_refusal(result, f"cannot open the Oxigraph store at {store}", "damaged")


def test_a_foreign_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    foreign = tmp_path / "photos"
    (foreign / "2024").mkdir(parents=True)
    (foreign / "notes.txt").write_text("not a triple store\n")
    (foreign / "2024" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    before = snapshot(foreign)
    for args in (["stats"], ["serve", "--port", "0"], ["export"], ["load", str(tmp_path / "none.ttl")]):
        result = chipkg(*args, "--store", f"oxigraph:{foreign}")
        assert_one_line_refusal(result, str(foreign), "not an Oxigraph store")
    assert snapshot(foreign) == before


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.write_text("x")
    assert_one_line_refusal(chipkg("stats", "--store", f"oxigraph:{path}"), "not a directory")


def test_an_empty_directory_becomes_a_store(tmp_path: Path) -> None:
    store = tmp_path / "empty"
    store.mkdir()
    result = chipkg("stats", "--store", f"oxigraph:{store}")
    assert result.returncode == 0, result.stderr
    assert (store / "CURRENT").is_file()
    # ... and is then recognised as chipkg's own.
    assert chipkg("stats", "--store", f"oxigraph:{store}").returncode == 0


# ------------------------------------------------------------------ RDF/XML entity bombs


def billion_laughs(levels: int = 9) -> str:
    """The classic: each entity is ten of the one before; ``&lol9;`` is 3 GB of "lol"."""
    names = ["lol"] + [f"lol{i}" for i in range(1, levels + 1)]
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY {name} "{("&" + below + ";") * 10}">'
                                           for below, name in pairwise(names)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            f'<rdf:Description rdf:about="https://w3id.org/chipkg/resource/x"><rdfs:label>&lol{levels};'
            "</rdfs:label></rdf:Description>\n</rdf:RDF>\n")


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "laughs.rdf"
    path.write_text(billion_laughs())
    assert path.stat().st_size < 1100
    return path


def test_validate_refuses_an_entity_bomb_in_bounded_memory(bomb: Path) -> None:
    result = chipkg("validate", str(bomb), memory_cap=MEMORY_CAP)
    assert_one_line_refusal(result, str(bomb), "entities expand", "entity bomb")


def test_load_refuses_an_entity_bomb_and_changes_nothing(bomb: Path, good_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    subprocess.run(["cp", "-r", str(good_store), str(store)], check=True)
    before = chipkg("stats", "--json", "--store", f"oxigraph:{store}").stdout
    result = chipkg("load", "--store", f"oxigraph:{store}", str(bomb), memory_cap=STORE_MEMORY_CAP)
    assert result.returncode == 1, result.stderr
    assert "entity bomb" in result.stderr and "Traceback" not in result.stderr
    assert chipkg("stats", "--json", "--store", f"oxigraph:{store}").stdout == before


def test_external_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(billion_laughs(1).replace('<!ENTITY lol "lol">', '<!ENTITY lol SYSTEM "file:///etc/hostname">'))
    assert_one_line_refusal(chipkg("validate", str(path)), "external or parameter entity 'lol'")


def test_flat_entities_still_parse() -> None:
    """Protégé writes namespaces as entities; those small expansions are read as before."""
    from chipkg.graph.terms import parse_triples

    document = billion_laughs(2).replace("&lol2;", "&lol1;&lol;")
    (triple,) = parse_triples(document.encode(), ox.RdfFormat.RDF_XML, blank_nodes=True)
    assert triple.object.value == "lol" * 11


def test_the_python_api_refuses_an_entity_bomb_in_bounded_memory(bomb: Path) -> None:
    """``kg.load``, ``kg.add(fmt="rdfxml")`` and ``parse_triples`` take the same check."""
    script = ("import sys; from chipkg import KnowledgeGraph, InvalidInput\n"
              "from chipkg.graph.terms import parse_triples\n"
              "import pyoxigraph as ox\n"
              "for call in (lambda: KnowledgeGraph().load([sys.argv[1]]),\n"
              "             lambda: KnowledgeGraph().add(open(sys.argv[1], 'rb').read(), fmt='rdfxml'),\n"
              "             lambda: parse_triples(open(sys.argv[1], 'rb').read(), ox.RdfFormat.RDF_XML)):\n"
              "    try:\n"
              "        call()\n"
              "    except InvalidInput as exc:\n"
              "        print(exc.code, exc.message)\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    result = subprocess.run([sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, timeout=120,
                            preexec_fn=limit)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3 and all("entity bomb" in line for line in lines), result.stdout


# ------------------------------------------------------------------ chipkg ingest

DATA = Path(__file__).parents[1] / "data"


def test_ingest_adds_an_article_with_its_facts_once(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    text, facts = str(DATA / "acme-article.txt"), str(DATA / "acme-article.ttl")
    first = chipkg("ingest", text, "--facts", facts, "--store", store)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("ingested ckr:acme-ships-x1: ") and "new triples" in first.stdout
    exported = chipkg("export", "--entity", "acme-ships-x1", "--store", store)
    assert "Acme makes the X1 chip." in exported.stdout
    assert_one_line_refusal(chipkg("ingest", text, "--facts", facts, "--store", store), "already has its text")
    assert_one_line_refusal(chipkg("ingest", str(tmp_path / "missing.txt"), "--store", store), "missing.txt")
    assert chipkg("export", "--entity", "acme-ships-x1", "--store", store).stdout == exported.stdout


def test_ingest_refuses_evidence_the_text_does_not_hold(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    facts = tmp_path / "facts.ttl"
    facts.write_text((DATA / "acme-article.ttl").read_text().replace("Acme makes the X1 chip.", "Acme rules."))
    result = chipkg("ingest", str(DATA / "acme-article.txt"), "--facts", str(facts), "--store", store)
    assert result.returncode == 1
    assert "'Acme rules.': the evidence is not, verbatim, a sentence of the article it cites" in result.stderr
    assert result.stderr.strip().endswith("nothing was changed")
    assert "acme" not in chipkg("export", "--store", store).stdout.lower()
    memory = chipkg("ingest", str(DATA / "acme-article.txt"), "--store", "memory")
    assert memory.returncode == 2 and "persistent store" in memory.stderr
