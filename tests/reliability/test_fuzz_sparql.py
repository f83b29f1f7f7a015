"""SPARQL fuzzing on ``/sparql``: random text, random keyword soup, and grammatical queries
with random expressions (bad casts, huge numbers, invalid dates, lone surrogates ...).
Garbage is 400; a query that parses is answered (200) or refused by a budget or by
content negotiation (4xx); nothing is a 500. In-process through ``evaluate`` (fast, many
examples) and over HTTP to a real server.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipkg.api.errors import HTTPError
from chipkg.api.sparql import evaluate
from chipkg.graph import ChipKGError, KnowledgeGraph

from .support import Server, check_error_body, knob

IN_PROCESS_EXAMPLES = knob("fuzz_sparql_inprocess", 1500, 20_000)
HTTP_EXAMPLES = knob("fuzz_sparql_http", 400, 4_000)
FUZZ = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))

WORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")", ".", ";",
         ",", "FILTER", "BIND", "AS", "VALUES", "UNION", "OPTIONAL", "MINUS", "GRAPH", "<x>", "<http://a/b>", '"x"',
         "'y'@en", "1", "1e999", "LIMIT", "OFFSET", "ORDER BY", "GROUP BY", "COUNT(*)", "PREFIX ex: <http://e/>",
         "ex:a", "a", "[]", "_:b", "<<", ">>", "\\u0000", "\x00", "#", "\n", "<bad iri>", "SERVICE", "FROM",
         "INSERT DATA", "LOAD", "DROP ALL", "HAVING", "DISTINCT", "$v", "^^", "@en-", "/", "|", "+", "?"]
ATOMS = ["?o", "?s", "?p", "1", "1.5", "-0", "1e308", "1e999", "99999999999999999999999999999", '"x"', '"x"@en',
         "'日本'@ja", "<http://a/b>", '"a\\u0000b"', '"2020-13-45"^^xsd:date', '"abc"^^xsd:integer',
         '"nan"^^xsd:double', "true", '"P1Y"^^xsd:duration', '"\\uD800"', 'xsd:integer("x")', "NOW()", "RAND()",
         "BNODE()", "UUID()"]
FUNCTIONS_1 = ["STR", "LANG", "DATATYPE", "STRLEN", "UCASE", "ABS", "ROUND", "CEIL", "ENCODE_FOR_URI", "IRI",
               "BNODE", "SHA512", "MD5", "YEAR", "TZ", "isIRI", "BOUND", "xsd:integer", "xsd:dateTime",
               "xsd:decimal", "xsd:float", "LCASE"]
FUNCTIONS_2 = ["REGEX", "CONTAINS", "STRSTARTS", "LANGMATCHES", "STRDT", "STRLANG", "SUBSTR", "REPLACE",
               "sameTerm", "COALESCE", "CONCAT", "STRBEFORE"]
OPERATORS = ["+", "-", "*", "/", "=", "!=", "<", ">", "&&", "||"]
FORMS = ["SELECT * WHERE", "SELECT ?x WHERE", "SELECT (COUNT(*) AS ?n) WHERE", "ASK", "CONSTRUCT { ?s ?p ?x } WHERE",
         "DESCRIBE ?s WHERE", "SELECT (SUM(?x) AS ?n) (GROUP_CONCAT(?x) AS ?g) WHERE"]
TAILS = ["", " LIMIT 5", " ORDER BY ?x LIMIT 3", " OFFSET 99999999999999999999", " LIMIT 18446744073709551616",
         " GROUP BY ?x", " ORDER BY DESC(?x) LIMIT 2"]
ACCEPTS = [None, "*/*", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values", "text/turtle", "application/ld+json", "image/png", "text/*;q=abc, ;;;"]

EXPRESSIONS = st.recursive(
    st.sampled_from(ATOMS),
    lambda e: st.one_of(st.tuples(st.sampled_from(FUNCTIONS_1), e).map(lambda t: f"{t[0]}({t[1]})"),
                        st.tuples(st.sampled_from(FUNCTIONS_2), e, e).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
                        st.tuples(e, st.sampled_from(OPERATORS), e).map(lambda t: f"({t[0]} {t[1]} {t[2]})")),
    max_leaves=8)
GRAMMATICAL = st.builds(
    lambda form, bind, keep, tail: (f"PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> {form} "
                                    f"{{ ?s ?p ?o BIND({bind} AS ?x) FILTER({keep}) }}{tail}"),
    st.sampled_from(FORMS), EXPRESSIONS, EXPRESSIONS, st.sampled_from(TAILS))
QUERIES = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join), GRAMMATICAL)


@pytest.fixture(scope="module")
def seed_store() -> Iterator[object]:
    kg = KnowledgeGraph()
    yield kg.store
    kg.close()


def test_fuzz_sparql_in_process(seed_store: object, figures: dict[str, Any]) -> None:
    outcomes: Counter[str] = Counter()
    slots = threading.BoundedSemaphore(2)

    @settings(FUZZ, max_examples=IN_PROCESS_EXAMPLES)
    @given(query=QUERIES, accept=st.sampled_from(ACCEPTS))
    def run(query: str, accept: str | None) -> None:
        try:
            evaluate(seed_store, query, accept, deadline=time.monotonic() + 5, max_bytes=1 << 20, slots=slots,
                     timeout=5)
            outcomes["200"] += 1
        except HTTPError as exc:
            assert exc.status < 500 or exc.code == "SPARQL_TIMEOUT", (query, exc.status, exc.code, exc.message)
            outcomes[f"{exc.status} {exc.code}"] += 1
        except ChipKGError as exc:  # a budget (QueryTooLarge); a StoreError here would be a bug
            assert exc.code == "QUERY_TOO_LARGE", (query, exc.code, exc.message)
            outcomes[exc.code] += 1

    run()
    total = sum(outcomes.values())
    print(f"\nSPARQL fuzz, in-process: {total} queries; outcomes {dict(outcomes)}")
    figures["fuzz.sparql.in_process.examples"] = total
    figures["fuzz.sparql.in_process.outcomes"] = dict(sorted(outcomes.items()))
    assert outcomes["200"] > total * 0.05, "the grammatical queries should mostly run"


def test_fuzz_sparql_over_http(fuzz_server: Server, figures: dict[str, Any]) -> None:
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:

        @settings(FUZZ, max_examples=HTTP_EXAMPLES)
        @given(query=QUERIES, accept=st.sampled_from(ACCEPTS), how=st.sampled_from(["get", "form", "direct"]))
        def run(query: str, accept: str | None, how: str) -> None:
            headers = {"Accept": accept} if accept else {}
            if how == "get":
                response = client.get("/sparql", params={"query": query}, headers=headers)
            elif how == "form":
                response = client.post("/sparql", data={"query": query}, headers=headers)
            else:
                response = client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                                       headers={**headers, "Content-Type": "application/sparql-query"})
            statuses[response.status_code] += 1
            assert response.status_code < 500, (query, response.status_code, response.text[:300])
            if response.status_code >= 400:
                check_error_body(response)

        run()
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    total = sum(statuses.values())
    print(f"\nSPARQL fuzz, over HTTP: {total} requests; statuses {dict(statuses)}")
    figures["fuzz.sparql.http.examples"] = total
    figures["fuzz.sparql.http.statuses"] = {str(k): v for k, v in sorted(statuses.items())}


# ------------------------------------------------------------------ the guard against pyoxigraph's reading

GUARD_EXAMPLES = knob("fuzz_sparql_guard", 3000, 30_000)
# Pieces that have fooled a keyword scan, or could: escapes in local names, `<` as an IRI
# or an operator, strings and comments that open on one side of SERVICE and close on the
# other, keywords glued to the word before them, \u escapes. Mostly well-formed pieces
# (VALID), so that pyoxigraph parses enough queries to call SERVICE often.
VALID = ["VALUES ?v { ex:a\\# }", "VALUES ?v { ex:a\\' }", "BIND(ex:a%23 AS ?w)", "FILTER(?o<'x>')",
         "FILTER(?o < 3)", "FILTER(?o<?o)", "FILTER(true)", "OPTIONAL { ?s ?p ?o }", "MINUS { }", "{ }",
         "?s ?p ex:a\\#b .", "?s ?p true .", "?s ?p 1 .", "?s ?p 'x'@en .", "?s ?p $o .", "?s ex:p?o .",
         "?s a ?o .", "# SERVICE\n", "?s ?p '''#''' .", "?s ?p '#' .", '?s ?p "<" .', "?s ?p <http://e/#> .",
         "?s ?p _:b .", "BIND('\\u0027' AS ?u)", "BIND(<http://e/\\u0023> AS ?i)",
         # no final dot: what follows is glued to the last term (?s ?p trueSERVICE ...)
         "?s ?p", "?s ?p true", "?s ?p 1", "?s ?p ex:a\\#b", "?s ?p $o"]
TRICKY = ["#", "'", '"', "'''", '"""', "<", ">", "<x#", "ex:", "ex:a", "ex:a.", "ex:a\\.", "ex:a\\", "\\", "?",
          "@en", "true", "1", "1.", "1e", "-", ";", ",", "x", "\\u0023", "\\u0027", "\\u0053", "{", "}", "a",
          "^", "/", "|", "(", ")", "<<", ">>"]
GLUE = ["", " ", "\n", "\r", "\t"]
SERVICE_WORDS = ["SERVICE", "service", "SeRvIcE", "trueSERVICE", "1SERVICE", "ex:x.SERVICE", "ASERVICE"]
SENTINEL = "http://127.0.0.1:9/"  # pyoxigraph refuses port 9 before connecting: a safe oracle


def _pieces() -> st.SearchStrategy[str]:
    valid = st.sampled_from(VALID)
    piece = st.one_of(valid, valid, valid, st.sampled_from(TRICKY))
    return st.lists(st.tuples(st.sampled_from(GLUE), piece), max_size=3).map(
        lambda parts: "".join(glue + part for glue, part in parts))


SERVICE_QUERIES = st.builds(
    lambda before, word, glue, after: (f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o . {before}{glue}{word} "
                                       f"<{SENTINEL}> {{ }} {after}\n}}"),
    _pieces(), st.sampled_from(SERVICE_WORDS), st.sampled_from(GLUE), _pieces())


def test_fuzz_the_guard_against_pyoxigraph(figures: dict[str, Any]) -> None:
    """Whenever pyoxigraph really calls the SERVICE, the guard has refused the query.

    The oracle is pyoxigraph itself: it refuses to call port 9 with an error that names
    the port, so a query that raises it reached SERVICE evaluation (without a connection).
    """
    import pyoxigraph as ox

    from chipkg.api.sparql_guard import BACKSLASH, forbidden_keywords

    store = ox.Store()
    for value in (ox.Literal("o"), ox.Literal(True), ox.Literal(1)):
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), value))
    seen: Counter[str] = Counter()

    @settings(FUZZ, max_examples=GUARD_EXAMPLES)
    @given(query=SERVICE_QUERIES)
    def run(query: str) -> None:
        refused = forbidden_keywords(query) & {"SERVICE", BACKSLASH}
        try:
            list(store.query(query))  # type: ignore[arg-type]
            live = False
        except SyntaxError:
            seen["syntax error"] += 1
            return
        except OSError as exc:
            live = "port 9" in str(exc)
        seen["service called" if live else "parsed, service not called"] += 1
        seen["refused" if refused else "passed"] += 1
        assert refused or not live, query

    run()
    guarded = sum(seen[k] for k in ("syntax error", "service called", "parsed, service not called"))
    print(f"\nguard against pyoxigraph: {guarded} queries; {dict(seen)}")
    figures["fuzz.sparql.guard.outcomes"] = dict(sorted(seen.items()))
    assert seen["service called"] > GUARD_EXAMPLES // 30, "the fuzzer should reach SERVICE often"
