"""An article's text with every sentence linked to the facts taken from it, and the page
for one reified statement (``/resource/{statement}``), which links back to that sentence.

A sentence's element id is ``sentence_anchor(text)``, the same anchor an evidence link
on an entity page points at, so following evidence lands on (and, with the stylesheet's
``:target`` rule, highlights) the very sentence in the article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape

from ..graph.articles import Paragraph, Statement, sentence_anchor
from ..graph.vocab import compact
from .html import Site, href, link, name_link, page


def fact_text(statement: Statement, names: Mapping[str, str], site: Site) -> str:
    """``Nvidia makes H20``, each end linked to its page."""
    return (f"{name_link(statement.subject, names, site)} <code>{escape(compact(statement.predicate))}</code> "
            f"{name_link(statement.object, names, site)}")


def render_article_text(paragraphs: Sequence[Paragraph], statements: Sequence[Statement],
                        names: Mapping[str, str], site: Site) -> str:
    """The text, paragraph by paragraph, each sentence followed by numbered links to its facts."""
    by_anchor: dict[str, list[Statement]] = defaultdict(list)
    for st in statements:
        for anchor in dict.fromkeys(sentence_anchor(ev.text) for ev in st.evidence):
            by_anchor[anchor].append(st)
    placed: set[str] = set()
    number = 0
    parts = ['<section class="article"><h2>Text</h2>']
    for para in paragraphs:
        spans, items = [], []
        for sentence in para.sentences:
            anchor = sentence_anchor(sentence)
            marks = []
            for st in by_anchor.get(anchor, ()):
                number += 1
                placed.add(st.iri)
                marks.append(f'<a href="#f-{number}" class="fact-mark">{number}</a>')
                statement = href(st.iri, site)
                to_statement = (f'<a href="{escape(statement)}" class="meta statement-link">statement</a> · '
                                if statement else "")
                items.append(f'<li id="f-{number}" value="{number}">{fact_text(st, names, site)} '
                             f'{to_statement}<a href="#{anchor}" class="meta">sentence</a></li>')
            sup = f'<sup class="facts">{" ".join(marks)}</sup>' if marks else ""
            cls = "sentence has-facts" if marks else "sentence"
            spans.append(f'<span id="{anchor}" class="{cls}">{escape(sentence)}</span>{sup}')
        parts.append(f'<p id="p-{para.number}" lang="ja"><span class="meta">¶{para.number}</span> {"".join(spans)}</p>')
        if items:
            parts.append(f'<ol class="facts">{"".join(items)}</ol>')
    unplaced = [st for st in statements if st.iri not in placed]
    if unplaced:
        parts.append("<h3>Facts whose sentence was not found in the text</h3><ul>")
        parts += [f'<li>{fact_text(st, names, site)} {link(st.iri, site, "statement")}</li>' for st in unplaced]
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def render_statement(statement: Statement, names: Mapping[str, str], formats: Sequence[tuple[str, str]]) -> str:
    """The page for one ``rdf:Statement``: the fact, and its evidence linked into the article."""
    site = Site("../")
    subject = names.get(statement.subject) or compact(statement.subject)
    obj = names.get(statement.object) or compact(statement.object)
    title = f"{subject} {compact(statement.predicate)} {obj}"
    evidence = []
    for ev in statement.evidence:
        lang = f' lang="{escape(ev.lang)}"' if ev.lang else ""
        where = f"¶{ev.paragraph}" if ev.paragraph is not None else "the article"
        target = href(ev.source, site) if ev.source else None
        source = (f'<a href="{escape(target)}#{sentence_anchor(ev.text)}" class="evidence-link">{escape(where)} of '
                  f'{escape(names.get(ev.source) or compact(ev.source))}</a>') if target else escape(where)
        evidence.append(f'<blockquote{lang}>{escape(ev.text)}</blockquote><div class="meta">{source}</div>')
    own = href(statement.iri, site) or ""
    alternates = " · ".join(f'<a href="{escape(own)}?format={fmt}">{label}</a>' for fmt, label in formats)
    body = (f"<h1>{escape(title)}</h1><p><code>{escape(statement.iri)}</code> — a reified "
            "<code>rdf:Statement</code></p>"
            f"<dl><dt>Subject</dt><dd>{name_link(statement.subject, names, site)}</dd>"
            f"<dt>Predicate</dt><dd>{link(statement.predicate, site)}</dd>"
            f"<dt>Object</dt><dd>{name_link(statement.object, names, site)}</dd></dl>"
            f"<h2>Evidence</h2>{''.join(evidence) or '<p>No evidence recorded.</p>'}"
            f'<p class="meta">This statement as {alternates}.</p>')
    return page(title, body, site)


__all__ = ["fact_text", "render_article_text", "render_statement"]
