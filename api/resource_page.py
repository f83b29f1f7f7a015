"""The HTML page for one entity: its names, a picture of its neighbourhood, its facts with
the sentences behind them (each linked to its place in the article), and for an article,
the text itself.

The picture is drawn in the browser by cytoscape.js (vendored under ``static/vendor``)
from the nodes and edges this module puts in a JSON block; ``static/entity-graph.js``
reads it. A node links to its own page when it is one of chipkg's resources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from ..graph import Entity, Evidence, Relation
from ..graph.articles import Paragraph, Statement, sentence_anchor
from ..graph.vocab import CKG, compact
from .article_page import render_article_text
from .html import Site, href, json_block, lang_values, link, name_link, page

SITE = Site("../")
ALTERNATES = (("turtle", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
              ("nt", "application/n-triples", "N-Triples"), ("rdfxml", "application/rdf+xml", "RDF/XML"))
MAX_DRAWN_NODES = 300  # past this the picture is a hairball; the table below still lists every fact
GRAPH_SCRIPTS = ("static/vendor/cytoscape/cytoscape.min.js", "static/entity-graph.js")
# cytoscape.js adds an inline <style> unless an element with this id exists; the policy forbids
# inline styles, so the page links the same rule from /static under that id.
CYTOSCAPE_STYLESHEET = ('<link rel="stylesheet" id="__________cytoscape_stylesheet" '
                        'href="../static/cytoscape-container.css">')


def evidence_link(ev: Evidence, names: Mapping[str, str], site: Site) -> str:
    """Where the evidence sits: its paragraph and article, linked to the sentence itself."""
    where = f"¶{ev.paragraph}" if ev.paragraph is not None else "the article"
    if not ev.source:
        return escape(where)
    target = href(ev.source, site)
    article = escape(names.get(ev.source) or compact(ev.source))
    if target is None or target.startswith(("http:", "https:")):
        return f"{escape(where)}, {link(ev.source, site, names.get(ev.source))}"
    anchor = sentence_anchor(ev.text)
    statement = href(ev.statement, site)
    return (f'<a href="{escape(target)}#{anchor}" class="evidence-link">{escape(where)} of {article}</a>'
            + (f' · <a href="{escape(statement)}" class="meta">statement</a>' if statement else ""))


def evidence_list(items: Iterable[Evidence], names: Mapping[str, str], site: Site) -> str:
    parts = []
    for ev in items:
        lang = f' lang="{escape(ev.lang)}"' if ev.lang else ""
        parts.append(f"<blockquote{lang}>{escape(ev.text)}</blockquote>"
                     f'<div class="meta">{evidence_link(ev, names, site)}</div>')
    return "".join(parts) or '<span class="meta">no evidence recorded</span>'


def _kind(types: Sequence[str]) -> str:
    """The most telling class name, for the node's colour."""
    names = [t.rsplit("#", 1)[-1] for t in types]
    for preferred in ("Company", "Regulator", "Chip", "Policy", "Person", "Country", "City", "Event", "Quote",
                      "Article", "Product", "Organization", "Place"):
        if preferred in names:
            return preferred
    return names[0] if names else "Thing"


def graph_data(entity: Entity, relations: Sequence[Relation], entities: Mapping[str, Entity],
               names: Mapping[str, str], site: Site) -> dict[str, object]:
    """Nodes and edges of the one-hop neighbourhood, as cytoscape elements."""
    iris = [entity.iri, *sorted({i for r in relations for i in (r.subject, r.object)} - {entity.iri})]
    nodes = [{"data": {"id": iri, "label": names.get(iri) or compact(iri), "href": href(iri, site),
                       "kind": _kind(entities[iri].types if iri in entities else ()),
                       "center": iri == entity.iri}} for iri in iris]
    edges = [{"data": {"id": f"e{i}", "source": r.subject, "target": r.object,
                       "label": r.predicate.rsplit("#", 1)[-1]}} for i, r in enumerate(relations)]
    return {"nodes": nodes, "edges": edges}


def _picture(entity: Entity, relations: Sequence[Relation], entities: Mapping[str, Entity],
             names: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    data = graph_data(entity, relations, entities, names, SITE)
    if len(data["nodes"]) > MAX_DRAWN_NODES:  # type: ignore[arg-type]
        return (f'<p class="meta">{len(data["nodes"])} neighbours: too many to draw; '  # type: ignore[arg-type]
                "every fact is listed below.</p>", ())
    if len(relations) == 0:
        return "", ()
    return ('<div id="graph" class="graph" aria-label="neighbourhood picture: click a node to open it"></div>'
            + json_block("graph-data", data)), GRAPH_SCRIPTS


def render_resource(entity: Entity, relations: Sequence[Relation], entities: Mapping[str, Entity],
                    names: Mapping[str, str], *, article: tuple[list[Paragraph], list[Statement]] | None = None
                    ) -> str:
    """The page for ``entity``; ``entities`` and ``names`` describe everything it links to.
    ``article`` is the text and statements when the entity is an article with its text."""
    title = entity.label("en") or entity.id
    own = href(entity.iri, SITE) or ""
    alternates = "".join(f'<link rel="alternate" type="{media}" href="{escape(own)}?format={fmt}">'
                         for fmt, media, _ in ALTERNATES)
    facts = [("Types", ", ".join(link(t, SITE, compact(t)) for t in entity.types)),
             ("Labels", lang_values(entity.labels))]
    if entity.alt_labels:
        facts.append(("Also known as", lang_values(entity.alt_labels)))
    # An article's text is shown below, sentence by sentence, not as one more value here.
    shown_below = {str(CKG.text)} if article is not None else set()
    facts += [(f"<code>{escape(compact(p))}</code>", lang_values(v)) for p, v in entity.attributes.items()
              if p not in shown_below]
    details = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in facts)
    rows = [f"<tr><td>{name_link(r.subject, names, SITE)}</td><td><code>{escape(compact(r.predicate))}</code></td>"
            f"<td>{name_link(r.object, names, SITE)}</td><td>{evidence_list(r.evidence, names, SITE)}</td></tr>"
            for r in relations]
    table = ("<table><thead><tr><th>Subject</th><th>Predicate</th><th>Object</th><th>Evidence</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>") if rows else "<p>No relations.</p>"
    picture, scripts = _picture(entity, relations, entities, names)
    text = render_article_text(article[0], article[1], names, SITE) if article is not None else ""
    formats = " · ".join(f'<a href="{escape(own)}?format={fmt}">{label}</a>' for fmt, _, label in ALTERNATES)
    body = (f'<h1>{escape(title)}</h1><p><code>{escape(entity.iri)}</code></p><dl>{details}</dl>{picture}'
            f"{text}<h2>Relations</h2>{table}<p class=\"meta\">This resource as {formats}.</p>")
    return page(title, body, SITE, scripts=scripts, head=alternates + (CYTOSCAPE_STYLESHEET if scripts else ""))


__all__ = ["MAX_DRAWN_NODES", "evidence_list", "graph_data", "render_resource"]
