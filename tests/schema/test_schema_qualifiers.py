"""Statement qualifiers in GraphQL: ``Evidence.attribution``, ``Relation.concerning`` and
``Relation.shortlyAfter``, read from the seed's reified statements (issue 11)."""

from __future__ import annotations

from collections.abc import Callable

from chipkg.graph import KnowledgeGraph

SUMMONS = """{ entity(id: "nvidia") { relations(predicate: ["summoned"]) { nodes {
    source { id } evidence { attribution paragraph statementIri }
    concerning { __typename id types label(lang: "ja") } shortlyAfter { __typename id } } } } }"""


def test_the_summons_is_reported_concerns_the_h20_and_came_right_after_the_permission(gql):
    (relation,) = gql(SUMMONS)["entity"]["relations"]["nodes"]
    assert relation["source"] == {"id": "cyberspace-administration-of-china"}
    assert [e["attribution"] for e in relation["evidence"]] == ["reported"]
    assert [c["id"] for c in relation["concerning"]] == ["h20", "h20-security-concerns"]
    concern = relation["concerning"][1]
    assert concern["types"] == ["Concern"]
    assert concern["label"] == "チップに関連するセキュリティ上の懸念"
    assert relation["concerning"][0]["__typename"] == "Chip"
    assert relation["shortlyAfter"] == [{"__typename": "Policy", "id": "h20-sales-permission"}]


def test_a_fact_the_article_states_itself_has_no_other_qualifiers(gql):
    data = gql('{ entity(id: "jensen-huang") { relations(predicate: ["ceoOf"]) { nodes { '
               'evidence { attribution } concerning { id } shortlyAfter { id } } } } }')
    (relation,) = data["entity"]["relations"]["nodes"]
    assert relation == {"evidence": [{"attribution": "stated"}], "concerning": [], "shortlyAfter": []}


def test_words_relayed_from_a_summary_are_reported(gql):
    data = gql('{ entity(id: "quote-li-qiang-share-development-experience") { relations(predicate: ["speaker"]) '
               '{ nodes { target { id } evidence { attribution paragraph } } } } }')
    (relation,) = data["entity"]["relations"]["nodes"]
    assert relation["target"] == {"id": "li-qiang"}
    # Two sentences of paragraph 6 (who 李首相 is, then what he said per the ministry's summary).
    assert relation["evidence"] == [{"attribution": "reported", "paragraph": 6}] * 2


def test_one_statement_can_carry_several_sentences(gql, article_ja):
    """Sam Sacks' second quote: her name, 彼女は, then the quote, all one statement's evidence."""
    data = gql('{ entity(id: "quote-sam-sacks-global-solidarity") { relations(predicate: ["speaker"]) '
               '{ nodes { evidence { text paragraph statementIri } } } } }')
    (relation,) = data["entity"]["relations"]["nodes"]
    evidence = relation["evidence"]
    assert len(evidence) == 3
    assert len({e["statementIri"] for e in evidence}) == 1
    assert {e["paragraph"] for e in evidence} == {7}
    paragraph = article_ja.splitlines()[7]
    assert all(e["text"] in paragraph for e in evidence)
    assert any("サム・サックス" in e["text"] for e in evidence)


def test_a_statement_without_qualifiers_shows_null_and_empty(new_graph: Callable[..., KnowledgeGraph], execute,
                                                             ttl: Callable[[str], str]) -> None:
    kg = new_graph()
    kg.add(ttl("""ckr:alibaba ckg:competesWith ckr:deepseek .
ckr:alibaba-competes-with-deepseek a rdf:Statement ; rdf:subject ckr:alibaba ;
    rdf:predicate ckg:competesWith ; rdf:object ckr:deepseek ; prov:wasDerivedFrom ckr:h20-article ;
    ckg:paragraph 8 ;
    ckg:evidence "Alibabaと中国のスタートアップであるDeepSeekは、世界トップクラスの性能を誇るオープンソースAIシステムをリリースしました。"@ja .
"""))  # noqa: E501 (a sentence of the article kept whole; Japanese characters are two columns wide)
    result = execute(kg, '{ entity(id: "alibaba") { relations(predicate: ["competesWith"]) { nodes { '
                         'evidence { attribution } concerning { id } shortlyAfter { id } } } } }')
    assert result.errors is None
    assert result.data["entity"]["relations"]["nodes"] == [
        {"evidence": [{"attribution": None}], "concerning": [], "shortlyAfter": []}]


def test_the_qualifier_fields_are_described(schema) -> None:
    sdl = schema.as_str()
    assert "attribution: String" in sdl
    assert "concerning: [Entity!]!" in sdl
    assert "shortlyAfter: [Entity!]!" in sdl


def test_the_ontology_lists_the_qualifiers(gql) -> None:
    data = gql('{ ontology { properties { name kind domain range label ja: label(lang: "ja") comment } } }')
    by_name = {p["name"]: p for p in data["ontology"]["properties"]}
    assert {k: by_name["concerning"][k] for k in ("kind", "domain", "range")} == {
        "kind": "annotation property", "domain": ["rdf:Statement"], "range": ["rdfs:Resource"]}
    assert by_name["shortlyAfter"]["kind"] == "annotation property"
    assert {k: by_name["attribution"][k] for k in ("kind", "domain", "range")} == {
        "kind": "datatype property", "domain": ["rdf:Statement"], "range": ["xsd:string"]}
    assert by_name["formerName"]["kind"] == "annotation property"
    for name in ("concerning", "shortlyAfter", "attribution", "formerName", "quotedFrom"):
        assert by_name[name]["label"] and by_name[name]["ja"] and by_name[name]["comment"], name
