"""``KnowledgeGraph``: lookup, search, relations, traversal, writes and stats over the seed.

Reads use the session's ``seed_kg``; anything that writes builds its own with ``fresh_kg``.
The facts relied on are SPEC.md's own examples (the CAC summoned Nvidia, Jensen Huang is
its CEO, Nvidia makes the H20, Z.ai was formerly Zhipu AI), so finishing the seed article
does not move them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pyoxigraph as ox
import pytest

from chipkg.graph import (
    Direction,
    InvalidInput,
    KnowledgeGraph,
    LangString,
    Limits,
    NotFound,
    ParseError,
    QueryTooLarge,
    ValidationFailed,
)
from chipkg.seed import ONTOLOGY, article_graphs

CKG = "https://w3id.org/chipkg/ontology#"
CKR = "https://w3id.org/chipkg/resource/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

NVIDIA, H20, JENSEN, CAC = CKR + "nvidia", CKR + "h20", CKR + "jensen-huang", CKR + "cyberspace-administration-of-china"
ARTICLE = CKR + "h20-article"

# A whole sentence of paragraph 3 of the article, for facts the tests add.
SENTENCE = "同時に、中国のチップメーカーは、Nvidiaや他の米国の競合他社との技術格差を縮めるために激しい競争を繰り広げています。"  # noqa: E501 (a sentence of the article kept whole; Japanese characters are two columns wide)

KG = KnowledgeGraph
Factory = Callable[..., KnowledgeGraph]


def ids(entities) -> list[str]:
    return [e.id for e in entities]


def keys(relations) -> set[tuple[str, str, str]]:
    return {r.key for r in relations}


# ------------------------------------------------------------------ entities


@pytest.mark.parametrize("entity_id", ["nvidia", "ckr:nvidia", NVIDIA])
def test_entity_by_slug_prefixed_name_or_iri(seed_kg: KG, entity_id: str) -> None:
    nvidia = seed_kg.entity(entity_id)
    assert nvidia.iri == NVIDIA
    assert nvidia.id == "nvidia"
    assert nvidia.types == (CKG + "Company",)
    assert nvidia.label("en") == "Nvidia"
    assert LangString("エヌビディア", "ja") in nvidia.alt_labels


@pytest.mark.parametrize("entity_id", ["no-such-entity", "ckr:no-such-entity", "https://example.org/nvidia",
                                       "makes", CKG + "Company"])
def test_unknown_entity_is_not_found(seed_kg: KG, entity_id: str) -> None:
    with pytest.raises(NotFound):
        seed_kg.entity(entity_id)


@pytest.mark.parametrize("call", [
    pytest.param(lambda kg: kg.relations("no-such-entity"), id="relations"),
    pytest.param(lambda kg: kg.neighborhood("no-such-entity"), id="neighborhood"),
    pytest.param(lambda kg: kg.paths("no-such-entity", "nvidia"), id="paths-from"),
    pytest.param(lambda kg: kg.paths("nvidia", "no-such-entity"), id="paths-to"),
    pytest.param(lambda kg: kg.export(entity="no-such-entity"), id="export"),
])
def test_operations_on_an_unknown_id_raise_not_found(seed_kg: KG, call) -> None:
    with pytest.raises(NotFound):
        call(seed_kg)


def test_entities_in_one_call_keep_order_and_mark_unknown_ids(seed_kg: KG) -> None:
    found = seed_kg.entities(["h20", "no-such-entity", "ckr:nvidia"])
    assert [e.iri if e else None for e in found] == [H20, None, NVIDIA]


@pytest.mark.parametrize(("lang", "expected"), [("en", "Jensen Huang"), ("ja", "ジェンスン・ファン"),
                                                ("fr", "Jensen Huang"), (None, "Jensen Huang")])
def test_label_falls_back_to_english(seed_kg: KG, lang: str | None, expected: str) -> None:
    assert seed_kg.entity("jensen-huang").label(lang) == expected


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("text", ["nvidia", "NVIDIA", "ＮＶＩＤＩＡ", " Nvidia ", "エヌビディア"])
def test_search_folds_case_width_and_language(seed_kg: KG, text: str) -> None:
    found = ids(seed_kg.search(text))
    assert found[0] == "nvidia", "an exact name match ranks first"
    assert len(found) == len(set(found))


@pytest.mark.parametrize(("text", "entity_id"), [
    ("互聯網", "cyberspace-administration-of-china"),  # substring of a Japanese label
    ("ジェンスン", "jensen-huang"),
    ("Zhipu AI", "z-ai"),  # a former name, from skos:altLabel
    ("zhipu", "z-ai"),
    ("CAC", "cyberspace-administration-of-china"),
])
def test_search_matches_label_substrings_and_aliases(seed_kg: KG, text: str, entity_id: str) -> None:
    assert entity_id in ids(seed_kg.search(text))


@pytest.mark.parametrize(("types", "included", "excluded"), [
    (["Company"], "nvidia", "h20"),
    (["Chip"], "h20", "nvidia"),
    (["Organization"], "nvidia", "h20"),  # a Company is an Organization
    (["ckg:Product"], "h20", "nvidia"),  # a Chip is a Product
    (["Chip", "Company"], "nvidia", "h20-article"),
])
def test_search_types_filter(seed_kg: KG, types: list[str], included: str, excluded: str) -> None:
    unfiltered = ids(seed_kg.search("nvidia", limit=50))
    assert included in unfiltered and excluded in unfiltered
    found = seed_kg.search("nvidia", types=types, limit=50)
    assert included in ids(found)
    assert excluded not in ids(found)
    assert all(any(seed_kg.is_a(e, t) for t in types) for e in found)


def test_search_with_an_unknown_type_is_invalid(seed_kg: KG) -> None:
    with pytest.raises(InvalidInput):
        seed_kg.search("nvidia", types=["Startup"])


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_search_limit(seed_kg: KG, limit: int) -> None:
    assert len(seed_kg.search("a", limit=50)) > 3
    assert len(seed_kg.search("a", limit=limit)) == limit


@pytest.mark.parametrize("limit", [-1, Limits().max_results + 1])
def test_search_limit_out_of_bounds(seed_kg: KG, limit: int) -> None:
    with pytest.raises(QueryTooLarge):
        seed_kg.search("a", limit=limit)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o }",
    '" } ; DROP ALL ; #',
    "nvidia\" . ?s ?p ?o } #",
    "<https://w3id.org/chipkg/resource/nvidia>",
    "ckr:nvidia",
    ".*",
])
def test_search_treats_query_syntax_as_plain_text(seed_kg: KG, text: str) -> None:
    triples = len(seed_kg.store)
    assert seed_kg.search(text) == []
    assert len(seed_kg.store) == triples


# ------------------------------------------------------------------ relations and evidence


def test_every_relation_of_nvidia_has_evidence_from_the_article(seed_kg: KG, h20_text: str) -> None:
    relations = seed_kg.relations("nvidia")
    assert len(relations) >= 5
    assert (CAC, CKG + "summoned", NVIDIA) in keys(relations)
    assert (NVIDIA, CKG + "makes", H20) in keys(relations)
    for r in relations:
        assert NVIDIA in (r.subject, r.object)
        assert r.direction == (Direction.OUTGOING if r.subject == NVIDIA else Direction.INCOMING)
        assert r.evidence, f"{r.key} has no evidence"
        for ev in r.evidence:
            assert ev.text and ev.text in h20_text
            assert ev.lang == "ja"
            assert isinstance(ev.paragraph, int) and not isinstance(ev.paragraph, bool)
            assert 0 <= ev.paragraph <= h20_text.count("\n")
            assert ev.source == ARTICLE
            assert ev.statement.startswith(CKR)


@pytest.mark.parametrize("predicate", ["makes", "ckg:makes", CKG + "makes"])
def test_relations_predicate_filter(seed_kg: KG, predicate: str) -> None:
    relations = seed_kg.relations("nvidia", predicates=[predicate])
    assert keys(relations) == {(NVIDIA, CKG + "makes", H20)}


def test_relations_several_predicates(seed_kg: KG) -> None:
    relations = seed_kg.relations("nvidia", predicates=["makes", "summoned"])
    assert {r.predicate for r in relations} == {CKG + "makes", CKG + "summoned"}


def test_relations_direction_filter(seed_kg: KG) -> None:
    outgoing = seed_kg.relations("nvidia", direction=Direction.OUTGOING)
    incoming = seed_kg.relations("nvidia", direction=Direction.INCOMING)
    both = seed_kg.relations("nvidia")
    assert outgoing and incoming
    assert all(r.subject == NVIDIA and r.direction == Direction.OUTGOING for r in outgoing)
    assert all(r.object == NVIDIA and r.direction == Direction.INCOMING for r in incoming)
    assert keys(outgoing) | keys(incoming) == keys(both)
    assert not keys(outgoing) & keys(incoming)


@pytest.mark.parametrize("predicate", ["maker", "ckg:maker", "rdfs:label", "evidence", "Company"])
def test_unknown_predicate_is_invalid(seed_kg: KG, predicate: str) -> None:
    with pytest.raises(InvalidInput):
        seed_kg.relations("nvidia", predicates=[predicate])
    with pytest.raises(InvalidInput):
        seed_kg.neighborhood("nvidia", predicates=[predicate])


def test_relations_many_agrees_with_relations(seed_kg: KG) -> None:
    batch = seed_kg.relations_many(["nvidia", "h20", "no-such-entity"])
    assert batch[0] == seed_kg.relations("nvidia")
    assert batch[1] == seed_kg.relations("h20")
    assert batch[2] == []


# ------------------------------------------------------------------ neighbourhoods


def test_neighborhood_grows_with_depth(seed_kg: KG) -> None:
    subgraphs = [seed_kg.neighborhood("nvidia", depth) for depth in (0, 1, 2)]
    assert subgraphs[0].nodes == (NVIDIA,) and subgraphs[0].edges == ()
    assert len(subgraphs[0].nodes) < len(subgraphs[1].nodes) <= len(subgraphs[2].nodes)
    assert set(subgraphs[0].nodes) <= set(subgraphs[1].nodes) <= set(subgraphs[2].nodes)
    assert keys(subgraphs[1].edges) <= keys(subgraphs[2].edges)
    assert {CAC, H20, JENSEN} <= set(subgraphs[1].nodes)
    for sub in subgraphs:
        assert sub.center == NVIDIA and NVIDIA in sub.nodes
        assert len(set(sub.nodes)) == len(sub.nodes)
        for edge in sub.edges:
            assert edge.subject in sub.nodes and edge.object in sub.nodes
            assert edge.evidence


def test_neighborhood_depth_one_is_the_relations(seed_kg: KG) -> None:
    sub = seed_kg.neighborhood("nvidia", 1)
    relations = seed_kg.relations("nvidia")
    assert keys(sub.edges) == keys(relations)
    assert set(sub.nodes) == {NVIDIA} | {r.subject for r in relations} | {r.object for r in relations}


def test_neighborhood_predicate_filter(seed_kg: KG) -> None:
    sub = seed_kg.neighborhood("nvidia", 2, predicates=["makes"])
    assert set(sub.nodes) == {NVIDIA, H20}
    assert keys(sub.edges) == {(NVIDIA, CKG + "makes", H20)}


@pytest.mark.parametrize("depth", [-1, Limits().max_depth + 1])
def test_neighborhood_depth_out_of_bounds(seed_kg: KG, depth: int) -> None:
    with pytest.raises(QueryTooLarge):
        seed_kg.neighborhood("nvidia", depth)


def test_neighborhood_node_budget(fresh_kg: Factory) -> None:
    kg = fresh_kg(limits=Limits(max_nodes=5))
    assert len(kg.neighborhood("h20", 0).nodes) == 1
    with pytest.raises(QueryTooLarge):
        kg.neighborhood("nvidia", 2)


# ------------------------------------------------------------------ paths


def test_paths_from_the_cac_to_jensen_huang(seed_kg: KG) -> None:
    paths = seed_kg.paths("cyberspace-administration-of-china", "jensen-huang", max_length=4, limit=5)
    assert len(paths) == 5
    first = paths[0]
    assert first.length == 2
    assert first.nodes == (CAC, NVIDIA, JENSEN)
    assert [e.key for e in first.edges] == [(CAC, CKG + "summoned", NVIDIA), (JENSEN, CKG + "ceoOf", NVIDIA)]
    lengths = [p.length for p in paths]
    assert lengths == sorted(lengths)
    assert len({p.nodes for p in paths}) == len(paths)
    for path in paths:
        assert path.nodes[0] == CAC and path.nodes[-1] == JENSEN
        assert 1 <= path.length <= 4
        assert len(path.nodes) == len(set(path.nodes)), "a path repeats a node"
        assert len(path.edges) == len(path.nodes) - 1
        for edge, (a, b) in zip(path.edges, pairwise(path.nodes), strict=True):
            assert {edge.subject, edge.object} == {a, b}
            assert edge.evidence


def test_paths_respect_max_length_and_first(seed_kg: KG) -> None:
    assert seed_kg.paths("cyberspace-administration-of-china", "jensen-huang", max_length=1) == []
    assert len(seed_kg.paths("cyberspace-administration-of-china", "jensen-huang", max_length=4, limit=1)) == 1
    assert all(p.length <= 3 for p in seed_kg.paths("cyberspace-administration-of-china", "jensen-huang",
                                                   max_length=3, limit=10))


@pytest.mark.parametrize(("max_length", "limit"), [
    (0, 3), (Limits().max_path_length + 1, 3), (4, 0), (4, Limits().max_paths + 1)])
def test_paths_limits(seed_kg: KG, max_length: int, limit: int) -> None:
    with pytest.raises(QueryTooLarge):
        seed_kg.paths("cyberspace-administration-of-china", "jensen-huang", max_length=max_length, limit=limit)


# ------------------------------------------------------------------ adding entities and facts


def test_add_entity_mints_a_slug_from_the_english_label(fresh_kg: Factory) -> None:
    kg = fresh_kg()
    first = kg.add_entity("Company", "Acme Robotics", "アクメ・ロボティクス")
    second = kg.add_entity("Company", "Acme Robotics", "アクメ・ロボティクス")
    taken = kg.add_entity("Company", "Nvidia", "エヌビディア二")
    assert (first.id, second.id, taken.id) == ("acme-robotics", "acme-robotics-2", "nvidia-2")
    assert first.types == (CKG + "Company",)
    assert first.label("en") == "Acme Robotics" and first.label("ja") == "アクメ・ロボティクス"
    assert kg.entity("nvidia").label("ja") == "Nvidia", "minting must not touch the existing resource"
    assert ids(kg.search("acme robotics")) == ["acme-robotics", "acme-robotics-2"]
    assert "acme-robotics" in ids(kg.search("ロボティクス", types=["Organization"]))
    assert kg.validate() == []


@pytest.mark.parametrize(("kwargs", "error"), [
    pytest.param({"class_name": "Startup", "label_en": "Acme", "label_ja": "アクメ"}, InvalidInput,
                 id="unknown-class"),
    pytest.param({"class_name": "Company", "label_en": "アクメ", "label_ja": "アクメ"}, InvalidInput,
                 id="no-latin-to-slug"),
    pytest.param({"class_name": "Company", "label_en": "Acme", "label_ja": "アクメ", "entity_id": "nvidia"},
                 InvalidInput, id="id-taken"),
    pytest.param({"class_name": "Company", "label_en": "Acme", "label_ja": "アクメ", "entity_id": "Not A Slug"},
                 InvalidInput, id="id-not-kebab"),
])
def test_add_entity_refusals(fresh_kg: Factory, kwargs: dict, error: type) -> None:
    kg = fresh_kg()
    before = kg.export()
    with pytest.raises(error):
        kg.add_entity(**kwargs)
    assert kg.export() == before


def test_added_fact_is_visible_everywhere_at_once(fresh_kg: Factory, h20_text: str) -> None:
    kg = fresh_kg()
    assert SENTENCE in h20_text.split("\n")[3], "paragraph N is line N+1 of the article text"
    acme = kg.add_entity("Company", "Acme Robotics", "アクメ・ロボティクス").iri
    assert "acme-robotics" in ids(kg.search("ACME"))
    relation = kg.add_fact("acme-robotics", "competesWith", "nvidia", evidence=SENTENCE,
                           source_id="h20-article", paragraph=3)
    fact = (acme, CKG + "competesWith", NVIDIA)
    assert relation.key == fact
    assert [(e.text, e.lang, e.paragraph, e.source) for e in relation.evidence] == [(SENTENCE, "ja", 3, ARTICLE)]
    assert keys(kg.relations("acme-robotics")) == {fact}
    assert fact in keys(kg.relations("nvidia", predicates=["competesWith"], direction=Direction.INCOMING))
    assert NVIDIA in kg.neighborhood("acme-robotics", 1).nodes
    assert acme in kg.neighborhood("nvidia", 1).nodes
    paths = kg.paths("acme-robotics", "jensen-huang")
    assert paths[0].nodes == (acme, NVIDIA, JENSEN)
    assert "acme-robotics" in ids(kg.search("acme", types=["Company"]))
    assert kg.validate() == []


@pytest.mark.parametrize(("subject", "predicate", "obj"), [
    ("alibaba", "competesWith", "nvidia"),
    ("alibaba", "makes", "h20"),
    ("openai", "basedIn", "united-states"),
    ("chinese-government", "summoned", "alibaba"),
    ("h20-sales-permission", "appliesTo", "alibaba"),
])
def test_add_fact_between_seed_entities(fresh_kg: Factory, subject: str, predicate: str, obj: str) -> None:
    """A fact whose predicate the seed already uses; its other statements must not get in the way."""
    kg = fresh_kg()
    statements = kg.stats().statements
    kg.add_fact(subject, predicate, obj, evidence=SENTENCE, source_id="h20-article", paragraph=3)
    fact = (CKR + subject, CKG + predicate, CKR + obj)
    assert fact in keys(kg.relations(subject))
    assert kg.stats().statements == statements + 1
    assert kg.validate() == []


def test_add_fact_with_evidence_not_in_the_article_changes_nothing(fresh_kg: Factory, h20_text: str) -> None:
    kg = fresh_kg()
    invented = "NvidiaはHuaweiと競合していないと発表しました。"
    assert invented not in h20_text
    triples, before = len(kg.store), kg.export()
    with pytest.raises(ValidationFailed):
        kg.add_fact("alibaba", "competesWith", "nvidia", evidence=invented, source_id="h20-article", paragraph=3)
    assert len(kg.store) == triples
    assert kg.export() == before
    assert (CKR + "alibaba", CKG + "competesWith", NVIDIA) not in keys(kg.relations("nvidia"))


@pytest.mark.parametrize(("kwargs", "error"), [
    pytest.param({"predicate": "maker"}, InvalidInput, id="unknown-predicate"),
    pytest.param({"source_id": "nvidia"}, NotFound, id="source-not-an-article"),
    pytest.param({"source_id": "no-such-article"}, NotFound, id="unknown-source"),
    pytest.param({"object_id": "china"}, ValidationFailed, id="range"),  # a Country is not an Organization
])
def test_add_fact_refusals(fresh_kg: Factory, kwargs: dict, error: type) -> None:
    kg = fresh_kg()
    before = kg.export()
    args = {"subject_id": "alibaba", "predicate": "competesWith", "object_id": "nvidia",
            "evidence": SENTENCE, "source_id": "h20-article", "paragraph": 3} | kwargs
    with pytest.raises(error):
        kg.add_fact(**args)
    assert kg.export() == before


def test_refused_turtle_leaves_graph_and_views_unchanged(fresh_kg: Factory, ttl: Callable[[str], str]) -> None:
    kg = fresh_kg()
    before, relations = kg.export(), kg.relations("jensen-huang")
    bad = ttl("ckr:jensen-huang ckg:makes ckr:h20 .\n"
              "ckr:st a rdf:Statement ; rdf:subject ckr:jensen-huang ; rdf:predicate ckg:makes ; rdf:object ckr:h20 ;\n"
              f'    ckg:evidence "{SENTENCE}"@ja ; ckg:paragraph 3 ; prov:wasDerivedFrom ckr:h20-article .\n')
    with pytest.raises(ValidationFailed):
        kg.add(bad)
    assert kg.export() == before
    assert kg.relations("jensen-huang") == relations
    assert kg.paths("jensen-huang", "h20", max_length=1) == []
    assert kg.version == 0


# Each body has its error on the line given; the ttl() prefixes take five lines.
MALFORMED = [
    pytest.param('ckr:acme a ckg:Company ;\n    rdfs:label "Acme"@en "アクメ"@ja .\n', 7, id="missing-comma"),
    pytest.param("ckr:acme a ckg:Company .\n\nfoo:acme a ckg:Company .\n", 8, id="undeclared-prefix"),
    pytest.param('ckr:acme a ckg:Company ;\n    rdfs:label "Acme@en .\n', 7, id="unterminated-string"),
    pytest.param("ckr:acme a ckg:Company ; rdfs:label <not an iri> .\n", 6, id="bad-iri"),
]


@pytest.mark.parametrize(("body", "line"), MALFORMED)
def test_malformed_turtle_raises_parse_error_with_line(fresh_kg: Factory, ttl: Callable[[str], str],
                                                       body: str, line: int) -> None:
    kg = fresh_kg()
    before = kg.export()
    with pytest.raises(ParseError) as refused:
        kg.add(ttl(body))
    assert refused.value.line == line
    assert refused.value.code == "PARSE_ERROR"
    assert isinstance(refused.value, InvalidInput)
    assert kg.export() == before


@pytest.mark.parametrize("body", [
    pytest.param('[] a ckg:Company ; rdfs:label "Acme"@en , "アクメ"@ja .\n', id="blank-subject"),
    pytest.param('_:acme a ckg:Company ; rdfs:label "Acme"@en , "アクメ"@ja .\n', id="labelled-blank-subject"),
    pytest.param('ckr:nvidia ckg:basedIn [ a ckg:City ; rdfs:label "X"@en , "X"@ja ] .\n', id="blank-object"),
])
def test_blank_nodes_are_refused(fresh_kg: Factory, ttl: Callable[[str], str], body: str) -> None:
    kg = fresh_kg()
    before = kg.export()
    with pytest.raises(InvalidInput, match="blank node"):
        kg.add(ttl(body))
    assert kg.export() == before


# ------------------------------------------------------------------ removing


def statements_about(kg: KG, fact: tuple[str, str, str]) -> list[str]:
    s, p, o = (ox.NamedNode(x) for x in fact)
    return [t.subject.value for t in kg.store.triples(None, ox.NamedNode(RDF + "subject"), s)
            if any(kg.store.triples(t.subject, ox.NamedNode(RDF + "predicate"), p))
            and any(kg.store.triples(t.subject, ox.NamedNode(RDF + "object"), o))]


@pytest.mark.parametrize("fact", [
    ("cyberspace-administration-of-china", "summoned", "nvidia"),
    ("huawei", "competesWith", "nvidia"),
    ("nvidia", "makes", "h20"),
], ids="-".join)
def test_remove_fact_removes_it_and_its_statements(fresh_kg: Factory, fact: tuple[str, str, str]) -> None:
    kg = fresh_kg()
    s, p, o = fact
    key = (CKR + s, CKG + p, CKR + o)
    described_by = statements_about(kg, key)
    assert described_by, "the seed fact has no statement to remove"
    statements = kg.stats().statements
    kg.remove_fact(s, p, o)
    assert key not in keys(kg.relations(s))
    assert statements_about(kg, key) == []
    assert all(not any(kg.store.triples(ox.NamedNode(st), None, None)) for st in described_by)
    assert kg.stats().statements == statements - len(described_by)
    assert key not in keys(kg.neighborhood(s, 1).edges)
    assert kg.validate() == []


def test_remove_fact_that_is_not_there(fresh_kg: Factory) -> None:
    kg = fresh_kg()
    with pytest.raises(NotFound):
        kg.remove_fact("nvidia", "makes", "chatgpt")


def test_removal_that_leaves_an_entity_inconsistent_is_refused(fresh_kg: Factory, ttl: Callable[[str], str]) -> None:
    kg = fresh_kg()
    before = kg.export()
    with pytest.raises(ValidationFailed) as refused:
        kg.remove(ttl("ckr:nvidia a ckg:Company .\n"))
    assert "ckr:nvidia" in {v.focus for v in refused.value.violations}
    assert kg.export() == before
    assert kg.entity("nvidia").types == (CKG + "Company",)


# ------------------------------------------------------------------ stats


def test_stats(seed_kg: KG) -> None:
    stats = seed_kg.stats()
    files = [ONTOLOGY, *article_graphs()]
    triples = {q.triple for path in files for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    statement_iris = {t.subject for t in triples
                      if t.predicate.value == RDF + "type" and t.object.value == RDF + "Statement"}
    assert stats.triples == len(triples) == len(seed_kg.store)
    assert stats.statements == len(statement_iris) > 0
    for cls in ("Company", "Chip", "Regulator", "Policy", "Person", "Country", "City", "Event", "Quote", "Article"):
        assert stats.by_class.get(CKG + cls, 0) > 0, cls
    assert stats.entities == sum(stats.by_class.values())
    assert stats.by_predicate[CKG + "makes"] == sum(1 for t in triples if t.predicate.value == CKG + "makes")


@pytest.mark.parametrize("write", [
    lambda kg: kg.add_entity("Company", "Bad\ud800name", "悪い"),
    lambda kg: kg.add_entity("Company", "Fine", "良い", alt_labels=[LangString("x\udfff", "en")]),
    lambda kg: kg.add_fact("nvidia", "makes", "h20", evidence="\ud800", source_id="h20-article"),
    lambda kg: kg.add_article("Title\nA lone \ud800 surrogate.", article_id="h20-article"),
    lambda kg: kg.add('<https://w3id.org/chipkg/resource/x> '
                      '<http://www.w3.org/2000/01/rdf-schema#label> "\ud800"@en .'),
], ids=["label", "alias", "evidence", "article", "turtle"])
def test_a_lone_surrogate_is_the_callers_error_and_changes_nothing(fresh_kg, write) -> None:
    """Python strings may hold lone surrogates; no UTF-8 store can, so each write path says
    so plainly (InvalidInput) instead of raising UnicodeEncodeError from deep inside."""
    kg = fresh_kg()
    before = len(kg.store)
    with pytest.raises(InvalidInput, match="lone surrogate"):
        write(kg)
    assert len(kg.store) == before
