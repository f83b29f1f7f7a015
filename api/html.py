"""The readable HTML page for one resource: labels, types, facts and the sentences behind them.

Everything that comes from the graph goes through ``html.escape`` (text and attributes
alike): labels, aliases and evidence are data written by whoever holds the write token,
and the page must not run what they wrote. Links to other resources are relative
(``h20``, ``../ontology``), so the page works wherever the app is mounted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from urllib.parse import quote

from ..graph import Entity, Evidence, LangString, Relation
from ..graph.model import slug_of
from ..graph.vocab import RESOURCE_BASE, compact

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{font-size:.9em}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;
padding:.4rem;border-bottom:1px solid #ddd}blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #aaa}
.meta{color:#666;font-size:.9em}nav a{margin-right:1rem}
"""

ALTERNATES = (("turtle", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
              ("nt", "application/n-triples", "N-Triples"))


def href(iri: str) -> str:
    """Where a link to ``iri`` should point, relative to a ``/resource/{id}`` page."""
    if iri.startswith(RESOURCE_BASE):
        return quote(slug_of(iri), safe="")
    return iri


def _link(iri: str, names: Mapping[str, str]) -> str:
    text = names.get(iri) or compact(iri)
    return f'<a href="{escape(href(iri))}">{escape(text)}</a>'


def _lang_values(values: Iterable[LangString]) -> str:
    parts = []
    for v in values:
        if v.lang:
            parts.append(f'<span lang="{escape(v.lang)}">{escape(v.value)}</span> '
                         f'<span class="meta">@{escape(v.lang)}</span>')
        else:
            parts.append(escape(v.value))
    return "<br>".join(parts)


def _evidence(items: Iterable[Evidence], names: Mapping[str, str]) -> str:
    parts = []
    for ev in items:
        lang = f' lang="{escape(ev.lang)}"' if ev.lang else ""
        where = f"¶{ev.paragraph}, " if ev.paragraph is not None else ""
        source = _link(ev.source, names) if ev.source else ""
        parts.append(f"<blockquote{lang}>{escape(ev.text)}</blockquote>"
                     f'<div class="meta">{where}{source}</div>')
    return "".join(parts) or '<span class="meta">no evidence recorded</span>'


def render_resource(entity: Entity, relations: Iterable[Relation], names: Mapping[str, str]) -> str:
    """The HTML page for ``entity``; ``names`` maps IRIs of linked resources to labels."""
    title = entity.label("en") or entity.id
    alternates = "".join(f'<link rel="alternate" type="{media}" href="{escape(href(entity.iri))}?format={fmt}">'
                         for fmt, media, _ in ALTERNATES)
    rows = []
    for r in relations:
        rows.append(f"<tr><td>{_link(r.subject, names)}</td><td><code>{escape(compact(r.predicate))}</code></td>"
                    f"<td>{_link(r.object, names)}</td><td>{_evidence(r.evidence, names)}</td></tr>")
    # (term, description), both already HTML.
    facts = [("Types", ", ".join(f"<code>{escape(compact(t))}</code>" for t in entity.types)),
             ("Labels", _lang_values(entity.labels))]
    if entity.alt_labels:
        facts.append(("Also known as", _lang_values(entity.alt_labels)))
    facts += [(f"<code>{escape(compact(p))}</code>", _lang_values(v)) for p, v in entity.attributes.items()]
    details = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in facts)
    table = ("<table><thead><tr><th>Subject</th><th>Predicate</th><th>Object</th><th>Evidence</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>") if rows else "<p>No relations.</p>"
    formats = " · ".join(f'<a href="{escape(href(entity.iri))}?format={fmt}">{label}</a>'
                         for fmt, _, label in ALTERNATES)
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} — chipkg</title>{alternates}<style>{STYLE}</style></head><body>"
            f'<nav><a href="../ontology">ontology</a><a href="../graphql">GraphQL</a></nav>'
            f"<h1>{escape(title)}</h1><p><code>{escape(entity.iri)}</code></p><dl>{details}</dl>"
            f"<h2>Relations</h2>{table}<p class=\"meta\">This resource as {formats}.</p></body></html>\n")


__all__ = ["href", "render_resource"]
