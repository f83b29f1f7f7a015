"""The GraphiQL page at ``/graphql``, with GraphiQL, React and ReactDOM loaded from chipkg's
own ``/static`` (vendored from npm; see ``static/vendor/README.md``), so it works on a
machine without internet. The example queries travel in a JSON block; ``?example=NAME``
opens one of them.

Paths are relative to ``/graphql`` (``static/...``), so the page works wherever the app
is mounted, and its fetcher posts to the page's own URL.
"""

from __future__ import annotations

from html import escape

from .examples import EXAMPLES
from .html import json_block

SCRIPTS = ("static/vendor/react/react.production.min.js", "static/vendor/react-dom/react-dom.production.min.js",
           "static/vendor/graphiql/graphiql.min.js", "static/graphiql-init.js")
STYLES = ("static/vendor/graphiql/graphiql.min.css", "static/graphiql-page.css")


def graphiql_page() -> str:
    examples = [{"name": e.name, "title": e.title, "query": e.query} for e in EXAMPLES]
    styles = "".join(f'<link rel="stylesheet" href="{escape(s)}">' for s in STYLES)
    scripts = "".join(f'<script src="{escape(s)}" defer></script>' for s in SCRIPTS)
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>GraphiQL — chipkg</title>{styles}{scripts}</head><body>"
            '<header class="bar"><a href="./">chipkg</a><label>Example: <select id="example">'
            '<option value="">choose a query…</option></select></label>'
            '<a href="ontology">ontology</a></header>'
            '<div id="graphiql">Loading GraphiQL…</div>'
            f'{json_block("graphql-examples", examples)}</body></html>\n')


__all__ = ["graphiql_page"]
