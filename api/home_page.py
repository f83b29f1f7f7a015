"""The home page (search box, what the graph holds, example queries) and search results.

Search matches labels and aliases in every language (``KnowledgeGraph.search``), so
``エヌビディア``, ``nvidia`` and ``CAC`` all find something; results show both the
English and the Japanese label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from urllib.parse import urlencode

from ..graph import Entity, OntologyTerm
from ..graph.model import pick_lang
from ..graph.vocab import compact
from .examples import EXAMPLES
from .html import Site, link, page

SITE = Site("")


def _search_form(text: str = "", type_name: str = "") -> str:
    hidden = f'<input type="hidden" name="type" value="{escape(type_name)}">' if type_name else ""
    return ('<form action="search" method="get" class="search" role="search">'
            f'<input type="search" name="q" value="{escape(text)}" id="q" autofocus '
            'placeholder="Nvidia, エヌビディア, CAC, 中国 …" aria-label="Search labels and aliases (ja/en)">'
            f"{hidden}<button type=\"submit\">Search</button></form>")


def _class_name(term: OntologyTerm) -> str:
    return term.iri.rsplit("#", 1)[-1]


def render_home(counts: Mapping[str, int], classes: Sequence[OntologyTerm], triples: int) -> str:
    """``counts`` maps class IRIs to how many resources have that class (directly)."""
    rows = []
    for term in classes:
        n = counts.get(term.iri, 0)
        name = _class_name(term)
        rows.append(f'<tr><td><a href="search?{escape(urlencode({"type": name}))}">{escape(name)}</a></td>'
                    f'<td>{escape(pick_lang(term.labels, "en") or "")}</td>'
                    f'<td lang="ja">{escape(pick_lang(term.labels, "ja") or "")}</td>'
                    f'<td class="count">{n:,}</td></tr>')
    examples = "".join(
        f'<li><a href="graphql?{escape(urlencode({"example": e.name}))}">{escape(e.title)}</a>'
        f"<pre><code>{escape(e.query)}</code></pre></li>" for e in EXAMPLES)
    body = ("<h1>chipkg</h1><p>A knowledge graph of AI-chip news: companies, chips, regulators and policies, "
            "every fact linked to the sentence it came from.</p>"
            f"{_search_form()}"
            f'<h2>What the graph holds</h2><p class="meta">{triples:,} triples.</p>'
            '<table class="counts"><thead><tr><th>Class</th><th>English</th><th>日本語</th>'
            '<th>Resources (typed directly)</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>'
            f'<h2>Example queries</h2><p>Open one in <a href="graphql">GraphiQL</a> (served from this '
            f'service, works offline), or read the <a href="ontology">ontology</a>.</p>'
            f'<ol class="examples">{examples}</ol>'
            '<h2>Endpoints</h2><ul class="endpoints">'
            '<li><a href="graphql">/graphql</a> GraphQL (GraphiQL in a browser)</li>'
            '<li><code>/sparql</code> read-only SPARQL 1.1 Protocol</li>'
            '<li><code>/resource/{id}</code> every resource, as HTML, Turtle, JSON-LD, N-Triples or RDF/XML</li>'
            '<li><a href="ontology">/ontology</a> the ontology (HTML or RDF)</li>'
            '<li><a href="export">/export</a> the whole graph (Turtle, N-Triples, JSON-LD, TriG, RDF/XML)</li>'
            '<li><a href="healthz">/healthz</a> liveness</li></ul>')
    return page("Home", body, SITE)


def _result(entity: Entity) -> str:
    en, ja = entity.label("en") or entity.id, pick_lang(entity.labels, "ja")
    aliases = ", ".join(a.value for a in entity.alt_labels)
    types = ", ".join(compact(t) for t in entity.types)
    return (f'<li>{link(entity.iri, SITE, en, cls="result")}'
            + (f' <span lang="ja">{escape(ja)}</span>' if ja and ja != en else "")
            + f' <span class="meta">{escape(types)}</span>'
            + (f'<br><span class="meta">also: {escape(aliases)}</span>' if aliases else "") + "</li>")


def render_search(text: str, type_name: str, results: Sequence[Entity], *, more: bool) -> str:
    what = f"“{text}”" if text else "everything"
    title = f"Search: {what}" + (f" in {type_name}" if type_name else "")
    listing = (f'<ol class="results">{"".join(_result(e) for e in results)}</ol>' if results
               else "<p>Nothing matches. Search looks at labels and aliases in English and Japanese.</p>")
    note = '<p class="meta">Only the first results are shown; narrow the search.</p>' if more else ""
    return page(title, f"<h1>{escape(title)}</h1>{_search_form(text, type_name)}{listing}{note}", SITE)


__all__ = ["render_home", "render_search"]
