"""GraphQL fuzzing: hypothesis-graphql writes valid and invalid documents from the live
schema (``build_schema().as_str()``), queries and mutations, sent in-process and to a
real server. Every answer must be a well-formed GraphQL response (data and/or errors, a
code on every error, none of them INTERNAL_SERVER_ERROR), never a 500 or a traceback.

Runs are reproducible (``derandomize=True``, no example database). Scalars are drawn from
a mix of the seed's real ids and names and arbitrary text, so resolvers are reached deep,
not only refused at the first unknown id.

An INTERNAL_SERVER_ERROR is allowed only where the logged cause is one of the open bugs in
``support.KNOWN_BUGS``; those hits are counted in the figures. Anything else fails.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from chipkg.graph import KnowledgeGraph
from chipkg.schema import Context, build_schema

from .support import (
    CKR,
    TOKEN,
    Server,
    check_error_body,
    check_graphql_response,
    knob,
    known_bug,
    tracebacks,
)

IN_PROCESS_EXAMPLES = knob("fuzz_inprocess", 1600, 10_000)
HTTP_EXAMPLES = knob("fuzz_http", 600, 5_000)

SEED_IDS = ["nvidia", "h20", "huawei", "deepseek", "china", "cyberspace-administration-of-china",
            "trump-administration", "jensen-huang", "h20-article", "world-artificial-intelligence-conference",
            "ckr:nvidia", CKR + "h20", "no-such-entity", ""]
SEED_STRINGS = ["makes", "madeBy", "competesWith", "issuedBy", "appliesTo", "summoned", "ceoOf", "basedIn",
                "Company", "Chip", "Regulator", "Policy", "Person", "Organization", "Place", "Quote", "Article",
                "en", "ja", "zh", "Nvidia", "エヌビディア", "nvidia", "ＮＶＩＤＩＡ", "H20", "ckg:makes", ""]
IRI_SAFE = st.characters(codec="utf-8", categories=("L", "N"), include_characters="-._~")


IDS = st.one_of(st.sampled_from(SEED_IDS), st.text(IRI_SAFE, max_size=24),
                st.text(IRI_SAFE, min_size=1, max_size=16).map(lambda s: CKR + s), st.text(max_size=24))
SCALARS = {"ID": IDS.map(nodes.String),
           "String": st.one_of(st.sampled_from(SEED_STRINGS), st.text(max_size=40)).map(nodes.String)}
SDL = build_schema().as_str()
DOCUMENTS = st.one_of(from_schema(SDL, mode=Mode.POSITIVE, custom_scalars=SCALARS),
                      from_schema(SDL, mode=Mode.NEGATIVE, custom_scalars=SCALARS))
FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=list(HealthCheck))


def _as_response(result: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return response


def _internal(body: dict[str, Any]) -> int:
    return sum(1 for e in body.get("errors") or () if e.get("extensions", {}).get("code") == "INTERNAL_SERVER_ERROR")


def _check(body: dict[str, Any], causes: list[str], known: Counter[str]) -> None:
    """``check_graphql_response``, except that INTERNAL_SERVER_ERRORs whose logged causes
    (exception lines) are all known bugs are counted in ``known`` instead."""
    if _internal(body):
        names = [known_bug(cause) for cause in causes]
        assert names and None not in names, f"INTERNAL_SERVER_ERROR not explained by a known bug: {causes}"
        known.update(names)
        body = {**body, "errors": [e for e in body["errors"]
                                   if e.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR"]}
        if not body["errors"]:
            del body["errors"]
            body.setdefault("data", None)
    check_graphql_response(body)


class _Causes(logging.Handler):
    """The exception lines of the errors strawberry logs (it logs only unexpected ones)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.lines.append(traceback.format_exception_only(record.exc_info[1])[-1].strip())


@pytest.fixture(scope="module")
def fuzz_graph() -> Iterator[KnowledgeGraph]:
    """A seeded graph of its own: the fuzzer's authorised mutations may write to it."""
    kg = KnowledgeGraph()
    yield kg
    kg.close()


# graphql-core leaves sibling coroutines un-awaited when an error nulls their parent
# (graphql-core issues #236, #269): upstream, harmless, and counted in the server log checks.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_fuzz_graphql_in_process(fuzz_graph: KnowledgeGraph, figures: dict[str, Any]) -> None:
    schema = build_schema()
    codes: Counter[str] = Counter()
    known: Counter[str] = Counter()
    runner = asyncio.Runner()
    causes = _Causes()
    logger = logging.getLogger("strawberry.execution")
    logger.addHandler(causes)

    @settings(FUZZ, max_examples=IN_PROCESS_EXAMPLES)
    @given(document=DOCUMENTS, authorized=st.booleans())
    def run(document: str, authorized: bool) -> None:
        codes["examples"] += 1
        context = Context.for_request(fuzz_graph, authorized=authorized)
        causes.lines.clear()
        result = runner.run(schema.execute(document, context_value=context))
        response = _as_response(result)
        codes.update(e["extensions"]["code"] for e in response.get("errors", ()))
        _check(response, list(causes.lines), known)

    try:
        run()
    finally:
        runner.close()
        logger.removeHandler(causes)
    examples = codes.pop("examples")
    print(f"\nGraphQL fuzz, in-process: {examples} examples; error codes {dict(codes)}; "
          f"{fuzz_graph.version} writes accepted; known-bug hits {dict(known)}")
    figures["fuzz.graphql.in_process.known_bug_hits"] = dict(sorted(known.items()))
    figures["fuzz.graphql.in_process.examples"] = examples
    figures["fuzz.graphql.in_process.writes_accepted"] = fuzz_graph.version
    figures["fuzz.graphql.in_process.error_codes"] = dict(sorted(codes.items()))
    assert examples >= IN_PROCESS_EXAMPLES * 0.95
    # Whatever the fuzzer managed to write went through validation: the graph still conforms.
    assert fuzz_graph.validate() == []


def test_fuzz_graphql_over_http(fuzz_server: Server, figures: dict[str, Any]) -> None:
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()
    known: Counter[str] = Counter()
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:

        @settings(FUZZ, max_examples=HTTP_EXAMPLES)
        @given(document=DOCUMENTS, authorized=st.booleans(), method=st.sampled_from(["POST", "POST", "GET"]))
        def run(document: str, authorized: bool, method: str) -> None:
            headers = {"Authorization": f"Bearer {TOKEN}"} if authorized else {}
            logged = len(fuzz_server.output())
            if method == "GET":
                response = client.get("/graphql", params={"query": document},
                                      headers={**headers, "Accept": "application/json"})
            else:
                response = client.post("/graphql", json={"query": document}, headers=headers)
            statuses[response.status_code] += 1
            assert response.status_code < 500, response.text
            if response.status_code == 200:
                body = response.json()
                codes.update(e["extensions"]["code"] for e in body.get("errors", ()))
                causes = [end for _, end in tracebacks(fuzz_server.output()[logged:])] if _internal(body) else []
                _check(body, causes, known)
            else:  # GET of a mutation: refused as an HTTP error, with a code
                codes[check_error_body(response)] += 1

        run()
        assert client.get("/healthz").status_code == 200
    examples = sum(statuses.values())
    print(f"\nGraphQL fuzz, over HTTP: {examples} requests; statuses {dict(statuses)}; codes {dict(codes)}; "
          f"known-bug hits {dict(known)}")
    figures["fuzz.graphql.http.known_bug_hits"] = dict(sorted(known.items()))
    figures["fuzz.graphql.http.examples"] = examples
    figures["fuzz.graphql.http.statuses"] = {str(k): v for k, v in sorted(statuses.items())}
    assert examples >= HTTP_EXAMPLES * 0.95
