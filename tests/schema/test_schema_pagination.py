"""Relay-style paging: cursors walk a list without gaps or overlaps, and bad paging is refused."""

from __future__ import annotations

import base64

import pytest

LISTS = [("companies", 8), ("chips", 2), ("regulators", 4), ("policies", 6), ("people", 6)]

PAGE = """query($first: Int, $after: String) { %s(first: $first, after: $after) {
  totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def walk(gql, field, size):
    pages, after = [], None
    while True:
        page = gql(PAGE % field, first=size, after=after)[field]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        assert len(pages) < 50, "paging does not end"
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("field", "total"), LISTS, ids=[f for f, _ in LISTS])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_cursors_walk_the_whole_list_once(gql, field, total, size):
    everything = [e["node"]["id"] for e in gql(PAGE % field, first=100)[field]["edges"]]
    assert len(everything) == total
    pages = walk(gql, field, size)
    assert len(pages) == -(-total // size)
    seen = [e["node"]["id"] for p in pages for e in p["edges"]]
    assert seen == everything, "pages must not overlap or skip"
    for number, page in enumerate(pages):
        assert page["totalCount"] == total
        assert len(page["edges"]) == min(size, total - number * size)
        assert page["pageInfo"]["hasPreviousPage"] is (number > 0)
        assert page["pageInfo"]["hasNextPage"] is (number < len(pages) - 1)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


def test_companies_two_by_two(gql):
    first = gql(PAGE % "companies", first=2)["companies"]
    second = gql(PAGE % "companies", first=2, after=first["pageInfo"]["endCursor"])["companies"]
    ids = lambda page: [e["node"]["id"] for e in page["edges"]]  # noqa: E731
    assert ids(first) == ["alibaba", "deepseek"]
    assert ids(second) == ["growingio", "huawei"]
    assert first["totalCount"] == second["totalCount"] == 8
    last = gql(PAGE % "companies", first=2, after=gql(PAGE % "companies", first=6)["companies"]["pageInfo"]
               ["endCursor"])["companies"]
    assert ids(last) == ["openai", "z-ai"] and last["pageInfo"]["hasNextPage"] is False


def test_cursor_after_the_last_item_gives_an_empty_page(gql):
    end = gql(PAGE % "chips", first=2)["chips"]["pageInfo"]["endCursor"]
    page = gql(PAGE % "chips", first=2, after=end)["chips"]
    assert page["edges"] == [] and page["totalCount"] == 2
    assert page["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None}


RELATIONS = """query($after: String) { entity(id: "nvidia") { relations(first: 4, after: $after) {
  totalCount edges { cursor node { predicate sourceId targetId } } pageInfo { hasNextPage endCursor } } } }"""


def test_relations_page_with_cursors(gql):
    everything = gql('{ entity(id: "nvidia") { relations(first: 100) { nodes { predicate sourceId targetId } } } }')
    expected = everything["entity"]["relations"]["nodes"]
    seen, after, pages = [], None, 0
    while True:
        page = gql(RELATIONS, after=after)["entity"]["relations"]
        pages += 1
        assert page["totalCount"] == len(expected) == 11
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3 and seen == expected


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


BAD_CURSORS = ["garbage", "", "!!!!", b64("offset:3"), b64("3"), "%%%"]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
@pytest.mark.parametrize("field", ["companies", "people"])
def test_invalid_cursor_is_bad_user_input(gql_errors, error_codes, field, cursor):
    errors = gql_errors(PAGE % field, first=2, after=cursor)
    assert error_codes(errors) == {"BAD_USER_INPUT"}
    assert "cursor" in errors[0].message


def test_invalid_cursor_on_relations_is_bad_user_input(gql_errors, error_codes):
    assert error_codes(gql_errors(RELATIONS, after="garbage")) == {"BAD_USER_INPUT"}


OVERSIZED = [
    "{ companies(first: %d) { totalCount } }",
    "{ people(first: %d) { totalCount } }",
    '{ entities(type: "Quote", first: %d) { totalCount } }',
    '{ entity(id: "nvidia") { relations(first: %d) { totalCount } } }',
    '{ search(text: "a", first: %d) { id } }',
]


@pytest.mark.parametrize("query", OVERSIZED, ids=[q.split("(")[0].strip("{ ") for q in OVERSIZED])
@pytest.mark.parametrize("first", [101, 1_000_000_000])
def test_first_over_100_is_query_too_large(gql_errors, error_codes, query, first):
    assert error_codes(gql_errors(query % first)) == {"QUERY_TOO_LARGE"}


@pytest.mark.parametrize("query", OVERSIZED, ids=[q.split("(")[0].strip("{ ") for q in OVERSIZED])
def test_first_100_is_allowed(gql, query):
    gql(query % 100)
