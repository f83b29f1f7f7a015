"""The tokenizer that keeps ``SERVICE``, ``LOAD`` and ``FROM`` out of ``/sparql``.

Each refused case is also shown to be one pyoxigraph would really act on (or at least
parse), so the guard is tested against the parser it protects, not against itself; each
allowed one is a query pyoxigraph accepts. ``tests/reliability/test_fuzz_sparql.py``
fuzzes the two readings against each other.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from chipkg.api.sparql_guard import BACKSLASH, forbidden_keywords, update_keywords

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
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", {"SERVICE", BACKSLASH}),
    ("SELECT * WHERE { ?s a service:x }", {"SERVICE"}),  # harmless, refused all the same
    # A local name's escapes are part of it: `\#` does not start a comment (issue 8).
    *((f"PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?v {{ ex:a{esc} }} SERVICE <http://127.0.0.1:9/> {{ }} }}"
       "\n}", {"SERVICE"}) for esc in ("\\#", "\\'", "%23", "\\#'", "\\.\\#")),
    # pyoxigraph needs no word boundary after a keyword (ASK FROM, true SERVICE, ...).
    ("ASKFROM <http://127.0.0.1:9/g> { ?s ?p ?o }", {"FROM"}),
    ("SELECT*FROM<http://127.0.0.1:9/g>{?s ?p ?o}", {"FROM"}),
    ("SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:9/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:9/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { SERVICESILENT <http://127.0.0.1:9/> { } }", {"SERVICE"}),
    ("PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { SERVICEex:x { } }", {"SERVICE"}),
    ("PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p trueSERVICEex:x { } }", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p $o.SERVICE <http://127.0.0.1:9/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p ?o # x\rSERVICE <http://127.0.0.1:9/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { ?s ?p ?o } \\", {BACKSLASH}),
]

ALLOWED = [
    "SELECT ?from ?service $load WHERE { ?from ?service $load }",
    'SELECT * WHERE { ?s ?p "from a service, load it" } # SERVICE <http://x/> { }',
    "SELECT * WHERE { ?s ?p '''it's ''from'' here''' }",
    "SELECT * WHERE { ?s ?p 'it\\'s from' }",
    "SELECT * WHERE { <http://schema.org/Service#from> <http://ex/load> ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { ?s ?p 'K\u212a' }",
    # from/service/load inside prefixed names, IRIs, strings and variables (issue 8).
    "PREFIX ckr: <https://w3id.org/chipkg/resource/> "
    "DESCRIBE ckr:h20-sales-permission-departs-from-us-export-restrictions",
    "PREFIX ex: <http://e/> SELECT * WHERE { ex:service ex:load-from ex:fromage . ex:a\\#from ?p ex:x.service }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\'b } # ' SERVICE",
    "SELECT * WHERE { ?s <http://e/a\\u0041/service> 'x\\u0041 from' }",
    "SELECT * WHERE { _:service ?p ?o } ORDER BY ?o",
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
    "PREFIX ex: <http://e/> SELECT * WHERE { VALUES ?v { ex:a\\# } SERVICE <http://127.0.0.1:9/> { } \n}",
    "SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:9/> { } }",
    "PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p trueSERVICEex:x { } }",
    "SELECT * WHERE { ?s ?p ?o # x\rSERVICE <http://127.0.0.1:9/> { } }",
])
def test_the_refused_services_are_real(query: str) -> None:
    # Port 9 is refused by pyoxigraph's own HTTP client, so nothing leaves the machine:
    # the error proves the query parsed and pyoxigraph tried to call the service.
    store = ox.Store()
    for value in (ox.Literal("o"), ox.Literal(True), ox.Literal(1)):
        store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), value))
    with pytest.raises(OSError, match="port 9"):
        list(store.query(query))  # type: ignore[arg-type]


def test_updates_are_recognised_for_the_error_message() -> None:
    assert update_keywords("INSERT DATA { <a:b> <a:c> <a:d> }") == {"INSERT"}
    assert update_keywords("SELECT * WHERE { ?s ?p 'delete' . ?s ?p ?address }") == set()


@pytest.mark.parametrize("query", ["'" * 300_000, "'''" + "a" * 1_000_000, "<" * 1_000_000, "<a" * 500_000,
                                   "''a" * 300_000, "#" * 1_000_000, ("<a" + "b" * 100) * 10_000])
def test_linear_on_hostile_input(query: str) -> None:
    """Returns at all: a quadratic scan of a megabyte would take hours, so the ceiling is
    generous (timing figures belong in bench/, not in an assertion)."""
    started = time.monotonic()
    assert forbidden_keywords(query) == set()
    assert time.monotonic() - started < 60
