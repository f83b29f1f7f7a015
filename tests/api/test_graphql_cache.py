"""Repeated GET queries are answered from a version-keyed cache; writes invalidate it."""

from __future__ import annotations

from starlette.testclient import TestClient

from chipkg import KnowledgeGraph, create_app
from chipkg.api.settings import Settings

QUERY = {"query": '{ entity(id: "nvidia") { label relations { totalCount } } }'}
TOKEN = "test-token-cache"


def client(kg: KnowledgeGraph) -> TestClient:
    return TestClient(create_app(kg, Settings(token=TOKEN)))


def test_a_repeat_with_the_etag_gets_304_and_no_body() -> None:
    with client(KnowledgeGraph()) as http:
        first = http.get("/graphql", params=QUERY, headers={"accept": "application/json"})
        assert first.status_code == 200
        etag = first.headers["etag"]
        again = http.get("/graphql", params=QUERY, headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag


def test_a_repeat_without_the_etag_gets_the_same_body() -> None:
    with client(KnowledgeGraph()) as http:
        first = http.get("/graphql", params=QUERY)
        second = http.get("/graphql", params=QUERY)
        assert second.status_code == 200
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert second.json()["data"]["entity"]["label"] == "Nvidia"


def test_a_write_changes_the_etag_and_the_answer() -> None:
    kg = KnowledgeGraph()
    with client(kg) as http:
        before = http.get("/graphql", params=QUERY)
        count = before.json()["data"]["entity"]["relations"]["totalCount"]
        write = http.post("/graphql", headers={"authorization": f"Bearer {TOKEN}"}, json={"query": """
            mutation { addFact(input: {subject: "huawei", predicate: "competesWith", object: "nvidia",
              evidence: "NvidiaのH20チップ", source: "h20-article", paragraph: 0}) { predicate } }"""})
        assert write.json().get("errors") is None, write.json()
        stale = http.get("/graphql", params=QUERY, headers={"if-none-match": before.headers["etag"]})
        assert stale.status_code == 200  # the old ETag no longer matches
        assert stale.headers["etag"] != before.headers["etag"]
        assert stale.json()["data"]["entity"]["relations"]["totalCount"] == count  # same fact, 2nd evidence
        assert kg.version == 1


def test_different_queries_have_different_etags() -> None:
    with client(KnowledgeGraph()) as http:
        a = http.get("/graphql", params=QUERY)
        b = http.get("/graphql", params={"query": '{ entity(id: "h20") { label } }'})
        assert a.headers["etag"] != b.headers["etag"]
        assert b.json()["data"]["entity"]["label"] == "H20"


def test_post_is_not_cached() -> None:
    with client(KnowledgeGraph()) as http:
        response = http.post("/graphql", json=QUERY)
        assert response.status_code == 200
        assert "etag" not in response.headers
