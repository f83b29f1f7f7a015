"""chipkg as it was at an earlier commit, served beside today's in the same bench run.

Issue 10 asks for "5× today's HTTP req/s" for the entity query: a ratio between two
commits. Measured in two runs, such a ratio mixes the code's change with the machine's
(the figures of two runs on this shared machine differ by more than 20%), so the bench
runs the earlier server in the same run, on the same data, alternating load rounds with
today's (``bench/run.py --baseline REV``).

- *Source.* ``git archive REV`` into the work directory, run by this interpreter with its
  installed packages: ``PYTHONPATH`` puts the exported package ahead of the editable
  install. Nothing is downloaded, and both servers run on the same library versions.
- *Data.* An earlier ontology may lack classes and properties added since (``ckg:Sentence``
  and its properties came with articles as data): its copy of the corpus leaves out the
  triples that use them, and the resources typed only with them. Before measuring, the
  bench checks that both servers give the same answer to the entity query for every entity
  the load asks about, so a baseline that answered less (and faster) would stop the run
  rather than flatter the ratio.
- *Not the server of that day in every respect:* its code on today's libraries (strawberry,
  graphql-core, pyoxigraph as installed now).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

CKG = "https://w3id.org/chipkg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def export(rev: str, repo: Path, into: Path) -> Path:
    """The tree of ``rev`` as the package ``chipkg`` under ``into`` (put ``into`` on PYTHONPATH)."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=repo, capture_output=True, check=False)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    package = into / "chipkg"
    package.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(package, filter="data")
    return into


def defined_terms(ontology: Path) -> set[ox.NamedNode]:
    """The ckg: IRIs an ontology defines (the subjects of its ckg: triples)."""
    return {q.subject for q in ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(CKG)}


def _unknown(term: object, known: set[ox.NamedNode]) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(CKG) and term not in known


def loadable(triples: Iterable[ox.Quad], known: set[ox.NamedNode]) -> tuple[list[ox.Quad], int]:
    """The triples an ontology defining ``known`` can take, and how many were left out.

    A triple goes if it uses an unknown ckg: predicate or class, or is about or points to a
    resource whose every ckg: type is unknown (a sentence, to an ontology without
    ``ckg:Sentence``): no link is left dangling.
    """
    triples = list(triples)
    types: dict[object, list[object]] = {}
    for q in triples:
        if q.predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(CKG):
            types.setdefault(q.subject, []).append(q.object)
    strangers = {s for s, classes in types.items() if all(_unknown(c, known) for c in classes)}
    kept = [q for q in triples
            if q.subject not in strangers and q.object not in strangers and not _unknown(q.predicate, known)
            and not (q.predicate == RDF_TYPE and _unknown(q.object, known))]
    return kept, len(triples) - len(kept)


def write_loadable(corpus: Path, ontology: Path, out: Path) -> int:
    """Write ``corpus`` (N-Triples) to ``out`` as the baseline's ontology can take it; the
    number of triples left out."""
    kept, dropped = loadable(ox.parse(path=str(corpus), format=ox.RdfFormat.N_TRIPLES), defined_terms(ontology))
    ox.serialize(kept, output=str(out), format=ox.RdfFormat.N_TRIPLES)
    return dropped


def environment(root: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` for running the exported tree under ``root``: first on the import path, ahead
    of the editable install of today's chipkg (whose finder comes after ``sys.path``)."""
    return {**env, "PYTHONPATH": str(root)}


def resolve(rev: str, repo: Path) -> str:
    """The short hash of ``rev``; RuntimeError, with git's reason, if it names no commit."""
    found = subprocess.run(["git", "rev-parse", "--short", "--verify", f"{rev}^{{commit}}"], cwd=repo,
                           capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise RuntimeError(f"--baseline {rev}: not a commit of this repository ({found.stderr.strip()})")
    return found.stdout.strip()


__all__ = ["defined_terms", "environment", "export", "loadable", "resolve", "write_loadable"]
