"""Repeated GET queries are answered from a version-keyed cache; writes invalidate it."""

from __future__ import annotations

from starlette.testclient import TestClient

from chipkg import KnowledgeGraph, create_app
from chipkg.api.cache import GraphQLCache
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
              evidence: "Nvidia H20チップ:米国の政策転換と安全保障の懸念の中で中国AIを加速",
              source: "h20-article", paragraph: 0}) { predicate } }"""})
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


def _cache_of(app: object) -> GraphQLCache:
    """The app's GraphQLCache instance, found down its (built) middleware stack."""
    node = app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(node, GraphQLCache):
        node = node.app
    return node


def _query(i: int) -> dict[str, str]:
    # Distinct query texts with answers of a few KiB each: every alias repeats the relations.
    aliases = " ".join(f"r{i}_{j}: relations {{ edges {{ node {{ predicate target {{ id }} }} }} }}" for j in range(3))
    return {"query": f'{{ entity(id: "nvidia") {{ {aliases} }} }}'}


def test_the_cache_never_keeps_more_bytes_than_its_bound() -> None:
    bound = 16 * 1024
    app = create_app(KnowledgeGraph(), Settings(graphql_cache_bytes=bound))
    with TestClient(app) as http:
        sizes, etags = [], []
        for i in range(60):
            response = http.get("/graphql", params=_query(i))
            assert response.status_code == 200 and "errors" not in response.json()
            sizes.append(len(response.content))
            etags.append(response.headers["etag"])
            cache = _cache_of(app)
            assert cache.kept_bytes <= bound
            assert cache.kept_bytes == sum(cost for _body, _headers, cost in cache._bodies.values())
        assert sum(sizes) > 4 * bound, "the answers were too small to fill the cache"
        kept = list(cache._bodies)
        assert 2 <= len(kept) < 60 and kept == etags[-len(kept):]  # the newest are the ones kept
        # Least recently used go first: touch the oldest kept entry, add one more, and the
        # second oldest is what goes.
        oldest, second = kept[0], kept[1]
        assert http.get("/graphql", params=_query(etags.index(oldest))).headers["etag"] == oldest
        http.get("/graphql", params=_query(1000))
        assert oldest in cache._bodies and second not in cache._bodies
        assert cache.kept_bytes <= bound


def test_an_answer_bigger_than_the_bound_is_served_but_not_kept() -> None:
    app = create_app(KnowledgeGraph(), Settings(graphql_cache_bytes=1000))
    with TestClient(app) as http:
        response = http.get("/graphql", params=_query(0))
        assert response.status_code == 200 and len(response.content) > 1000
        assert _cache_of(app).kept_bytes == 0 and not _cache_of(app)._bodies


def test_a_zero_bound_turns_the_cache_off() -> None:
    app = create_app(KnowledgeGraph(), Settings(graphql_cache_bytes=0))
    with TestClient(app) as http:
        assert http.get("/graphql", params=QUERY).status_code == 200
        assert _cache_of(app).kept_bytes == 0 and not _cache_of(app)._bodies
