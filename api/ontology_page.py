"""``/ontology`` for a browser: every class and property with its English and Japanese
labels, comment, superclasses, domain and range. Each term's anchor is its local name
(``/ontology#Company``), which is where every page links a type or predicate."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from ..graph import OntologyTerm
from ..graph.model import pick_lang
from .html import Site, link, page

SITE = Site("")
KINDS = (("class", "Classes"), ("object property", "Object properties"), ("datatype property", "Datatype properties"),
         ("annotation property", "Annotation properties (statement qualifiers, former names)"))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _terms(iris: Sequence[str]) -> str:
    return " or ".join(link(i, SITE, _local(i)) for i in iris) or '<span class="meta">—</span>'


def _row(term: OntologyTerm) -> str:
    name = _local(term.iri)
    en, ja = pick_lang(term.labels, "en") or "", pick_lang(term.labels, "ja") or ""
    extra = []
    if term.parents:
        extra.append(f"subclass of {_terms(term.parents)}")
    if term.domain or term.range:
        extra.append(f"{_terms(term.domain)} → {_terms(term.range)}")
    if term.inverse:
        extra.append(f"inverse of {_terms([term.inverse])}")
    if term.symmetric:
        extra.append("symmetric")
    return (f'<tr id="{escape(quote(name, safe=""))}"><td><code>ckg:{escape(name)}</code></td><td>{escape(en)}</td>'
            f'<td lang="ja">{escape(ja)}</td><td>{escape(term.comment or "")}'
            f'{"<br><span class=meta>" + "; ".join(extra) + "</span>" if extra else ""}</td></tr>')


def render_ontology(terms: Sequence[OntologyTerm]) -> str:
    sections = []
    for kind, heading in KINDS:
        rows = "".join(_row(t) for t in terms if t.kind == kind)
        if rows:
            sections.append(f"<h2>{heading}</h2><table class=\"ontology\"><thead><tr><th>Term</th><th>English</th>"
                            f"<th>日本語</th><th>Comment</th></tr></thead><tbody>{rows}</tbody></table>")
    formats = " · ".join(f'<a href="ontology?format={fmt}">{label}</a>' for fmt, label in
                         (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdfxml", "RDF/XML")))
    body = (f"<h1>The chipkg ontology</h1><p><code>https://w3id.org/chipkg/ontology#</code> (prefix "
            f"<code>ckg:</code>). As {formats}.</p>{''.join(sections)}")
    return page("Ontology", body, SITE)


__all__ = ["render_ontology"]
