"""The small pieces of the service on their own: negotiation, settings, the error table, auth."""

from __future__ import annotations

import pytest

from chipkg import graph
from chipkg.api.auth import bearer_token, is_authorized
from chipkg.api.errors import HTTPError, chipkg_error_response, status_for
from chipkg.api.negotiation import choose
from chipkg.api.settings import Settings

OFFERS = ["text/turtle", "application/ld+json", "application/n-triples", "text/html"]


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "text/turtle"),
    ("", "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/*", "text/turtle"),
    ("application/*", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/turtle;q=0, */*", "application/ld+json"),
    ("text/*;q=0.2, text/html;q=0.9, application/ld+json;q=0.5", "text/html"),
    ("TEXT/HTML", "text/html"),
    ("application/n-triples; charset=utf-8", "application/n-triples"),
    ("garbage, application/ld+json", "application/ld+json"),
    ("text/turtle;q=nonsense, text/html", "text/html"),
])
def test_choose(accept: str | None, chosen: str) -> None:
    assert choose(accept, OFFERS) == chosen


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0, application/*;q=0, text/html;q=0", "*/*;q=0"])
def test_choose_refuses_with_406(accept: str) -> None:
    with pytest.raises(HTTPError) as refused:
        choose(accept, OFFERS)
    assert refused.value.status == 406


def test_settings_defaults_are_safe() -> None:
    s = Settings()
    assert (s.host, s.port, s.token, s.cors_origins, s.max_body_bytes) == ("127.0.0.1", 8000, None, (), 1 << 20)


def test_settings_from_env() -> None:
    s = Settings.from_env({"CHIPKG_TOKEN": "t", "CHIPKG_PORT": "9000", "CHIPKG_SPARQL_TIMEOUT": "2.5",
                           "CHIPKG_CORS_ORIGINS": "https://a.example, https://b.example", "CHIPKG_GRAPHIQL": "0",
                           "CHIPKG_STORE": "oxigraph:/tmp/x", "UNRELATED": "1"}, host="0.0.0.0")
    assert s == Settings(store="oxigraph:/tmp/x", token="t", host="0.0.0.0", port=9000, sparql_timeout=2.5,
                         cors_origins=("https://a.example", "https://b.example"), graphiql=False)


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_token_turns_writes_off(blank: str) -> None:
    assert Settings.from_env({"CHIPKG_TOKEN": blank}).token is None
    assert not is_authorized({"authorization": f"Bearer {blank}"}, Settings(token=blank).token)


@pytest.mark.parametrize("environ", [{"CHIPKG_PORT": "eighty"}, {"CHIPKG_GRAPHIQL": "maybe"},
                                     {"CHIPKG_MAX_BODY_BYTES": "0"}, {"CHIPKG_SPARQL_TIMEOUT": "-1"}])
def test_settings_refuse_bad_values(environ: dict[str, str]) -> None:
    with pytest.raises(graph.InvalidInput):
        Settings.from_env(environ)


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().token = "x"  # type: ignore[misc]


@pytest.mark.parametrize(("error", "status"), [
    (graph.NotFound("x"), 404),
    (graph.InvalidInput("x"), 400),
    (graph.ParseError("x", line=1, column=2), 400),
    (graph.ValidationFailed([graph.Violation(focus="ckr:x", message="bad")]), 422),
    (graph.QueryTooLarge("x"), 400),
    (graph.Unauthenticated("x"), 401),
    (graph.StoreError("x"), 503),
    (graph.ChipKGError("x"), 400),
])
def test_one_table_of_statuses(error: graph.ChipKGError, status: int) -> None:
    assert status_for(error) == status
    response = chipkg_error_response(error)
    assert response.status_code == status
    assert b'"code":"' + error.code.encode() + b'"' in response.body


def test_validation_errors_list_their_violations() -> None:
    response = chipkg_error_response(graph.ValidationFailed([graph.Violation(focus="ckr:x", message="bad", path="p")]))
    assert b'"violations":[{"focus":"ckr:x","message":"bad","path":"p","value":null}]' in response.body


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), ("", None)])
def test_bearer_token(header: str, token: str | None) -> None:
    assert bearer_token({"authorization": header}) == token
