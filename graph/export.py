"""Writing triples out as Turtle, N-Triples, JSON-LD or TriG, the same bytes every time.

Turtle export is byte-identical for the same graph, across runs and processes: triples
are sorted (subject, then ``rdf:type`` and ``rdfs:label`` first, then predicate, then
object) and handed to pyoxigraph's serializer, which groups a subject's triples with
``;``. Blank nodes (only the ontology's ``owl:unionOf`` lists have them) get canonical
RDFC-1.0 labels, so even they print the same in every process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import StoreError
from .store import TripleStore
from .terms import rdf_format, to_rdflib_graph
from .vocab import PREFIXES, RDF, RDFS

_FIRST_PREDICATES = {str(RDF.type): 0, str(RDFS.label): 1}


def _sort_key(t: ox.Triple) -> tuple[str, int, str, str]:
    return (str(t.subject), _FIRST_PREDICATES.get(t.predicate.value, 2), t.predicate.value, str(t.object))


def canonical_order(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples in export order, blank nodes relabelled canonically."""
    named: list[ox.Triple] = []
    blank: list[ox.Quad] = []
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            blank.append(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
        else:
            named.append(t)
    if blank:
        # RDFC-1.0 labels depend only on the triples that mention blank nodes.
        dataset = ox.Dataset(blank)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        named.extend(q.triple for q in dataset)
    return sorted(named, key=_sort_key)


def serialize(triples: Iterable[ox.Triple], fmt: str = "turtle") -> bytes:
    """``triples`` in ``fmt`` (``turtle``, ``nt``, ``jsonld``, ``trig`` or ``rdfxml``)."""
    rdf = rdf_format(fmt)
    ordered = canonical_order(triples)
    if rdf == ox.RdfFormat.JSON_LD:
        return _jsonld(ordered)
    return serialize_ordered(ordered, rdf)


def write_graph(store: TripleStore, out: IO[bytes], fmt: str = "turtle", *, chunk: int = 2000) -> None:
    """The whole store in ``fmt``, from one snapshot, streamed a few thousand subjects at a time.

    The bytes are exactly ``serialize(store.triples(), fmt)``'s. One pattern match reads
    the store (one snapshot: writes committed meanwhile are not half in the export, and
    none waits for it); its triples are spooled to a temporary file as N-Triples, grouped
    by subject, and read back in sorted subject order. So memory holds the subject index
    and one chunk, not every triple, and the disk holds one N-Triples copy meanwhile.
    JSON-LD is not streamed (it compacts the whole document), nor is RDF/XML (one
    ``rdf:RDF`` element whose namespace declarations depend on every predicate in it).
    """
    rdf = rdf_format(fmt)
    if rdf in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
        out.write(serialize(store.triples(), fmt))
        return
    with tempfile.TemporaryFile() as spool:
        spans, blank = _spool(store.triples(), spool)
        blank_by_subject: dict[str, list[ox.Triple]] = {}
        for t in canonical_order(blank):
            blank_by_subject.setdefault(str(t.subject), []).append(t)
        subjects = sorted(spans.keys() | {key for key in blank_by_subject if key.startswith("<")})
        header_written = False

        def emit(triples: list[ox.Triple]) -> None:
            nonlocal header_written
            text = serialize_ordered(sorted(triples, key=_sort_key), rdf)
            lines = text.split(b"\n")
            body = 0
            while body < len(lines) and lines[body].startswith(b"@prefix "):
                body += 1
            if not header_written:
                out.write(b"\n".join(lines[:body]) + (b"\n" if body else b""))
                header_written = True
            out.write(b"\n".join(lines[body:]))

        for i in range(0, len(subjects), chunk):
            data = bytearray()
            for key in subjects[i:i + chunk]:
                for offset, length in spans.get(key, ()):
                    spool.seek(offset)
                    data += spool.read(length)
            batch = [q.triple for q in ox.parse(bytes(data), format=ox.RdfFormat.N_TRIPLES)] if data else []
            for key in subjects[i:i + chunk]:
                batch += blank_by_subject.pop(key, [])
            emit(batch)
        rest = [t for key in sorted(blank_by_subject) for t in blank_by_subject[key]]
        if rest:
            emit(rest)


def write_snapshot(store: TripleStore, out: IO[bytes], fmt: str = "turtle") -> None:
    """``write_graph`` from one snapshot, done by another process when the store is an
    on-disk Oxigraph: a checkpoint (hard links, milliseconds) is exported by a child
    Python, whose CPU time then competes with the server's readers only for a core, not
    for this process's GIL; this process only relays bytes. Elsewhere (memory, a SPARQL
    server, JSON-LD) the export runs here, still from one snapshot."""
    path = getattr(store, "path", None)
    if path is None or not hasattr(store, "backup") or rdf_format(fmt) == ox.RdfFormat.JSON_LD:
        write_graph(store, out, fmt)
        return
    scratch = Path(tempfile.mkdtemp(prefix=".chipkg-export-", dir=Path(path).parent))
    try:
        copy = scratch / "store"
        store.backup(copy)
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(copy), fmt], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            assert child.stdout is not None
            while chunk := child.stdout.read(1 << 16):
                out.write(chunk)
        finally:
            if child.poll() is None and out.closed:
                child.kill()
            _, errors = child.communicate()
        if child.returncode != 0:
            raise StoreError(f"the export of {path} failed: {errors.decode('utf-8', 'replace')[-500:]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_CHILD = ("import sys; from chipkg.graph.store import OxigraphStore; from chipkg.graph.export import write_graph; "
          "write_graph(OxigraphStore(sys.argv[1], read_only=True), sys.stdout.buffer, sys.argv[2])")


def _spool(triples: Iterable[ox.Triple], spool: IO[bytes]) -> tuple[dict[str, list[tuple[int, int]]], list[ox.Triple]]:
    """Write ``triples`` without blank nodes to ``spool`` as N-Triples, a run per subject;
    answer where each subject's runs are (by its N-Triples key) and the blank-node triples."""
    spans: dict[str, list[tuple[int, int]]] = {}
    blank: list[ox.Triple] = []
    offset = 0
    key: str | None = None
    lines: list[str] = []

    def flush() -> None:
        nonlocal offset
        if key is not None and lines:
            data = "".join(lines).encode("utf-8")
            spool.write(data)
            spans.setdefault(key, []).append((offset, len(data)))
            offset += len(data)
        lines.clear()

    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            blank.append(t)
            continue
        subject = str(t.subject)
        if subject != key:
            flush()
            key = subject
        lines.append(f"{t} .\n")
    flush()
    return spans, blank


def serialize_ordered(ordered: list[ox.Triple], rdf: ox.RdfFormat) -> bytes:
    """Already-ordered triples in a line-based format (Turtle, N-Triples, TriG)."""
    if rdf == ox.RdfFormat.TRIG:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ordered]
        data = ox.serialize(quads, format=rdf, prefixes=PREFIXES)
    elif rdf == ox.RdfFormat.N_TRIPLES:
        data = ox.serialize(ordered, format=rdf)
    else:
        data = ox.serialize(ordered, format=rdf, prefixes=PREFIXES)
    assert data is not None  # given no output, pyoxigraph returns the bytes
    return data


def _jsonld(ordered: list[ox.Triple]) -> bytes:
    # rdflib compacts against a context given as a dict: no remote context is fetched.
    graph = to_rdflib_graph(ordered)
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    document = json.loads(text)
    nodes = document.get("@graph")
    if isinstance(nodes, list):
        nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def media_type(fmt: str) -> str:
    """The media type to send ``fmt`` with (``text/turtle`` ...)."""
    return rdf_format(fmt).media_type


__all__ = ["canonical_order", "media_type", "serialize", "serialize_ordered", "write_graph", "write_snapshot"]
