"""Writes through GraphQL: refused without the token, validated, and atomic.

Each test writes to a graph of its own (``new_graph``). "Unchanged" is checked on the
graph's Turtle export, which is deterministic, so any added or removed triple shows.
"""

from __future__ import annotations

import pytest

ADD_ENTITY = """mutation($input: AddEntityInput!) { addEntity(input: $input) {
  __typename id iri label labels { value lang } types } }"""
ADD_FACT = """mutation($input: AddFactInput!) { addFact(input: $input) {
  predicate direction source { id } target { id } evidence { text lang paragraph statementIri source { id } } } }"""
REMOVE_FACT = """mutation($subject: ID!, $predicate: String!, $object: ID!) {
  removeFact(subject: $subject, predicate: $predicate, object: $object) { removedTriples } }"""

# Paragraph 5 of the article, verbatim.
HUAWEI_COMPETES = "Huaweiは、高度なAIシステムを駆動するNvidiaと直接競合するように設計された、多数のチップを展示しました。"  # noqa: E501 (a sentence of the article kept whole; Japanese characters are two columns wide)


def fact(subject: str, predicate: str, obj: str, evidence: str = HUAWEI_COMPETES, **extra) -> dict:
    return {"input": {"subject": subject, "predicate": predicate, "object": obj, "evidence": evidence,
                      "source": "h20-article", "paragraph": 5, **extra}}


ADD_ARTICLE = """mutation($input: AddArticleInput!) { addArticle(input: $input) {
  __typename id label ... on Article {
    text sentences { id index paragraph text facts { predicate target { id } } } } } }"""
DATA = __import__("pathlib").Path(__file__).parents[1] / "data"


def article_input(**extra) -> dict:
    return {"input": {"text": (DATA / "acme-article.txt").read_text(encoding="utf-8"),
                      "facts": (DATA / "acme-article.ttl").read_text(encoding="utf-8"), **extra}}


WRITES = [
    ("addEntity", ADD_ENTITY, {"input": {"type": "Company", "label": "Cambricon", "labelJa": "カンブリコン"}}),
    ("addFact", ADD_FACT, fact("huawei", "competesWith", "alibaba")),
    ("removeFact", REMOVE_FACT, {"subject": "nvidia", "predicate": "makes", "object": "h20"}),
    ("addArticle", ADD_ARTICLE, article_input()),
]


@pytest.fixture
def graph(new_graph):
    return new_graph()


@pytest.mark.parametrize(("name", "mutation", "variables"), WRITES, ids=[w[0] for w in WRITES])
def test_writes_without_authorization_are_refused_and_change_nothing(graph, execute, name, mutation, variables):
    before = graph.export()
    result = execute(graph, mutation, variables, authorized=False)
    assert result.data is None
    assert [e.extensions["code"] for e in result.errors] == ["UNAUTHENTICATED"]
    assert "Traceback" not in result.errors[0].message
    assert graph.export() == before and graph.version == 0
    # The same write with the token goes through, so the refusal above was the guard's doing.
    authorized = execute(graph, mutation, variables, authorized=True)
    assert authorized.errors is None and authorized.data[name]
    assert graph.export() != before


def test_add_entity_mints_an_id_from_the_english_label(graph, execute, gql_errors):
    first = execute(graph, ADD_ENTITY, WRITES[0][2], authorized=True)
    assert first.errors is None
    assert first.data["addEntity"] == {
        "__typename": "Company", "id": "cambricon", "iri": "https://w3id.org/chipkg/resource/cambricon",
        "label": "Cambricon", "labels": [{"value": "Cambricon", "lang": "en"}, {"value": "カンブリコン", "lang": "ja"}],
        "types": ["Company"]}
    again = execute(graph, ADD_ENTITY, WRITES[0][2], authorized=True)
    assert again.data["addEntity"]["id"] == "cambricon-2"  # never reuses an id
    seen = execute(graph, '{ entity(id: "cambricon") { label(lang: "ja") } companies { totalCount } }')
    assert seen.data == {"entity": {"label": "カンブリコン"}, "companies": {"totalCount": 10}}


def test_add_entity_with_a_given_id_and_aliases(graph, execute):
    variables = {"input": {"type": "Person", "label": "Ada Example", "labelJa": "エイダ", "id": "ada",
                           "aliases": [{"value": "A. Example", "lang": "en"}],
                           "jobTitles": [{"value": "Analyst", "lang": "en"}]}}
    result = execute(graph, ADD_ENTITY, variables, authorized=True)
    assert result.errors is None and result.data["addEntity"]["id"] == "ada"
    seen = execute(graph, '{ entity(id: "ada") { __typename aliases { value } ... on Person { jobTitle } } }')
    assert seen.data["entity"] == {"__typename": "Person", "aliases": [{"value": "A. Example"}], "jobTitle": "Analyst"}


BAD_ENTITIES = [
    ({"type": "Spaceship", "label": "X", "labelJa": "X"}, "BAD_USER_INPUT"),   # not a class
    ({"type": "Company", "label": "X", "labelJa": "X", "id": "nvidia"}, "BAD_USER_INPUT"),  # taken
    ({"type": "Company", "label": "X", "labelJa": "X", "id": "Not Kebab"}, "BAD_USER_INPUT"),
    ({"type": "Company", "label": "株式会社", "labelJa": "株式会社"}, "BAD_USER_INPUT"),  # no Latin for a slug
]


@pytest.mark.parametrize(("entity", "code"), BAD_ENTITIES, ids=["class", "taken", "slug", "unsluggable"])
def test_bad_add_entity_is_refused(graph, gql_errors, error_codes, entity, code):
    before = graph.export()
    assert error_codes(gql_errors(ADD_ENTITY, kg=graph, authorized=True, input=entity)) == {code}
    assert graph.export() == before


def test_add_fact_with_verbatim_evidence(graph, execute, article_ja):
    added = execute(graph, ADD_FACT, fact("huawei", "competesWith", "alibaba"), authorized=True)
    assert added.errors is None
    relation = added.data["addFact"]
    statement = relation["evidence"][0].pop("statementIri")
    assert statement.startswith("https://w3id.org/chipkg/resource/huawei-competes-with-alibaba")
    assert relation == {"predicate": "competesWith", "direction": "OUTGOING", "source": {"id": "huawei"},
                        "target": {"id": "alibaba"}, "evidence": [{"text": HUAWEI_COMPETES, "lang": "ja",
                                                                   "paragraph": 5, "source": {"id": "h20-article"}}]}
    # A new request sees the fact, from either end, and the Turtle export carries its statement.
    seen = execute(graph, """{ entity(id: "alibaba") { ... on Company { competitors { id } }
        relations(predicate: ["competesWith"]) { nodes { direction source { id } evidence { text } } } } }""")
    assert seen.errors is None
    assert seen.data["entity"]["competitors"] == [{"id": "huawei"}]
    assert seen.data["entity"]["relations"]["nodes"] == [
        {"direction": "INCOMING", "source": {"id": "huawei"}, "evidence": [{"text": HUAWEI_COMPETES}]}]
    assert f"<{statement}>".encode() in graph.export("nt")
    assert HUAWEI_COMPETES in article_ja


def test_add_fact_with_non_verbatim_evidence_fails_validation(graph, execute):
    before = graph.export()
    result = execute(graph, ADD_FACT, fact("huawei", "competesWith", "alibaba", evidence="HuaweiはAlibabaと競合する。"),
                     authorized=True)
    assert result.data is None
    (error,) = result.errors
    assert error.extensions["code"] == "VALIDATION_FAILED"
    assert error.extensions["violations"] and all(isinstance(v, str) and v for v in error.extensions["violations"])
    assert graph.export() == before


def test_add_fact_with_a_sentence_altered_by_one_character_fails(graph, execute):
    altered = HUAWEI_COMPETES.replace("多数", "少数")
    result = execute(graph, ADD_FACT, fact("huawei", "competesWith", "alibaba", evidence=altered), authorized=True)
    assert [e.extensions["code"] for e in result.errors] == ["VALIDATION_FAILED"]


REFUSED_FACTS = [
    (fact("huawei", "rivalOf", "alibaba"), "BAD_USER_INPUT", None),                     # unknown predicate
    (fact("jensen-huang", "makes", "h20"), "VALIDATION_FAILED", "makes"),                # domain: a Person
    (fact("nvidia", "makes", "jensen-huang"), "VALIDATION_FAILED", "makes"),             # range: a Person
    (fact("cyberspace-administration-of-china", "jurisdiction", "nvidia"), "VALIDATION_FAILED", "jurisdiction"),
    ({"input": {**fact("huawei", "competesWith", "alibaba")["input"], "source": "no-such-article"}}, "NOT_FOUND", None),
    ({"input": {**fact("huawei", "competesWith", "alibaba")["input"], "source": "nvidia"}}, "NOT_FOUND", None),
]


@pytest.mark.parametrize(("variables", "code", "mentioned"), REFUSED_FACTS,
                         ids=["unknown-predicate", "domain", "range", "jurisdiction-range", "no-article",
                              "not-article"])
def test_refused_facts_change_nothing(graph, gql_errors, error_codes, variables, code, mentioned):
    before = graph.export()
    errors = gql_errors(ADD_FACT, kg=graph, authorized=True, **variables)
    assert error_codes(errors) == {code}
    if code == "VALIDATION_FAILED":
        violations = errors[0].extensions["violations"]
        assert violations and any(mentioned in v for v in violations)
    assert graph.export() == before and graph.version == 0


def test_remove_fact_removes_the_fact_and_its_statements(graph, execute):
    before = execute(graph, "{ stats { statements } }").data["stats"]["statements"]
    removed = execute(graph, REMOVE_FACT, {"subject": "nvidia", "predicate": "makes", "object": "h20"}, authorized=True)
    assert removed.errors is None
    # The fact and its two rdf:Statements (title and paragraph 2), eight triples each (type, subject,
    # predicate, object, evidence, paragraph, attribution, source).
    assert removed.data == {"removeFact": {"removedTriples": 1 + 2 * 8}}
    after = execute(graph, """{ stats { statements } entity(id: "h20") { ... on Chip { maker { id } }
        relations(predicate: ["makes"]) { totalCount } } }""").data
    assert after["stats"]["statements"] == before - 2
    assert after["entity"] == {"maker": None, "relations": {"totalCount": 0}}
    export = graph.export("nt").decode()
    assert "<https://w3id.org/chipkg/resource/nvidia-makes-h20>" not in export
    assert "<https://w3id.org/chipkg/resource/nvidia> <https://w3id.org/chipkg/ontology#makes>" not in export
    # Other facts about Nvidia stay.
    assert "<https://w3id.org/chipkg/resource/cyberspace-administration-of-china-summoned-nvidia>" in export


def test_add_then_remove_restores_the_graph(graph, execute):
    before = graph.export()
    assert execute(graph, ADD_FACT, fact("huawei", "competesWith", "alibaba"), authorized=True).errors is None
    removed = execute(graph, REMOVE_FACT, {"subject": "huawei", "predicate": "competesWith", "object": "alibaba"},
                      authorized=True)
    assert removed.data == {"removeFact": {"removedTriples": 8}}
    assert graph.export() == before


MISSING_FACTS = [
    ({"subject": "nvidia", "predicate": "makes", "object": "huawei-ai-chips"}, "NOT_FOUND"),
    ({"subject": "h20", "predicate": "makes", "object": "nvidia"}, "NOT_FOUND"),  # wrong way round
    ({"subject": "no-such-entity", "predicate": "makes", "object": "h20"}, "NOT_FOUND"),
    ({"subject": "nvidia", "predicate": "fabricates", "object": "h20"}, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("variables", "code"), MISSING_FACTS,
                         ids=["absent", "reversed", "unknown-id", "unknown-predicate"])
def test_remove_fact_that_is_not_there(graph, gql_errors, error_codes, variables, code):
    before = graph.export()
    assert error_codes(gql_errors(REMOVE_FACT, kg=graph, authorized=True, **variables)) == {code}
    assert graph.export() == before


def test_add_article_stores_the_text_and_links_each_fact_to_its_sentence(graph, execute):
    result = execute(graph, ADD_ARTICLE, article_input(), authorized=True)
    assert result.errors is None
    article = result.data["addArticle"]
    assert (article["__typename"], article["id"], article["label"]) == ("Article", "acme-ships-x1", "Acme ships the X1")
    assert article["text"] == article_input()["input"]["text"]
    sentences = article["sentences"]
    assert [(s["index"], s["paragraph"]) for s in sentences] == [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2)]
    assert sentences[1]["id"] == "https://w3id.org/chipkg/resource/acme-ships-x1#sentence-1"
    assert sentences[1]["facts"] == [{"predicate": "makes", "target": {"id": "x1"}}]
    assert sentences[3]["facts"] == [{"predicate": "competesWith", "target": {"id": "nvidia"}}]
    assert sentences[2]["facts"] == []


@pytest.mark.parametrize(("variables", "code", "words"), [
    (article_input(text=""), "BAD_USER_INPUT", "empty"),
    ({"input": {**article_input()["input"], "facts": article_input()["input"]["facts"]
                .replace("ckg:paragraph 1", "ckg:paragraph 99")}}, "VALIDATION_FAILED", "not in the paragraph"),
    ({"input": {**article_input()["input"], "facts": article_input()["input"]["facts"]
                .replace("Acme makes the X1 chip.", "Acme makes chips.")}}, "VALIDATION_FAILED", "verbatim"),
    ({"input": {**article_input()["input"], "facts": "not turtle"}}, "PARSE_ERROR", ""),
])
def test_a_refused_article_changes_nothing(graph, execute, variables, code, words):
    before = graph.export()
    result = execute(graph, ADD_ARTICLE, variables, authorized=True)
    assert result.data is None
    assert [e.extensions["code"] for e in result.errors] == [code], result.errors
    assert words in result.errors[0].message
    assert graph.export() == before and graph.version == 0


def test_add_fact_refuses_a_paragraph_the_sentence_is_not_in(graph, execute):
    result = execute(graph, ADD_FACT, fact("huawei", "competesWith", "alibaba", paragraph=99), authorized=True)
    assert [e.extensions["code"] for e in result.errors] == ["VALIDATION_FAILED"]
    assert "not in the paragraph" in result.errors[0].message
