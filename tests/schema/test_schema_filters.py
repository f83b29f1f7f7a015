"""``where``, ``orderBy`` and ``totalCount`` on typed lists and relationship fields; the
``facts`` query across the graph; an article's sentences with the facts taken from each."""

from __future__ import annotations

import pytest


def ids(nodes):
    return [n["id"] for n in nodes]


@pytest.mark.parametrize(("where", "expected"), [
    ('{label: {contains: "NV"}}', ["nvidia"]),
    ('{label: {contains: "ｎｖｉ"}}', ["nvidia"]),  # full width folds to half width
    ('{label: {contains: "アリババ"}}', ["alibaba"]),  # any language
    ('{label: {startsWith: "z"}}', ["z-ai"]),
    ('{label: {eq: "Nvidia"}}', ["nvidia"]),
    ('{relatedTo: "beijing"}', ["growingio", "moonshot-ai", "z-ai"]),
    ('{relatedTo: "beijing", label: {contains: "moon"}}', ["moonshot-ai"]),
    ('{id: "huawei"}', ["huawei"]),
    ('{label: {contains: "no such company"}}', []),
])
def test_where_on_a_typed_list(gql, where, expected):
    data = gql("{ companies(where: " + where + ", first: 100) { totalCount nodes { id } } }")["companies"]
    assert ids(data["nodes"]) == expected and data["totalCount"] == len(expected)


def test_where_type_keeps_subclasses(gql):
    data = gql("""{ all: organizations(first: 100) { totalCount }
                    regulators: organizations(where: {type: "Regulator"}, first: 100) {
                      totalCount nodes { __typename } }
                    places: entities(type: "Place", where: {type: "Place"}, first: 100) { totalCount }
                    countries: entities(type: "Place", where: {type: "Country"}, first: 100) { totalCount }
                    allPlaces: places(first: 100) { totalCount } }""")
    assert {n["__typename"] for n in data["regulators"]["nodes"]} == {"Regulator"}
    assert data["all"]["totalCount"] > data["regulators"]["totalCount"] == gql("{ regulators { totalCount } }")[
        "regulators"]["totalCount"]
    assert data["places"]["totalCount"] == data["allPlaces"]["totalCount"] > data["countries"]["totalCount"] > 0


def test_order_by_label_both_ways_and_paging_follows_it(gql):
    query = "query($after: String) { companies(orderBy: %s, first: 3, after: $after) { totalCount nodes { label } " \
            "pageInfo { hasNextPage endCursor } } }"
    for order, reverse in (("LABEL_ASC", False), ("LABEL_DESC", True)):
        labels, after = [], None
        while True:
            page = gql(query % order, after=after)["companies"]
            labels += [n["label"] for n in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(labels) == page["totalCount"] == 8
        assert labels == sorted(labels, key=str.casefold, reverse=reverse)


def test_where_and_order_on_a_relationship_field(gql):
    data = gql("""{ entity(id: "beijing") { ... on Place {
        all: basedInInverse(orderBy: LABEL_DESC) { id }
        moon: basedInInverse(where: {label: {contains: "moon"}}) { id }
        page: basedInInverseConnection(first: 2, orderBy: LABEL_ASC) {
          totalCount nodes { id } pageInfo { hasNextPage } }
    } } }""")["entity"]
    assert ids(data["all"]) == ["z-ai", "moonshot-ai", "growingio"]
    assert ids(data["moon"]) == ["moonshot-ai"]
    assert data["page"] == {"totalCount": 3, "nodes": [{"id": "growingio"}, {"id": "moonshot-ai"}],
                            "pageInfo": {"hasNextPage": True}}


def test_where_related_to_on_a_relationship_field(gql):
    data = gql("""{ entity(id: "nvidia") { ... on Organization {
        policies(where: {relatedTo: "trump-administration"}) { id } } } }""")["entity"]
    assert ids(data["policies"]) == ["h20-sales-permission"]


def test_unknown_type_in_where_is_bad_user_input(gql_errors, error_codes):
    errors = gql_errors('{ companies(where: {type: "Spaceship"}) { totalCount } }')
    assert error_codes(errors) == {"BAD_USER_INPUT"} and "Spaceship" in errors[0].message


def test_facts_pages_through_one_predicate(gql):
    query = "query($after: String) { facts(predicate: \"makes\", first: 1, after: $after) { totalCount " \
            "nodes { predicate sourceId targetId evidence { text } } pageInfo { hasNextPage endCursor } } }"
    seen, after = [], None
    while True:
        page = gql(query, after=after)["facts"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] >= 4
    assert {(n["sourceId"], n["targetId"]) for n in seen} >= {("nvidia", "h20"), ("openai", "chatgpt")}
    assert all(n["predicate"] == "makes" and n["evidence"] for n in seen)


def test_facts_with_an_unknown_predicate_is_bad_user_input(gql_errors, error_codes):
    assert error_codes(gql_errors('{ facts(predicate: "fooBar") { totalCount } }')) == {"BAD_USER_INPUT"}


def test_articles_and_their_sentences(gql, article_ja):
    data = gql("""{ articles { totalCount nodes { id } }
        article(id: "h20-article") { id title text sentences { index paragraph text facts { predicate sourceId targetId
            evidence { text paragraph } } } } }""")
    assert data["articles"] == {"totalCount": 1, "nodes": [{"id": "h20-article"}]}
    article = data["article"]
    assert article["text"] == article_ja
    sentences = article["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    lines = article_ja.splitlines()
    for sentence in sentences:
        assert sentence["text"] in lines[sentence["paragraph"]]
        for fact in sentence["facts"]:  # each fact listed is one whose evidence is this very sentence
            assert {"text": sentence["text"], "paragraph": sentence["paragraph"]} in fact["evidence"]
    cited = [s for s in sentences if any(f["predicate"] == "summoned" for f in s["facts"])]
    assert len(cited) == 1 and "Nvidiaを召喚した" in cited[0]["text"]
    assert sum(len(s["facts"]) for s in sentences) > 50


def test_article_lookup_is_null_for_a_non_article(gql):
    assert gql('{ article(id: "nvidia") { id } nope: article(id: "no-such-article") { id } }') == {
        "article": None, "nope": None}
