"""The keyword scan that keeps ``SERVICE``, ``LOAD`` and ``FROM`` out of ``/sparql``.

Each refused case is also shown to be one pyoxigraph would really act on (or at least
parse), so the scan is tested against the parser it protects, not against itself.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from chipkg.api.sparql_guard import UPDATE_KEYWORDS, forbidden_keywords

REFUSED = [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", {"SERVICE"}),
    ("select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * WHERE { SeRvIcE ?endpoint { ?s ?p ?o } }", {"SERVICE"}),
    # pyoxigraph reads `SERVICE:x` as `SERVICE :x`, so prefixed names are not exempt.
    ("PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}", {"SERVICE"}),
    ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", {"FROM"}),
    ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", {"FROM"}),
    ("LOAD <http://127.0.0.1:9/data.ttl>", {"LOAD"}),
    # `<` as less-than: the string 'x>' must not make the scan skip what follows.
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<'x>') SERVICE <http://127.0.0.1:9/> { } # '\n}", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?b#>'''\n) SERVICE <http://127.0.0.1:9/> { } #'''\n}", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p ?o } #from\r SERVICE", {"SERVICE"}),
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * WHERE { ?s a schema:Service }", {"SERVICE"}),  # harmless, refused all the same
]

ALLOWED = [
    "SELECT ?from ?service $load WHERE { ?from ?service $load }",
    'SELECT * WHERE { ?s ?p "from a service, load it" } # SERVICE <http://x/> { }',
    "SELECT * WHERE { ?s ?p '''it's ''from'' here''' }",
    "SELECT * WHERE { ?s ?p 'it\\'s from' }",
    "SELECT * WHERE { <http://schema.org/Service#from> <http://ex/load> ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { ?s ?p 'K\u212a' }",
]


@pytest.mark.parametrize(("query", "keywords"), REFUSED)
def test_refused(query: str, keywords: set[str]) -> None:
    assert forbidden_keywords(query) == keywords


@pytest.mark.parametrize("query", ALLOWED)
def test_allowed(query: str) -> None:
    assert forbidden_keywords(query) == set()
    ox.Store().query(query)  # and they are queries pyoxigraph accepts


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<'x>') SERVICE <http://127.0.0.1:9/> { } # '\n}",
])
def test_the_refused_services_are_real(query: str) -> None:
    # Port 9 is refused by pyoxigraph's own HTTP client, so nothing leaves the machine:
    # the error proves the query parsed and pyoxigraph tried to call the service.
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal("o")))
    with pytest.raises(OSError):
        list(store.query(query))  # type: ignore[arg-type]


def test_updates_are_recognised_for_the_error_message() -> None:
    assert forbidden_keywords("INSERT DATA { <a:b> <a:c> <a:d> }", UPDATE_KEYWORDS) == {"INSERT"}
    assert forbidden_keywords("SELECT * WHERE { ?s ?p 'delete' }", UPDATE_KEYWORDS) == set()


@pytest.mark.parametrize("query", ["'" * 300_000, "'''" + "a" * 1_000_000, "<" * 1_000_000, "<a" * 500_000,
                                   "''a" * 300_000, "#" * 1_000_000, ("<a" + "b" * 100) * 10_000])
def test_linear_on_hostile_input(query: str) -> None:
    """Returns at all: a quadratic scan of a megabyte would take hours, so the ceiling is
    generous (timing figures belong in bench/, not in an assertion)."""
    started = time.monotonic()
    assert forbidden_keywords(query) == set()
    assert time.monotonic() - started < 60
