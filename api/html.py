"""What every chipkg page shares: the layout, escaping and the one rule for links.

Everything that comes from the graph goes through ``html.escape`` (text and attributes
alike): labels, aliases, evidence and IRIs are data written by whoever holds the write
token, and the page must not run what they wrote. ``href`` is the one place an IRI
becomes a link: chipkg's own resources and ontology terms link to chipkg's pages,
relatively (so the pages work wherever the app is mounted), other ``http``/``https``
IRIs link out, and any other scheme (``javascript:``, ``data:``, ``file:`` ...) is shown
as text and never becomes an ``href``.

Pages carry no inline script or style: styles and scripts come from ``/static`` (the
Content-Security-Policy in ``security.py`` allows nothing else), and data a script needs
travels in a ``<script type="application/json">`` block, which browsers never execute.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlsplit

from ..graph import LangString
from ..graph.model import slug_of
from ..graph.vocab import CKG, RESOURCE_BASE, compact

LINKED_SCHEMES = frozenset({"http", "https"})
ONTOLOGY_NS = str(CKG._NS)


@dataclass(frozen=True)
class Site:
    """Where a page sits, as the relative path back to the app's root: ``""`` for ``/`` and
    ``/ontology``, ``"../"`` for ``/resource/{id}``."""

    root: str = ""

    def url(self, path: str) -> str:
        return self.root + path

    def resource(self, slug: str) -> str:
        return self.root + "resource/" + quote(slug, safe="")


def href(iri: str, site: Site) -> str | None:
    """Where a link to ``iri`` should point, or None when it must not be a link at all."""
    if iri.startswith(RESOURCE_BASE) and len(iri) > len(RESOURCE_BASE):
        return site.resource(slug_of(iri))
    if iri.startswith(ONTOLOGY_NS) and len(iri) > len(ONTOLOGY_NS):
        return site.url("ontology#" + quote(iri[len(ONTOLOGY_NS):], safe=""))
    try:
        scheme = urlsplit(iri).scheme.lower()
    except ValueError:
        return None
    return iri if scheme in LINKED_SCHEMES else None


def link(iri: str, site: Site, text: str | None = None, *, cls: str | None = None) -> str:
    """An ``<a>`` to ``iri`` showing ``text`` (its compact name by default); plain text if
    ``iri`` may not be linked."""
    shown = escape(text if text else compact(iri))
    target = href(iri, site)
    if target is None:
        return f'<span class="iri" title="{escape(iri)}">{shown}</span>'
    attr = f' class="{escape(cls)}"' if cls else ""
    return f'<a href="{escape(target)}"{attr}>{shown}</a>'


def name_link(iri: str, names: Mapping[str, str], site: Site) -> str:
    return link(iri, site, names.get(iri))


def lang_values(values: Iterable[LangString]) -> str:
    """Language-tagged values, one per line, each marked with its language."""
    parts = []
    for v in values:
        if v.lang:
            parts.append(f'<span lang="{escape(v.lang)}">{escape(v.value)}</span> '
                         f'<span class="meta">@{escape(v.lang)}</span>')
        else:
            parts.append(escape(v.value))
    return "<br>".join(parts)


def json_block(element_id: str, data: object) -> str:
    """Data for a page's script, in a block browsers never execute; ``<``, ``>`` and ``&``
    are escaped so no string in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{escape(element_id)}">{text}</script>'


def page(title: str, body: str, site: Site, *, scripts: Iterable[str] = (), styles: Iterable[str] = (),
         head: str = "") -> str:
    """A whole HTML document in chipkg's layout; ``scripts`` and ``styles`` are paths under
    the app root (``static/...``)."""
    links = "".join(f'<link rel="stylesheet" href="{escape(site.url(s))}">' for s in ("static/chipkg.css", *styles))
    tags = "".join(f'<script src="{escape(site.url(s))}" defer></script>' for s in scripts)
    nav = (f'<nav><a href="{escape(site.url("./"))}" class="home">chipkg</a>'
           f'<a href="{escape(site.url("ontology"))}">Ontology</a>'
           f'<a href="{escape(site.url("graphql"))}">GraphiQL</a>'
           f'<form action="{escape(site.url("search"))}" method="get" role="search">'
           '<input type="search" name="q" placeholder="Search names, ja/en" aria-label="Search"></form></nav>')
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} — chipkg</title>{links}{head}{tags}</head>"
            f"<body>{nav}<main>{body}</main></body></html>\n")


__all__ = ["LINKED_SCHEMES", "Site", "href", "json_block", "lang_values", "link", "name_link", "page"]
