"""Malformed HTTP to ``/graphql``: broken JSON, JSON that is not an object, bodies that are
not UTF-8, wrong content types, odd methods. Each gets a 4xx with chipkg's JSON error body
and a stable code, never a 500; then random bytes in random content types, fuzzed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import Server, check_error_body, knob

BODY_EXAMPLES = knob("fuzz_bodies", 300, 3_000)

JSON = "application/json"
CASES = [
    # (body, content type, status, code)
    (b"{bad", JSON, 400, "BAD_REQUEST"),
    (b"", JSON, 400, "BAD_REQUEST"),
    (b"null", JSON, 400, "BAD_REQUEST"),
    (b"5", JSON, 400, "BAD_REQUEST"),
    (b"true", JSON, 400, "BAD_REQUEST"),
    (b'"{ __typename }"', JSON, 400, "BAD_REQUEST"),
    (b"NaN", JSON, 400, "BAD_REQUEST"),
    (b"[]", JSON, 400, "BAD_REQUEST"),  # batching is off
    (b'[{"query": "{ __typename }"}]', JSON, 400, "BAD_REQUEST"),
    (b"{}", JSON, 400, "BAD_REQUEST"),
    (b'{"query": 1}', JSON, 400, "BAD_REQUEST"),
    (b'{"query": "{ __typename }", "variables": "x"}', JSON, 400, "BAD_REQUEST"),
    (b'{"query": "{ __typename }", "variables": [1]}', JSON, 400, "BAD_REQUEST"),
    (b'{"query": "{ __typename }", "extensions": 5}', JSON, 400, "BAD_REQUEST"),
    (b'{"query": "{ __typename }", "operationName": 5}', JSON, 400, "BAD_REQUEST"),
    (b"\x80", JSON, 400, "BAD_REQUEST"),  # not UTF-8
    (b"\xff\xfe{", JSON, 400, "BAD_REQUEST"),
    (b'{"query": "\xff"}', JSON, 400, "BAD_REQUEST"),
    (b"[" * 100_000, JSON, 400, "BAD_REQUEST"),  # past the JSON parser's recursion limit
    (b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"}}", JSON, 400, "BAD_REQUEST"),
    (b'{"query": "{ __typename }"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (b'{"query": "{ __typename }"}', "application/graphql", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (b"query={__typename}", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (b'{"query": "{ __typename }"}', "", 415, "UNSUPPORTED_MEDIA_TYPE"),
]


@pytest.fixture(scope="module")
def client(fuzz_server: Server) -> httpx.Client:
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as found:
        yield found


@pytest.mark.parametrize(("body", "content_type", "status", "code"), CASES,
                         ids=[f"{i}-{c[1] or 'none'}" for i, c in enumerate(CASES)])
def test_malformed_graphql_bodies_are_4xx(client: httpx.Client, body: bytes, content_type: str, status: int,
                                          code: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == status, response.text[:300]
    assert check_error_body(response) == code


@pytest.mark.parametrize(("method", "path", "params", "status", "code"), [
    ("GET", "/graphql", {"query": "{"}, 200, None),  # a GraphQL parse error is a GraphQL response
    ("GET", "/graphql", {"query": "mutation { removeFact(subject: \"a\", predicate: \"makes\", object: \"b\") "
                                  "{ removedTriples } }"}, 400, "BAD_REQUEST"),
    ("GET", "/graphql", {"query": "{ __typename }", "variables": "{"}, 400, "BAD_REQUEST"),
    ("GET", "/graphql", {"query": "{ __typename }", "variables": "5"}, 400, "BAD_REQUEST"),
    ("PUT", "/graphql", {}, 405, "METHOD_NOT_ALLOWED"),
    ("DELETE", "/graphql", {}, 405, "METHOD_NOT_ALLOWED"),
    ("PATCH", "/sparql", {}, 405, "METHOD_NOT_ALLOWED"),
    ("GET", "/no/such/route", {}, 404, "NOT_FOUND"),
])
def test_odd_requests_get_their_status(client: httpx.Client, method: str, path: str, params: dict[str, str],
                                       status: int, code: str | None) -> None:
    response = client.request(method, path, params=params, headers={"Accept": "application/json"})
    assert response.status_code == status, response.text[:300]
    if code is not None:
        assert check_error_body(response) == code


def test_fuzzed_bodies_never_500(fuzz_server: Server, figures: dict[str, Any]) -> None:
    statuses: Counter[int] = Counter()
    bodies = st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                    lambda inner: st.lists(inner, max_size=4)
                                    | st.dictionaries(st.sampled_from(["query", "variables", "operationName",
                                                                       "extensions", "x"]), inner, max_size=4),
                                    max_leaves=10).map(lambda v: httpx.Request("POST", "/", json=v).content))
    types = st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain",
                             "application/graphql", "multipart/form-data", "application/x-www-form-urlencoded",
                             "application/sparql-query", ""])
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:

        @settings(derandomize=True, database=None, deadline=None, max_examples=BODY_EXAMPLES,
                  suppress_health_check=list(HealthCheck))
        @given(body=bodies, content_type=types, path=st.sampled_from(["/graphql", "/sparql"]))
        def run(body: bytes, content_type: str, path: str) -> None:
            response = client.post(path, content=body, headers={"Content-Type": content_type} if content_type else {})
            statuses[response.status_code] += 1
            assert response.status_code < 500, (body, content_type, response.text[:300])
            if response.status_code >= 400:
                check_error_body(response)

        run()
    total = sum(statuses.values())
    print(f"\nmalformed bodies fuzzed: {total}; statuses {dict(statuses)}")
    figures["fuzz.http_bodies.examples"] = total
    figures["fuzz.http_bodies.statuses"] = {str(k): v for k, v in sorted(statuses.items())}
