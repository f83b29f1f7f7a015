"""Who may write: only a request with the configured bearer token, compared in constant
time; no token configured means no writes at all; the token never shows in the server's
logs or in an error message; CORS stays closed unless origins are configured.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chipkg.api import auth
from chipkg.api.app import create_app
from chipkg.api.settings import Settings
from chipkg.graph import KnowledgeGraph

from .support import TOKEN, Server, in_process_client, start_server

ADD = ('mutation { addEntity(input: {type: "Company", label: "Auth Probe %s", labelJa: "認証%s"}) { id } }')
WRONG = ["", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), " " + TOKEN + "x", TOKEN[1:], "Bearer " + TOKEN]


def _headers(value: str | None) -> dict[str, str]:
    return {} if value is None else {"Authorization": value}


def _codes(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["extensions"]["code"] for e in response.json().get("errors") or ()]


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server at the most verbose log level ``chipkg serve`` offers, writes on."""
    server = start_server(tmp_path_factory.mktemp("auth") / "server.log", log_level="debug")
    try:
        yield server
    finally:
        server.stop()


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any]] = []
    real = auth.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.is_authorized({"authorization": f"Bearer {TOKEN}"}, TOKEN)
    assert not auth.is_authorized({"authorization": "Bearer nope"}, TOKEN)
    assert len(calls) == 2
    source = inspect.getsource(auth.is_authorized)
    assert "compare_digest" in source and "== token" not in source and "token ==" not in source


@pytest.mark.parametrize("header", [None, *(f"Bearer {w}" for w in WRONG), f"Basic {TOKEN}", f"Token {TOKEN}",
                                    TOKEN, f"Bearer{TOKEN}", "Bearer", f"Bearer {TOKEN}\x00"])
def test_writes_without_the_token_are_refused(logged_server: Server, header: str | None) -> None:
    with httpx.Client(base_url=logged_server.base, timeout=30) as client:
        before = client.get("/healthz").json()
        try:
            response = client.post("/graphql", json={"query": ADD % ("x", "x")}, headers=_headers(header))
        except (httpx.LocalProtocolError, ValueError):
            return  # a header httpx itself will not send cannot reach the server either
        assert _codes(response) == ["UNAUTHENTICATED"]
        assert response.json()["data"] is None
        assert client.get("/healthz").json() == before


def test_the_token_allows_writes(logged_server: Server) -> None:
    with httpx.Client(base_url=logged_server.base, timeout=30) as client:
        for header in (f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER   {TOKEN}"):
            response = client.post("/graphql", json={"query": ADD % (header[:3], header[:3])},
                                   headers=_headers(header))
            assert _codes(response) == [], response.text


@pytest.mark.parametrize("token", [None, "", "   "])
def test_no_token_configured_means_no_writes(token: str | None) -> None:
    kg = KnowledgeGraph()
    before = kg.export()
    with in_process_client(create_app(kg, Settings(token=token))) as client:
        for header in (None, "Bearer ", "Bearer", f"Bearer {token or ''}", "Bearer null", "Bearer None",
                       f"Bearer {TOKEN}"):
            for mutation in (ADD % ("x", "x"),
                             ('mutation { removeFact(subject: "nvidia", predicate: "makes", object: "h20") '
                              "{ removedTriples } }")):
                response = client.post("/graphql", json={"query": mutation}, headers=_headers(header))
                assert _codes(response) == ["UNAUTHENTICATED"], (header, response.text)
    assert kg.export() == before and kg.version == 0


def test_the_token_never_appears_in_logs_or_errors(logged_server: Server) -> None:
    """Every kind of request, right and wrong token, errors of every sort; then grep."""
    seen: list[str] = []
    with httpx.Client(base_url=logged_server.base, timeout=30) as client:
        for header in (f"Bearer {TOKEN}", f"Bearer {TOKEN}x", f"Basic {TOKEN}"):
            h = _headers(header)
            responses = [
                client.post("/graphql", json={"query": ADD % ("log", "log")}, headers=h),
                client.post("/graphql", json={"query": "mutation { addFact(input: {subject: \"nvidia\", "
                                                       "predicate: \"makes\", object: \"china\", evidence: \"x\", "
                                                       "source: \"h20-article\"}) { predicate } }"}, headers=h),
                client.post("/graphql", json={"query": "{ nope }"}, headers=h),
                client.post("/graphql", content=b"{bad", headers={**h, "Content-Type": "application/json"}),
                client.get("/graphql", params={"query": "mutation { x }"}, headers=h),
                client.get("/sparql", params={"query": "SELEC"}, headers=h),
                client.get("/resource/no-such-thing", headers=h),
                client.post("/graphql", content=b"x" * (2 << 20), headers={**h, "Content-Type": "application/json"}),
                client.get("/export", params={"format": "nope"}, headers=h),
            ]
            seen += [r.text + str(r.headers) for r in responses]
    logged_server.stop()
    log = logged_server.output()
    assert "127.0.0.1" in log, "the log at debug level should show requests; is it being captured?"
    assert TOKEN not in log
    assert TOKEN[:12] not in log  # nor a recognisable part of it
    for text in seen:
        assert TOKEN not in text


def test_the_token_is_not_in_the_settings_repr() -> None:
    settings = Settings(token=TOKEN)
    assert settings.token == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)


@pytest.fixture(scope="module")
def cors_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(tmp_path_factory.mktemp("cors") / "server.log",
                          env={"CHIPKG_CORS_ORIGINS": "https://app.example"})
    try:
        yield server
    finally:
        server.stop()


PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1", "https://app.example"])
def test_cors_closed_by_default(fuzz_server: Server, origin: str) -> None:
    with httpx.Client(base_url=fuzz_server.base, timeout=30) as client:
        preflight = client.options("/graphql", headers={"Origin": origin, **PREFLIGHT})
        simple = client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": origin})
        for response in (preflight, simple):
            assert "access-control-allow-origin" not in response.headers
            assert "access-control-allow-credentials" not in response.headers


def test_cors_opens_only_to_configured_origins(cors_server: Server) -> None:
    with httpx.Client(base_url=cors_server.base, timeout=30) as client:
        allowed = client.options("/graphql", headers={"Origin": "https://app.example", **PREFLIGHT})
        assert allowed.headers.get("access-control-allow-origin") == "https://app.example"
        for origin in ("https://evil.example", "https://app.example.evil.example", "http://app.example", "null"):
            refused = client.options("/graphql", headers={"Origin": origin, **PREFLIGHT})
            assert refused.headers.get("access-control-allow-origin") in (None, ""), origin
            simple = client.get("/healthz", headers={"Origin": origin})
            assert "access-control-allow-origin" not in simple.headers, origin


def test_logs_are_captured_for_the_grep(tmp_path: Path) -> None:
    """The grep above is only worth something if a token in a request would be caught:
    uvicorn logs request lines, so a token put in a URL shows up."""
    server = start_server(tmp_path / "server.log", log_level="debug")
    try:
        httpx.get(server.base + "/healthz", params={"probe": TOKEN}, timeout=30)
    finally:
        server.stop()
    assert TOKEN in server.output()
