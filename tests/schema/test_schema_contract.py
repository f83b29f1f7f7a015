"""Every field of the SPEC's GraphQL contract, asked of the seed graph, with the seed's facts.

Values come from ``seed/h20-article.ttl``; lists whose order the contract does not fix are
compared as sorted lists of ids (see ``plain``).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from chipkg.seed import article_graphs

RESOURCE = "https://w3id.org/chipkg/resource/"
CKG = "https://w3id.org/chipkg/ontology#"
CAC = "cyberspace-administration-of-china"
CAC_SUMMONS_NVIDIA = ("しかし、販売が許可された直後、中国のインターネット規制当局である国家互聯網信息弁公室"
                      "(Cyberspace Administration of China)は、チップに関連するセキュリティ上の懸念"
                      "(ユーザーの位置を追跡する潜在的な能力を含む)についてNvidiaを召喚したと報じられています。")


def plain(value: Any) -> Any:
    """``{"id": x}`` → ``x``; a list of ids → sorted; dicts and other lists recursively."""
    if isinstance(value, dict):
        if set(value) == {"id"}:
            return value["id"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [plain(v) for v in value]
        return sorted(items) if all(isinstance(i, str) for i in items) else items
    return value


def plain_fields(entity: dict[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in entity.items()}


# ------------------------------------------------------------ the Entity interface

ENTITY_FIELDS = [
    ("nvidia", "id", {"id": "nvidia"}),
    ("ckr:nvidia", "id", {"id": "nvidia"}),
    (RESOURCE + "nvidia", "id", {"id": "nvidia"}),
    ("nvidia", "iri", {"iri": RESOURCE + "nvidia"}),
    ("jensen-huang", "label", {"label": "Jensen Huang"}),
    ("jensen-huang", 'label(lang: "en")', {"label": "Jensen Huang"}),
    ("jensen-huang", 'label(lang: "ja")', {"label": "ジェンスン・ファン"}),
    ("jensen-huang", 'label(lang: "fr")', {"label": "Jensen Huang"}),  # no French label: English
    (CAC, 'label(lang: "ja")', {"label": "国家互聯網信息弁公室"}),
    ("jensen-huang", "labels { value lang }",
     {"labels": [{"value": "Jensen Huang", "lang": "en"}, {"value": "ジェンスン・ファン", "lang": "ja"}]}),
    ("h20", "types", {"types": ["Chip"]}),
    (CAC, "types", {"types": ["Regulator"]}),
    ("shanghai", "types", {"types": ["City"]}),
    ("z-ai", "aliases { value lang }", {"aliases": [{"value": "Zhipu AI", "lang": "en"}]}),
    ("nvidia", 'relations(predicate: ["makes"]) { totalCount edges { node { predicate target { id } } } }',
     {"relations": {"totalCount": 1, "edges": [{"node": {"predicate": "makes", "target": "h20"}}]}}),
    ("nvidia", "relations(direction: OUTGOING) { totalCount nodes { predicate target { id } } }",
     {"relations": {"totalCount": 2, "nodes": [{"predicate": "basedIn", "target": "united-states"},
                                               {"predicate": "makes", "target": "h20"}]}}),
    ("nvidia", 'relations(predicate: ["summoned"], direction: INCOMING) { nodes { direction source { id } } }',
     {"relations": {"nodes": [{"direction": "INCOMING", "source": CAC}]}}),
    ("nvidia", 'relations(predicate: ["summoned"], direction: OUTGOING) { totalCount }',
     {"relations": {"totalCount": 0}}),
    ("nvidia", "relations(first: 1) { totalCount edges { node { predicate } } pageInfo { hasNextPage } }",
     {"relations": {"totalCount": 11, "edges": [{"node": {"predicate": "summoned"}}],
                    "pageInfo": {"hasNextPage": True}}}),
]


@pytest.mark.parametrize(("entity_id", "selection", "expected"), ENTITY_FIELDS,
                         ids=[f"{e}:{s.split('{')[0].strip()}" for e, s, _ in ENTITY_FIELDS])
def test_entity_interface_fields(gql, entity_id, selection, expected):
    data = gql("query($id: ID!) { entity(id: $id) { %s } }" % selection, id=entity_id)
    assert plain_fields(data["entity"]) == expected


# A class with subclasses is an interface; its own instances are `Other<Class>`.
CONCRETE_TYPES = [
    ("nvidia", "Company"), ("h20", "Chip"), (CAC, "Regulator"), ("h20-sales-permission", "Policy"),
    ("jensen-huang", "Person"), ("yale-university", "OtherOrganization"), ("chatgpt", "OtherProduct"),
    ("china", "Country"), ("beijing", "City"), ("world-artificial-intelligence-conference", "Event"),
    ("quote-jensen-huang-h20-availability", "Quote"), ("h20-article", "Article"),
]


@pytest.mark.parametrize(("entity_id", "typename"), CONCRETE_TYPES)
def test_entity_resolves_to_its_most_specific_type(gql, entity_id, typename):
    data = gql("query($id: ID!) { entity(id: $id) { __typename id } }", id=entity_id)
    assert data["entity"] == {"__typename": typename, "id": entity_id}


def test_unknown_entity_is_null(gql):
    assert gql('{ entity(id: "no-such-entity") { id } }') == {"entity": None}


# ------------------------------------------------------------ typed fields of each type

TYPED_FIELDS = [
    ("h20", "Chip", "maker { id }", {"maker": "nvidia"}),
    ("h20", "Chip", "makers { id }", {"makers": ["nvidia"]}),
    ("h20", "Chip", "policies { id }", {"policies": ["h20-sales-permission"]}),
    ("chatgpt", "Product", "maker { id }", {"maker": "openai"}),
    ("nvidia", "Company", "products { id }", {"products": ["h20"]}),
    ("nvidia", "Company", "ceo { id }", {"ceo": ["jensen-huang"]}),
    ("nvidia", "Company", "people { id }", {"people": ["jensen-huang"]}),
    ("nvidia", "Company", "basedIn { id }", {"basedIn": ["united-states"]}),
    ("nvidia", "Company", "summonedBy { id }", {"summonedBy": [CAC]}),
    ("nvidia", "Company", "policies { id }", {"policies": ["h20-sales-permission", "us-export-restrictions"]}),
    ("nvidia", "Company", "competitors { id }", {"competitors": ["huawei"]}),  # stated huawei → nvidia
    ("huawei", "Company", "competitors { id }", {"competitors": ["nvidia"]}),
    ("huawei", "Company", "exhibitedAt { id }", {"exhibitedAt": ["world-artificial-intelligence-conference"]}),
    ("yale-law-school", "Organization", "partOf { id }", {"partOf": ["yale-university"]}),
    ("yale-university", "Organization", "units { id }", {"units": ["yale-law-school"]}),
    (CAC, "Regulator", "summoned { id }", {"summoned": ["nvidia"]}),
    (CAC, "Regulator", "jurisdiction { id }", {"jurisdiction": ["china"]}),
    ("trump-administration", "Regulator", "issued { id }", {"issued": ["h20-sales-permission"]}),
    ("trump-administration", "Regulator", "people { id }", {"people": ["donald-trump"]}),
    ("h20-sales-permission", "Policy", "issuedBy { id }", {"issuedBy": ["trump-administration"]}),
    ("h20-sales-permission", "Policy", "appliesTo { id }", {"appliesTo": ["h20", "nvidia"]}),
    ("h20-sales-permission", "Policy", "targets { id }", {"targets": ["china"]}),
    ("h20-sales-permission", "Policy", "departsFrom { id }", {"departsFrom": ["us-export-restrictions"]}),
    ("jensen-huang", "Person", "roles { predicate organization { id } }",
     {"roles": [{"predicate": "ceoOf", "organization": "nvidia"}]}),
    ("lucy-xinyi-chen", "Person", "roles { predicate organization { id } }",
     {"roles": [{"predicate": "founderOf", "organization": "growingio"}]}),
    ("jensen-huang", "Person", "jobTitle", {"jobTitle": "CEO"}),
    ("li-qiang", "Person", 'jobTitle(lang: "ja")', {"jobTitle": "首相"}),
    ("jensen-huang", "Person", "quotes { id }", {"quotes": ["quote-jensen-huang-h20-availability"]}),
    ("shanghai", "Place", "locatedIn { id }", {"locatedIn": ["china"]}),
    ("beijing", "Place", "basedHere { id }", {"basedHere": ["growingio", "moonshot-ai", "z-ai"]}),
    ("world-artificial-intelligence-conference", "Event", "location { id }", {"location": ["shanghai"]}),
    ("world-artificial-intelligence-conference", "Event", "exhibitors { id }", {"exhibitors": ["alibaba", "huawei"]}),
    ("world-artificial-intelligence-conference", "Event", "speakers { id }", {"speakers": ["li-qiang"]}),
    ("quote-jensen-huang-h20-availability", "Quote", "speaker { id }", {"speaker": "jensen-huang"}),
    ("quote-jensen-huang-h20-availability", "Quote", "about { id }", {"about": ["china", "h20", "nvidia"]}),
    ("quote-li-qiang-global-public-good", "Quote", "text lang",
     {"text": "人工知能は世界の公共財と見なされるべきである", "lang": "ja"}),
    ("quote-li-qiang-share-development-experience", "Quote", "reportedBy { id }",
     {"reportedBy": ["chinese-ministry-of-foreign-affairs"]}),
    ("h20-article", "Article", "language sourceFile", {"language": "ja", "sourceFile": "h20-article.ja.txt"}),
]


# The concrete type of entities whose class has subclasses (the fragment above is on the interface).
CONCRETE = {"yale-law-school": "OtherOrganization", "yale-university": "OtherOrganization", "chatgpt": "OtherProduct",
            "shanghai": "City", "beijing": "City"}


@pytest.mark.parametrize(("entity_id", "typename", "selection", "expected"), TYPED_FIELDS,
                         ids=[f"{t}.{s.split(' ')[0].split('(')[0]}:{e}" for e, t, s, _ in TYPED_FIELDS])
def test_typed_fields(gql, entity_id, typename, selection, expected):
    data = gql("query($id: ID!) { entity(id: $id) { __typename ... on %s { %s } } }" % (typename, selection),
               id=entity_id)
    entity = data["entity"]
    assert entity.pop("__typename") == CONCRETE.get(entity_id, typename)
    assert plain_fields(entity) == expected


def test_quote_text_is_verbatim_from_the_article(gql, article_ja):
    data = gql('{ entity(id: "quote-jensen-huang-h20-availability") { ... on Quote { text speaker { label } } } }')
    assert data["entity"]["text"] in article_ja
    assert data["entity"]["speaker"]["label"] == "Jensen Huang"


# ------------------------------------------------------------ Relation and Evidence

def test_relation_fields_seen_from_the_target(gql):
    data = gql("""{ entity(id: "nvidia") { relations(predicate: ["summoned"]) { nodes {
        predicate predicateIri direction sourceId targetId
        source { __typename id } target { __typename id }
        evidence { text lang paragraph source { __typename id label(lang: "ja") } } } } } }""")
    (relation,) = data["entity"]["relations"]["nodes"]
    assert relation == {
        "predicate": "summoned", "predicateIri": CKG + "summoned", "direction": "INCOMING",
        "sourceId": CAC, "targetId": "nvidia",
        "source": {"__typename": "Regulator", "id": CAC}, "target": {"__typename": "Company", "id": "nvidia"},
        "evidence": [{"text": CAC_SUMMONS_NVIDIA, "lang": "ja", "paragraph": 2,
                      "source": {"__typename": "Article", "id": "h20-article",
                                 "label": "Nvidia H20チップ:米国の政策転換と安全保障の懸念の中で中国AIを加速"}}],
    }


def test_relation_direction_seen_from_the_source(gql):
    data = gql('{ entity(id: "%s") { relations(predicate: ["summoned"]) { nodes { direction source { id } '
               'target { id } } } } }' % CAC)
    assert plain(data["entity"]["relations"]["nodes"]) == [{"direction": "OUTGOING", "source": CAC,
                                                             "target": "nvidia"}]


def test_a_fact_with_two_sentences_has_two_evidence_entries(gql, article_ja):
    data = gql('{ entity(id: "h20") { relations(predicate: ["makes"]) { nodes { source { id } '
               'evidence { text paragraph lang source { id } } } } } }')
    (relation,) = data["entity"]["relations"]["nodes"]
    assert relation["source"] == {"id": "nvidia"}
    assert sorted(e["paragraph"] for e in relation["evidence"]) == [0, 2]
    for evidence in relation["evidence"]:
        assert evidence["text"] in article_ja
        assert evidence["lang"] == "ja" and evidence["source"] == {"id": "h20-article"}


SUBJECT_CLASSES = ("Organization", "Product", "Policy", "Person", "Place", "Event", "Quote")


def test_every_seed_relation_has_verbatim_evidence_in_its_paragraph(gql, article_ja):
    """Every fact, seen from its subject: evidence in the article, in the paragraph it names."""
    lists = " ".join('%s: entities(type: "%s", first: 100) { nodes { relations(direction: OUTGOING, first: 100) '
                     '{ nodes { predicate evidence { text paragraph } } } } }' % (c.lower(), c)
                     for c in SUBJECT_CLASSES)
    data = gql("{ %s }" % lists)
    relations = [r for c in SUBJECT_CLASSES for n in data[c.lower()]["nodes"] for r in n["relations"]["nodes"]]
    facts_in_seed = gql("{ stats { byPredicate { key count } } }")["stats"]["byPredicate"]
    object_properties = {p["name"] for p in gql("{ ontology { properties { name kind } } }")["ontology"]["properties"]
                         if p["kind"] == "object property"}
    assert len(relations) == sum(c["count"] for c in facts_in_seed
                                 if c["key"].removeprefix("ckg:") in object_properties)
    for relation in relations:
        assert relation["evidence"], relation
        for evidence in relation["evidence"]:
            assert evidence["text"] in article_ja
            assert evidence["text"] in article_ja.splitlines()[evidence["paragraph"]]


# ------------------------------------------------------------ Query: search and lists

SEARCHES = [
    ('search(text: "cac")', [CAC]),                          # an alias, lower case
    ('search(text: "エヌビディア")', ["nvidia"]),              # a Japanese alias
    ('search(text: "ＮＶＩＤＩＡ", types: ["Company"])', ["nvidia"]),  # full width
    ('search(text: "nvidia", types: ["Chip"])', ["h20"]),     # "Nvidia H20" is an alias of the H20
    ('search(text: "zhipu")', ["z-ai"]),                      # a former name
    ('search(text: "李強", types: ["Person"])', ["li-qiang"]),   # the quotes' labels name him too
    ('search(text: "no such thing anywhere")', []),
]


@pytest.mark.parametrize(("call", "expected"), SEARCHES, ids=[c for c, _ in SEARCHES])
def test_search(gql, call, expected):
    assert [e["id"] for e in gql("{ %s { id } }" % call)["search"]] == expected


def test_search_puts_the_exact_match_first_and_honours_first(gql):
    data = gql('{ all: search(text: "Nvidia") { id } one: search(text: "Nvidia", first: 1) { id } }')
    assert data["all"][0] == {"id": "nvidia"}
    assert {"id": "h20"} in data["all"]
    assert data["one"] == [{"id": "nvidia"}]


LISTS = [
    ("companies", "Company", ["alibaba", "deepseek", "growingio", "huawei", "moonshot-ai", "nvidia", "openai", "z-ai"]),
    ("chips", "Chip", ["h20", "huawei-ai-chips"]),
    ("regulators", "Regulator", ["chinese-government", CAC, "trump-administration", "us-government"]),
    ("policies", "Policy", ["americas-ai-action-plan", "china-ai-superpower-investment", "china-domestic-chip-support",
                  "h20-sales-permission", "trump-ai-outline", "us-export-restrictions"]),
    ("people", "Person", ["donald-trump", "jensen-huang", "li-qiang", "lucy-xinyi-chen", "sam-sacks", "william-xu"]),
]


@pytest.mark.parametrize(("field", "typename", "expected"), LISTS, ids=[f for f, _, _ in LISTS])
def test_class_lists(gql, field, typename, expected):
    data = gql("{ %s(first: 100) { totalCount nodes { id __typename } pageInfo { hasNextPage } } }" % field)[field]
    assert [n["id"] for n in data["nodes"]] == expected
    assert data["totalCount"] == len(expected)
    assert data["pageInfo"]["hasNextPage"] is False
    assert {n["__typename"] for n in data["nodes"]} == {typename}


# ------------------------------------------------------------ Query: traversal

NEIGHBORHOODS = [
    ('id: "h20"', ["h20", "h20-sales-permission", "nvidia", "quote-jensen-huang-h20-availability"]),
    ('id: "h20", depth: 0', ["h20"]),
    ('id: "h20", predicates: ["makes"]', ["h20", "nvidia"]),
    ('id: "h20", direction: OUTGOING', ["h20"]),
    ('id: "nvidia", direction: OUTGOING', ["h20", "nvidia", "united-states"]),
]


@pytest.mark.parametrize(("arguments", "expected"), NEIGHBORHOODS, ids=[a for a, _ in NEIGHBORHOODS])
def test_neighborhood_nodes(gql, arguments, expected):
    data = gql("{ neighborhood(%s) { nodes { id } edges { sourceId targetId } } }" % arguments)["neighborhood"]
    nodes = [n["id"] for n in data["nodes"]]
    assert nodes == expected  # sorted by IRI, the centre included
    for edge in data["edges"]:
        assert {edge["sourceId"], edge["targetId"]} <= set(nodes)


def test_neighborhood_edges_carry_evidence(gql, article_ja):
    data = gql('{ neighborhood(id: "h20") { edges { predicate source { id } target { id } '
               'evidence { text paragraph } } } }')["neighborhood"]
    assert sorted((e["source"]["id"], e["predicate"], e["target"]["id"]) for e in data["edges"]) == [
        ("h20-sales-permission", "appliesTo", "h20"), ("nvidia", "makes", "h20"),
        ("quote-jensen-huang-h20-availability", "about", "h20")]
    for edge in data["edges"]:
        assert edge["evidence"] and all(e["text"] in article_ja for e in edge["evidence"])


def test_paths_fields(gql):
    data = gql('{ paths(from: "%s", to: "deepseek", first: 1) { length nodes { id } edges { predicate '
               'source { id } target { id } } } }' % CAC)
    (path,) = data["paths"]
    assert path["length"] == 2
    assert [n["id"] for n in path["nodes"]] == [CAC, "china", "deepseek"]  # in path order
    assert [(e["source"]["id"], e["predicate"], e["target"]["id"]) for e in path["edges"]] == [
        (CAC, "jurisdiction", "china"), ("deepseek", "basedIn", "china")]  # as stated, not as walked


# ------------------------------------------------------------ Query: ontology and stats

def test_ontology_classes(gql):
    data = gql('{ ontology { iri classes { name iri kind label ja: label(lang: "ja") comment superClasses } } }')
    ontology = data["ontology"]
    assert ontology["iri"] == "https://w3id.org/chipkg/ontology"
    classes = {c["name"]: c for c in ontology["classes"]}
    assert {"Company", "Chip", "Regulator", "Policy", "Person", "Organization", "Product", "Place", "Country",
            "City", "Event", "Quote", "Article"} <= set(classes)
    assert classes["Company"]["superClasses"] == ["ckg:Organization"]
    assert classes["Regulator"]["superClasses"] == ["ckg:Organization"]
    assert classes["Chip"]["superClasses"] == ["ckg:Product"]
    for term in classes.values():
        assert term["kind"] == "class" and term["iri"] == CKG + term["name"]
        assert term["label"] and term["ja"] and term["ja"] != term["label"] and term["comment"]


PROPERTIES = [
    ("makes", {"domain": ["ckg:Organization"], "range": ["ckg:Product"], "inverse": "ckg:madeBy", "symmetric": False}),
    ("competesWith", {"domain": ["ckg:Organization"], "range": ["ckg:Organization"], "inverse": None,
                      "symmetric": True}),
    ("issuedBy", {"domain": ["ckg:Policy"], "range": ["ckg:Regulator"], "inverse": None, "symmetric": False}),
    ("summoned", {"domain": ["ckg:Regulator"], "range": ["ckg:Organization"], "inverse": None, "symmetric": False}),
    ("ceoOf", {"domain": ["ckg:Person"], "range": ["ckg:Company"], "inverse": None, "symmetric": False}),
    ("jurisdiction", {"domain": ["ckg:Regulator"], "range": ["ckg:Country"], "inverse": None, "symmetric": False}),
]


@pytest.mark.parametrize(("name", "expected"), PROPERTIES, ids=[n for n, _ in PROPERTIES])
def test_ontology_properties(gql, name, expected):
    data = gql("{ ontology { properties { name kind domain range inverse symmetric label } } }")
    by_name = {p["name"]: p for p in data["ontology"]["properties"]}
    term = by_name[name]
    assert term["kind"] == "object property" and term["label"]
    assert {k: term[k] for k in expected} == expected


def test_stats_match_the_seed(gql, seed_graph):
    data = gql("{ stats { triples entities statements version byClass { key count } byPredicate { key count } } }")
    stats = data["stats"]
    seed_triples = [q.triple for path in article_graphs() for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    seed_statements = sum(1 for t in seed_triples if t.object.value.endswith("#Statement"))
    assert seed_statements == 82
    assert stats["statements"] == seed_statements
    assert stats["triples"] == len(seed_graph.store) > len(seed_triples)  # the ontology is in the store too
    by_class = {c["key"]: c["count"] for c in stats["byClass"]}
    assert by_class["ckg:Company"] == 8 and by_class["ckg:Regulator"] == 4 and by_class["ckg:Chip"] == 2
    assert stats["entities"] == sum(by_class.values())
    by_predicate = {c["key"]: c["count"] for c in stats["byPredicate"]}
    assert by_predicate["ckg:summoned"] == 1
    assert by_predicate["ckg:evidence"] >= seed_statements
    assert stats["version"] == 0
