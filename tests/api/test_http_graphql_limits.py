"""GraphQL documents that are expensive to validate, over a real uvicorn: refused with
``QUERY_TOO_LARGE``, and the server keeps answering ``/healthz`` while they arrive.

No test here measures speed (the refusal times are in ``bench/refusals.py``); the ceilings
are generous and only fail when the event loop is really held: before the limits, 19
doubling fragments kept it for 1 to 12 s each.
"""

from __future__ import annotations

import threading

import httpx

IN_FLIGHT = 20
HEALTHZ_CEILING = 5.0  # seconds for one /healthz answer while the hostile requests are in flight


def doubling_fragments(levels: int, salt: int) -> str:
    """2^levels fields in under 1 KB; ``salt`` makes each document distinct (no cache hit)."""
    parts = [f'query Q{salt} {{ entity(id: "h20") {{ ...F0 }} }}']
    for i in range(levels):
        body = f"...F{i + 1} ...F{i + 1}" if i < levels - 1 else 'label(lang: "en")'
        parts.append(f"fragment F{i} on Entity {{ {body} }}")
    return "\n".join(parts)


def hostile(n: int) -> str:
    if n % 2:
        return doubling_fragments(19 + n % 3, n)
    return "query Q%d { entity(id: \"h20\") { %s } }" % (n, " ".join(['label(lang: "en")'] * 450))


def test_healthz_answers_while_expensive_documents_are_refused(server: str) -> None:
    codes: list[set[str]] = []
    problems: list[str] = []
    started = threading.Barrier(IN_FLIGHT + 1)

    def send(n: int) -> None:
        with httpx.Client(base_url=server, timeout=120) as client:
            started.wait()
            for k in range(3):
                response = client.post("/graphql", json={"query": hostile(n * 3 + k)})
                if response.status_code != 200:
                    problems.append(f"{response.status_code} {response.text[:200]}")
                    continue
                codes.append({e["extensions"]["code"] for e in response.json().get("errors") or ()})

    senders = [threading.Thread(target=send, args=(n,)) for n in range(IN_FLIGHT)]
    for sender in senders:
        sender.start()
    answered_in_flight = 0
    try:
        started.wait()
        with httpx.Client(base_url=server, timeout=HEALTHZ_CEILING) as client:
            for _ in range(10):
                # A timeout here (httpx.ReadTimeout) is the failure: the loop was held.
                assert client.get("/healthz").status_code == 200
                if any(sender.is_alive() for sender in senders):
                    answered_in_flight += 1
    finally:
        for sender in senders:
            sender.join(timeout=120)
    assert not problems, problems[:3]
    assert len(codes) == IN_FLIGHT * 3 and all(c == {"QUERY_TOO_LARGE"} for c in codes), codes[:3]
    assert answered_in_flight > 0, "every hostile request ended before /healthz was asked: nothing was tested"


def test_two_operations_without_a_name_over_http(http: httpx.Client) -> None:
    document = "query A { stats { triples } } query B { stats { entities } }"
    body = http.post("/graphql", json={"query": document}).json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["OPERATION_NAME_REQUIRED"]
    named = http.post("/graphql", json={"query": document, "operationName": "B"}).json()
    assert "errors" not in named and named["data"]["stats"]["entities"] > 0


def test_a_lone_surrogate_in_json_is_bad_user_input_over_http(http: httpx.Client) -> None:
    """The body is JSON with the escape itself: what a client sends, byte for byte."""
    headers = {"Content-Type": "application/json"}
    for raw in (rb'{"query": "query($t: String!) { search(text: $t) { id } }", "variables": {"t": "a\ud800"}}',
                rb'{"query": "{ search(text: \"a\ud800\") { id } }"}'):
        response = http.post("/graphql", content=raw, headers=headers)
        assert response.status_code == 200
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "U+D800" in error["message"]
