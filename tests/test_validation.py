"""Validation: the seed conforms, and each kind of bad input is refused, naming the node at fault.

Every bad case is checked twice: by ``Validator`` over the whole seed graph with the bad
triples merged in (what ``chipkg validate`` does), and by ``KnowledgeGraph.add`` (the
write path, which validates only the region a write touches). A validator that looks at
an empty graph "conforms", so the seed tests also assert what they validated is not empty.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest
import rdflib

from chipkg.graph import KnowledgeGraph, ValidationFailed, Violation
from chipkg.graph.validation import Validator

EVIDENCE = '"同時に、中国のチップメーカーは、Nvidiaや他の米国の競合他社との技術格差を縮めるために激しい競争を繰り広げています。"@ja'  # noqa: E501 (a sentence of the article kept whole; Japanese characters are two columns wide)


def statement(s: str, p: str, o: str, *, evidence: bool = True, source: str = "ckr:h20-article",
              name: str = "ckr:test-statement") -> str:
    lines = [f"{name} a rdf:Statement ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;",
             f"    prov:wasDerivedFrom {source} ; ckg:paragraph 3"]
    if evidence:
        lines.append(f"    ; ckg:evidence {EVIDENCE}")
    return "\n".join(lines) + " .\n"


# (id, Turtle body, the node the violation must name)
BAD_INPUTS = [
    pytest.param('ckr:acme a ckg:Company ; rdfs:label "Acme"@en .\n', "ckr:acme", id="missing-ja-label"),
    pytest.param('ckr:acme a ckg:Company ; rdfs:label "Acme"@en , "Acme Corp"@en , "アクメ"@ja .\n',
                 "ckr:acme", id="two-en-labels"),
    pytest.param('ckr:acme rdfs:label "Acme"@en , "アクメ"@ja .\n', "ckr:acme", id="untyped-labelled"),
    pytest.param("ckr:jensen-huang ckg:makes ckr:h20 .\n" + statement("ckr:jensen-huang", "ckg:makes", "ckr:h20"),
                 "ckr:jensen-huang", id="makes-from-person-domain"),
    pytest.param("ckr:nvidia ckg:makes ckr:china .\n" + statement("ckr:nvidia", "ckg:makes", "ckr:china"),
                 "ckr:china", id="makes-to-country-range"),
    pytest.param('ckr:nvidia ckg:makes "H30" .\n', "'H30'", id="literal-object"),
    pytest.param("ckr:nvidia ckg:competesWith ckr:alibaba .\n", "ckr:nvidia", id="fact-without-statement"),
    pytest.param("ckr:nvidia ckg:competesWith ckr:alibaba .\n"
                 + statement("ckr:nvidia", "ckg:competesWith", "ckr:alibaba", evidence=False),
                 "ckr:test-statement", id="statement-without-evidence"),
    pytest.param("ckr:nvidia ckg:competesWith ckr:alibaba .\n"
                 + statement("ckr:nvidia", "ckg:competesWith", "ckr:alibaba", source="ckr:nvidia"),
                 "ckr:test-statement", id="statement-not-from-article"),
    pytest.param(statement("ckr:nvidia", "ckg:competesWith", "ckr:alibaba"),
                 "ckr:test-statement", id="statement-of-unasserted-fact"),
    pytest.param('ckr:test-quote a ckg:Quote ; rdfs:label "A quote"@en , "発言"@ja ;\n'
                 '    ckg:text "開かれた競争は誰にとっても良いことです"@ja ; prov:wasDerivedFrom ckr:h20-article .\n',
                 "ckr:test-quote", id="quote-without-speaker"),
    pytest.param("ckr:nvidia ckg:maker ckr:h20 .\n" + statement("ckr:nvidia", "ckg:maker", "ckr:h20"),
                 "ckr:nvidia", id="unknown-predicate"),
    pytest.param('ckr:acme a ckg:Startup ; rdfs:label "Acme"@en , "アクメ"@ja .\n', "ckr:acme",
                 id="unknown-class"),
    pytest.param(statement("ckr:nvidia", "ckg:makes", "ckr:h20") + 'ckr:test-statement ckg:attribution "rumoured" .\n',
                 "ckr:test-statement", id="attribution-outside-the-closed-set"),
    pytest.param('ckr:nvidia-makes-h20 ckg:attribution "reported" .\n', "ckr:nvidia-makes-h20",
                 id="two-attributions"),
    pytest.param("ckr:nvidia ckg:concerning ckr:h20 .\n", "ckr:nvidia", id="qualifier-on-an-entity"),
    pytest.param('ckr:nvidia-makes-h20 ckg:shortlyAfter "the permission" .\n', "ckr:nvidia-makes-h20",
                 id="qualifier-with-a-literal"),
    pytest.param('ckr:z-ai ckg:formerName "Zhipu" .\n', "ckr:z-ai", id="former-name-without-language"),
]


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_files()


def as_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    """An independent conversion: serialise with pyoxigraph, parse with rdflib."""
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def whole_graph_violations(validator: Validator, triples: list[ox.Triple]) -> list[Violation]:
    return validator.check_vocabulary(triples) + validator.validate(as_rdflib(triples))


# ------------------------------------------------------------------ the seed conforms


def test_seed_graph_conforms(validator: Validator, seed_triples: list[ox.Triple]) -> None:
    graph = as_rdflib(seed_triples)
    rdf = rdflib.RDF
    ckg = rdflib.Namespace("https://w3id.org/chipkg/ontology#")
    # What was validated is the real thing: statements, entities of the core classes, facts.
    assert len(graph) > 1000
    assert len(set(graph.subjects(rdf.type, rdf.Statement))) > 50
    for cls in ("Company", "Chip", "Regulator", "Policy", "Person", "Quote", "Article"):
        assert (None, rdf.type, ckg[cls]) in graph, cls
    assert (None, ckg.makes, None) in graph
    assert whole_graph_violations(validator, seed_triples) == []


def test_seed_knowledge_graph_conforms(seed_kg: KnowledgeGraph) -> None:
    assert len(seed_kg.store) > 1000
    assert len(seed_kg.to_rdflib()) == len(seed_kg.store)
    assert seed_kg.validate() == []


# ------------------------------------------------------------------ bad inputs are refused


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_validator_names_the_offending_node(validator: Validator, seed_triples: list[ox.Triple],
                                            ttl: Callable[[str], str], body: str, offender: str) -> None:
    bad = [q.triple for q in ox.parse(ttl(body), format=ox.RdfFormat.TURTLE)]
    violations = whole_graph_violations(validator, seed_triples + bad)
    # The seed is clean, so every violation is about the bad input, and all name the offender.
    assert violations, "the bad input was accepted"
    assert {v.focus for v in violations} == {offender}, violations


@pytest.mark.parametrize(("body", "offender"), BAD_INPUTS)
def test_add_refuses_and_names_the_offending_node(fresh_kg: Callable[..., KnowledgeGraph],
                                                  ttl: Callable[[str], str], body: str, offender: str) -> None:
    kg = fresh_kg()
    before = kg.export()
    with pytest.raises(ValidationFailed) as refused:
        kg.add(ttl(body))
    focuses = {v.focus for v in refused.value.violations}
    assert offender in focuses
    assert focuses == {offender}, f"violations about nodes the input did not break: {refused.value.violations}"
    assert offender in str(refused.value)
    assert refused.value.code == "VALIDATION_FAILED"
    assert kg.export() == before
    assert kg.version == 0


def test_a_good_addition_passes(fresh_kg: Callable[..., KnowledgeGraph], ttl: Callable[[str], str]) -> None:
    """The counterpart of the bad cases: the same shape of input, done right, is accepted."""
    kg = fresh_kg()
    body = ('ckr:acme a ckg:Company ; rdfs:label "Acme"@en , "アクメ"@ja .\n'
            "ckr:acme ckg:competesWith ckr:nvidia .\n" + statement("ckr:acme", "ckg:competesWith", "ckr:nvidia"))
    result = kg.add(ttl(body))
    assert result.added == 11 and result.removed == 0
    assert kg.validate() == []
