"""The seed data itself: every article's Turtle is checked against its source text and the ontology.

These tests read the shipped files directly with pyoxigraph (and once with rdflib), independently
of the graph layer, so a defect in the data cannot hide behind a defect in the code that loads it.
Every test also asserts that what it looked at is non-empty: a check that passes because it found
nothing to check is a defect of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from chipkg.seed import ONTOLOGY, article_graphs, article_text

CKG = "https://w3id.org/chipkg/ontology#"
CKR = "https://w3id.org/chipkg/resource/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

TYPE = RDF + "type"
STATEMENT = RDF + "Statement"
ARTICLE = CKG + "Article"
QUOTE = CKG + "Quote"
SENTENCE = CKG + "Sentence"
PERSON = CKG + "Person"
LABEL = RDFS + "label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
FORMER_NAME = CKG + "formerName"
DERIVED_FROM = PROV + "wasDerivedFrom"
INTEGER_TYPES = {XSD + "integer", XSD + "nonNegativeInteger"}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

H20 = next((p for p in article_graphs() if p.name == "h20-article.ttl"), None)


# ------------------------------------------------------------------ the sentence splitter


def split_sentences(paragraph: str) -> list[str]:
    """Split a Japanese paragraph into sentences.

    A sentence ends right after a 。 (which it keeps), except a 。 inside 「」 brackets: a quoted
    passage of several sentences stays in the sentence that carries it. Text after the last 。
    (a title, say) is a sentence of its own.
    """
    sentences: list[str] = []
    start = depth = 0
    for i, char in enumerate(paragraph):
        if char == "「":
            depth += 1
        elif char == "」":
            depth = max(depth - 1, 0)
        elif char == "。" and depth == 0:
            sentences.append(paragraph[start : i + 1])
            start = i + 1
    if paragraph[start:]:
        sentences.append(paragraph[start:])
    return sentences


def paragraphs_of(text: str) -> list[str]:
    """Paragraph N is line N+1 of the file; the title (line 1) is paragraph 0."""
    return text.split("\n")


# ------------------------------------------------------------------ a tiny triple index


class Graph:
    """The triples of one Turtle file, indexed for the lookups these tests make."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.triples: list[ox.Triple] = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        self._sp: dict[tuple[str, str], list] = defaultdict(list)
        self._po: dict[tuple[str, object], list] = defaultdict(list)
        self._set: set[tuple[str, str, object]] = set()
        for t in self.triples:
            s = _key(t.subject)
            self._sp[(s, t.predicate.value)].append(t.object)
            self._po[(t.predicate.value, _key(t.object))].append(t.subject)
            self._set.add((s, t.predicate.value, _key(t.object)))

    def __len__(self) -> int:
        return len(self.triples)

    def objects(self, subject: str, predicate: str) -> list:
        return self._sp.get((subject, predicate), [])

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [_key(s) for s in self._po.get((predicate, obj), [])]

    def has(self, subject: str, predicate: str, obj: str) -> bool:
        return (subject, predicate, obj) in self._set

    def types(self, subject: str) -> set[str]:
        return {o.value for o in self.objects(subject, TYPE) if isinstance(o, ox.NamedNode)}

    def instances(self, cls: str) -> list[str]:
        return sorted(set(self.subjects(TYPE, cls)))


def _key(term) -> object:
    """IRIs as plain strings, anything else (literals, blank nodes) as itself."""
    return term.value if isinstance(term, ox.NamedNode) else term


def _short(iri: str) -> str:
    for prefix, ns in (("ckr:", CKR), ("ckg:", CKG), ("rdf:", RDF), ("rdfs:", RDFS), ("owl:", OWL)):
        if isinstance(iri, str) and iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return str(iri)


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph(ONTOLOGY)
    assert len(graph) > 0, "the ontology is empty"
    return graph


@pytest.fixture(scope="module", params=article_graphs(), ids=lambda p: p.name)
def article(request) -> Graph:
    graph = Graph(request.param)
    assert len(graph) > 0, f"{request.param.name} is empty"
    return graph


def source_text(graph: Graph) -> str:
    """The text the article graph's evidence must be copied from (its ckg:sourceFile)."""
    articles = graph.instances(ARTICLE)
    assert len(articles) == 1, f"expected one ckg:Article, found {articles}"
    files = graph.objects(articles[0], CKG + "sourceFile")
    assert len(files) == 1, "the article needs exactly one ckg:sourceFile"
    text = article_text(files[0].value)
    assert text.strip(), "the source text is empty"
    return text


def statements(graph: Graph) -> list[str]:
    found = graph.instances(STATEMENT)
    assert found, "no rdf:Statement in the graph"
    return found


def fact_triples(graph: Graph) -> list[tuple[str, str, str]]:
    """Every triple whose predicate is in the ckg: namespace and whose object is a resource."""
    described = set(graph.instances(STATEMENT))  # a statement's qualifiers are not facts
    facts = [
        (_key(t.subject), t.predicate.value, t.object.value)
        for t in graph.triples
        if t.predicate.value.startswith(CKG) and isinstance(t.object, ox.NamedNode)
        and _key(t.subject) not in described
    ]
    assert facts, "no ckg: object-property triples in the graph"
    return facts


def entities(graph: Graph) -> list[str]:
    """Everything typed with a class of the ckg: namespace but ckg:Sentence (the article's
    text, not a thing it is about)."""
    found = sorted({_key(t.subject) for t in graph.triples
                    if t.predicate.value == TYPE and isinstance(t.object, ox.NamedNode)
                    and t.object.value.startswith(CKG) and t.object.value != SENTENCE})
    assert found, "no entity typed with a ckg: class"
    return found


def one(values: list, what: str):
    assert len(values) == 1, f"expected exactly one {what}, found {len(values)}: {values}"
    return values[0]


# ------------------------------------------------------------------ the files exist and parse


def test_an_article_graph_ships() -> None:
    assert article_graphs(), "no *-article.ttl in chipkg.seed"
    assert H20 is not None, "h20-article.ttl does not ship"


def test_article_graph_parses_with_rdflib_too(article: Graph) -> None:
    parsed = rdflib.Graph().parse(article.path, format="turtle")
    assert len(parsed) > 0
    assert len(parsed) == len(article), "rdflib and pyoxigraph read a different number of triples"


# ------------------------------------------------------------------ 1. evidence is a whole sentence


def test_splitter_keeps_a_quoted_passage_in_one_sentence() -> None:
    assert split_sentences("一です。二「三。四」と言った。五") == ["一です。", "二「三。四」と言った。", "五"]
    assert split_sentences("題名だけ") == ["題名だけ"]
    assert split_sentences("「引用です」。次です。") == ["「引用です」。", "次です。"]
    assert split_sentences("") == []


def test_splitter_on_chens_sentence() -> None:
    assert H20 is not None
    paragraph = paragraphs_of(article_text("h20-article.ja.txt"))[9]
    sentences = split_sentences(paragraph)
    chen = [s for s in sentences if s.startswith("「大手モデル")]
    assert chen == [
        "「大手モデルおよびインフラ企業は今、間違いなくより多くのチップを購入するでしょう。"
        "それは彼らのモデルを次のレベルに引き上げるのに役立つだけです」とチェン氏は述べました。"
    ]
    assert len(sentences) == 3
    assert "".join(sentences) == paragraph


def test_sentences_rebuild_every_paragraph(article: Graph) -> None:
    paragraphs = paragraphs_of(source_text(article))
    assert len(paragraphs) > 1
    for paragraph in paragraphs:
        assert "".join(split_sentences(paragraph)) == paragraph


def test_every_evidence_is_one_whole_sentence_of_its_paragraph(article: Graph) -> None:
    paragraphs = paragraphs_of(source_text(article))
    problems = []
    checked = 0
    for st in statements(article):
        for evidence in article.objects(st, CKG + "evidence"):
            for paragraph in article.objects(st, CKG + "paragraph"):
                checked += 1
                n = int(paragraph.value)
                if not 0 <= n < len(paragraphs):
                    problems.append(f"{_short(st)}: no paragraph {n}")
                elif evidence.value not in split_sentences(paragraphs[n]):
                    where = [i for i, p in enumerate(paragraphs) if evidence.value in split_sentences(p)]
                    problems.append(f"{_short(st)}: not a sentence of paragraph {n} (found in {where})")
    assert checked > 0
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 2. quotes are verbatim


def test_every_quote_text_is_in_the_article(article: Graph) -> None:
    text = source_text(article)
    quotes = article.instances(QUOTE)
    assert quotes, "no ckg:Quote"
    problems = []
    for quote in quotes:
        for value in article.objects(quote, CKG + "text"):
            if not value.value or value.value not in text:
                problems.append(f"{_short(quote)}: {value.value!r} is not in the article")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 3. every fact is reified, and vice versa


def test_every_fact_has_a_statement(article: Graph) -> None:
    reified = set()
    for st in statements(article):
        s = one(article.objects(st, RDF + "subject"), "rdf:subject")
        p = one(article.objects(st, RDF + "predicate"), "rdf:predicate")
        o = one(article.objects(st, RDF + "object"), "rdf:object")
        reified.add((_key(s), _key(p), _key(o)))
    missing = [f"{_short(s)} {_short(p)} {_short(o)}" for s, p, o in fact_triples(article) if (s, p, o) not in reified]
    assert not missing, "facts without an rdf:Statement:\n" + "\n".join(missing)


def test_every_statement_is_asserted(article: Graph) -> None:
    problems = []
    for st in statements(article):
        s = _key(one(article.objects(st, RDF + "subject"), "rdf:subject"))
        p = _key(one(article.objects(st, RDF + "predicate"), "rdf:predicate"))
        o = _key(one(article.objects(st, RDF + "object"), "rdf:object"))
        if not article.has(s, p, o):
            problems.append(f"{_short(st)}: {_short(s)} {_short(p)} {_short(o)} is not asserted")
    assert not problems, "\n".join(problems)


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)


def test_statement_iris_follow_the_naming_rule(article: Graph) -> None:
    problems = []
    for st in statements(article):
        s = _key(one(article.objects(st, RDF + "subject"), "rdf:subject"))
        p = _key(one(article.objects(st, RDF + "predicate"), "rdf:predicate"))
        o = _key(one(article.objects(st, RDF + "object"), "rdf:object"))
        stem = f"{CKR}{s[len(CKR):]}-{_kebab(p[len(CKG):])}-{o[len(CKR):]}"
        if not re.fullmatch(re.escape(stem) + r"(?:-[2-9]|-[1-9][0-9]+)?", st):
            problems.append(f"{_short(st)} should be {_short(stem)}[-N]")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 4. statements carry their provenance


def test_every_statement_has_evidence_paragraph_and_source(article: Graph) -> None:
    article_iris = set(article.instances(ARTICLE))
    assert article_iris, "no ckg:Article"
    problems = []
    for st in statements(article):
        # Several sentences when no one sentence supports the fact alone (all of one paragraph).
        evidence = article.objects(st, CKG + "evidence")
        if not evidence or not all(isinstance(e, ox.Literal) and e.language == "ja" for e in evidence):
            problems.append(f"{_short(st)}: needs one or more ckg:evidence in @ja, has {evidence}")
        paragraph = article.objects(st, CKG + "paragraph")
        if (len(paragraph) != 1 or not isinstance(paragraph[0], ox.Literal)
                or paragraph[0].datatype.value not in INTEGER_TYPES or int(paragraph[0].value) < 0):
            problems.append(f"{_short(st)}: needs exactly one non-negative integer ckg:paragraph, has {paragraph}")
        sources = article.objects(st, DERIVED_FROM)
        if len(sources) != 1 or _key(sources[0]) not in article_iris:
            problems.append(f"{_short(st)}: needs prov:wasDerivedFrom a ckg:Article, has {sources}")
        if article.types(st) != {STATEMENT}:
            problems.append(f"{_short(st)}: typed {article.types(st)}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 5. labels, blank nodes, slugs


def test_every_entity_has_one_label_per_language_and_one_class(article: Graph) -> None:
    problems = []
    for entity in entities(article):
        labels = article.objects(entity, LABEL)
        for lang in ("en", "ja"):
            found = [lab for lab in labels if isinstance(lab, ox.Literal) and lab.language == lang]
            if len(found) != 1:
                problems.append(f"{_short(entity)}: {len(found)} rdfs:label @{lang}")
        if len(labels) != 2:
            problems.append(f"{_short(entity)}: {len(labels)} rdfs:label in all")
        classes = [c for c in article.types(entity) if c.startswith(CKG)]
        if len(classes) != 1:
            problems.append(f"{_short(entity)}: {len(classes)} ckg: classes {classes}")
    assert not problems, "\n".join(problems)


def test_the_article_text_is_in_the_graph_as_ingest_writes_it(article: Graph) -> None:
    """The seed holds its article's text and sentences; they are exactly what ``add_article``
    (``chipkg ingest``) makes of the shipped text file, the source of record."""
    from chipkg.graph.articles import text_triples

    (iri,) = article.instances(ARTICLE)
    (lang,) = [v.value for v in article.objects(iri, DCTERMS + "language")]
    expected = {str(t) for t in text_triples(iri, source_text(article), lang)}
    stored = {str(t) for t in article.triples if t.predicate.value == CKG + "text" and t.subject.value == iri}
    stored |= {str(t) for t in article.triples
               if t.subject.value.startswith(iri + "#sentence-")}
    assert len(expected) > 100
    assert stored == expected, f"missing {sorted(expected - stored)[:2]}, extra {sorted(stored - expected)[:2]}"


def test_every_evidence_is_a_sentence_of_its_paragraph(article: Graph) -> None:
    sentences = {(t.object.value, p.value) for t in article.triples if t.predicate.value == CKG + "text"
                 and t.subject.value.split("#")[-1].startswith("sentence-")
                 for p in article.objects(t.subject.value, CKG + "paragraph")}
    evidence = [(t.object.value, p.value) for t in article.triples if t.predicate.value == CKG + "evidence"
                for p in article.objects(t.subject.value, CKG + "paragraph")]
    assert len(evidence) > 50
    assert [e for e in evidence if e not in sentences] == []


def test_no_blank_nodes(article: Graph) -> None:
    blank = [t for t in article.triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    assert not blank, f"{len(blank)} triples use a blank node, e.g. {blank[0]}"


def test_every_resource_slug_is_kebab_case(article: Graph) -> None:
    iris = {term.value for t in article.triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    resources = {iri for iri in iris if iri.startswith(CKR)}
    assert resources, "no ckr: resource"
    # A sentence is addressed inside its article: ckr:h20-article#sentence-3.
    bad = sorted(iri for iri in resources if not SLUG.fullmatch(re.sub(r"#sentence-\d+$", "", iri[len(CKR):])))
    assert not bad, "slugs not in kebab-case: " + ", ".join(bad)
    other_subjects = sorted({_key(t.subject) for t in article.triples} - resources)
    assert not other_subjects, "subjects outside ckr: " + ", ".join(map(str, other_subjects))


def test_every_ckg_term_is_defined_by_the_ontology(article: Graph, ontology: Graph) -> None:
    defined = {s for s in (_key(t.subject) for t in ontology.triples) if isinstance(s, str) and s.startswith(CKG)}
    assert defined
    used = {t.predicate.value for t in article.triples if t.predicate.value.startswith(CKG)}
    used |= {t.object.value for t in article.triples
             if t.predicate.value == TYPE and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(CKG)}
    assert used
    assert not used - defined, "terms the ontology does not define: " + ", ".join(sorted(used - defined))


def test_people_have_job_titles_in_both_languages(article: Graph) -> None:
    people = article.instances(PERSON)
    assert people, "no ckg:Person"
    problems = []
    for person in people:
        langs = sorted(t.language for t in article.objects(person, SCHEMA + "jobTitle") if isinstance(t, ox.Literal))
        if "en" not in langs or "ja" not in langs:
            problems.append(f"{_short(person)}: schema:jobTitle in {langs}")
    assert not problems, "\n".join(problems)


def test_the_article_resource(article: Graph) -> None:
    text = source_text(article)
    resource = one(article.instances(ARTICLE), "ckg:Article")
    title = one(article.objects(resource, DCTERMS + "title"), "dcterms:title")
    assert title.language == "ja"
    assert title.value == paragraphs_of(text)[0], "dcterms:title is not the title line of the text"
    ja = [lab.value for lab in article.objects(resource, LABEL) if lab.language == "ja"]
    assert ja == [title.value]
    assert [lang.value for lang in article.objects(resource, DCTERMS + "language")] == ["ja"]


# ------------------------------------------------------------------ 6. domain and range


def _superclass_closure(ontology: Graph) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = defaultdict(set)
    for t in ontology.triples:
        if t.predicate.value == RDFS + "subClassOf" and isinstance(t.object, ox.NamedNode):
            parents[_key(t.subject)].add(t.object.value)
    closure: dict[str, set[str]] = {}

    def up(cls: str) -> set[str]:
        if cls not in closure:
            closure[cls] = {cls}
            for parent in parents.get(cls, ()):
                closure[cls] |= up(parent)
        return closure[cls]

    for cls in list(parents):
        up(cls)
    return defaultdict(set, closure)


def _class_set(ontology: Graph, term) -> set[str]:
    """A named class, or the members of an owl:unionOf class expression."""
    if isinstance(term, ox.NamedNode):
        return {term.value}
    members: set[str] = set()
    for head in ontology.objects(term, OWL + "unionOf"):
        node = head
        while not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            members.add(one(ontology.objects(node, RDF + "first"), "rdf:first").value)
            node = one(ontology.objects(node, RDF + "rest"), "rdf:rest")
    assert members, f"cannot read the class expression {term}"
    return members


def _domains_and_ranges(ontology: Graph) -> dict[str, tuple[set[str] | None, set[str] | None]]:
    found = {}
    for prop in ontology.subjects(TYPE, OWL + "ObjectProperty"):
        domain = [_class_set(ontology, d) for d in ontology.objects(prop, RDFS + "domain")]
        range_ = [_class_set(ontology, r) for r in ontology.objects(prop, RDFS + "range")]
        found[prop] = (domain[0] if domain else None, range_[0] if range_ else None)
    return found


def test_ontology_gives_domains_and_ranges(ontology: Graph) -> None:
    props = _domains_and_ranges(ontology)
    assert props[CKG + "appliesTo"][1] == {CKG + "Organization", CKG + "Product"}
    assert props[CKG + "basedIn"][0] == {CKG + "Organization", CKG + "Event"}
    assert props[CKG + "about"][1] is None
    assert _superclass_closure(ontology)[CKG + "Chip"] == {CKG + "Chip", CKG + "Product", CKG + "Entity"}


def test_domain_and_range_are_respected(article: Graph, ontology: Graph) -> None:
    props = _domains_and_ranges(ontology)
    closure = _superclass_closure(ontology)

    def kinds(resource: str) -> set[str]:
        return set().union(*(closure[c] | {c} for c in article.types(resource))) if article.types(resource) else set()

    problems = []
    for s, p, o in fact_triples(article):
        if p not in props:
            problems.append(f"{_short(p)} is not an owl:ObjectProperty of the ontology")
            continue
        domain, range_ = props[p]
        if not article.types(s) or not article.types(o):
            problems.append(f"{_short(s)} {_short(p)} {_short(o)}: an end has no rdf:type")
        if domain is not None and not kinds(s) & domain:
            problems.append(f"{_short(s)} {_short(p)} {_short(o)}: subject is {article.types(s)}, domain {domain}")
        if range_ is not None and not kinds(o) & range_:
            problems.append(f"{_short(s)} {_short(p)} {_short(o)}: object is {article.types(o)}, range {range_}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 7. quotes


def test_every_quote_has_speaker_text_about_and_source(article: Graph) -> None:
    article_iris = set(article.instances(ARTICLE))
    quotes = article.instances(QUOTE)
    assert quotes, "no ckg:Quote"
    problems = []
    for quote in quotes:
        if not article.objects(quote, CKG + "speaker"):
            problems.append(f"{_short(quote)}: no ckg:speaker")
        if not article.objects(quote, CKG + "about"):
            problems.append(f"{_short(quote)}: no ckg:about")
        texts = article.objects(quote, CKG + "text")
        if len(texts) != 1 or not isinstance(texts[0], ox.Literal) or texts[0].language != "ja":
            problems.append(f"{_short(quote)}: needs exactly one ckg:text in @ja, has {texts}")
        sources = [_key(x) for x in article.objects(quote, DERIVED_FROM)]
        if not sources or not set(sources) <= article_iris:
            problems.append(f"{_short(quote)}: prov:wasDerivedFrom {sources}, not a ckg:Article")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ 8. facts the h20 article must hold

SPOT_FACTS = [
    ("cyberspace-administration-of-china", "summoned", "nvidia"),
    ("nvidia", "makes", "h20"),
    ("jensen-huang", "ceoOf", "nvidia"),
    ("huawei", "competesWith", "nvidia"),
    ("h20-sales-permission", "issuedBy", "trump-administration"),
    ("h20-sales-permission", "appliesTo", "nvidia"),
    ("h20-sales-permission", "appliesTo", "h20"),
    ("h20-sales-permission", "targets", "china"),
    ("h20-sales-permission", "departsFrom", "us-export-restrictions"),
    ("cyberspace-administration-of-china", "jurisdiction", "china"),
    ("lucy-xinyi-chen", "founderOf", "growingio"),
    ("william-xu", "memberOf", "shanghai-artificial-intelligence-industry-association"),
    ("paul-tsai-china-center", "partOf", "yale-law-school"),
    ("moonshot-ai", "basedIn", "beijing"),
    ("shanghai", "locatedIn", "china"),
    ("huawei", "exhibitedAt", "world-artificial-intelligence-conference"),
    # issue 11: facts the article states that the first reading missed
    ("openai", "basedIn", "united-states"),
    ("alibaba", "makes", "alibaba-open-source-ai-systems"),
    ("deepseek", "makes", "deepseek-open-source-ai-systems"),
    ("moonshot-ai", "makes", "moonshot-ai-new-models"),
    ("z-ai", "makes", "z-ai-new-models"),
    ("trump-administration", "partOf", "us-government"),
    ("quote-donald-trump-lead-global-race", "quotedFrom", "trump-ai-outline"),
]

# Facts no sentence of the article supports alone (issue 11): they must stay out.
ABSENT_FACTS = [
    ("americas-ai-action-plan", "issuedBy", "us-government"),  # "America's" plan: no issuer is named
    ("trump-ai-outline", "issuedBy", "trump-administration"),  # the President's outline, not the administration's
    ("li-qiang", "leaderOf", "chinese-government"),  # 中国の李強首相 names no government
    ("chinese-ministry-of-foreign-affairs", "partOf", "chinese-government"),  # paragraph 6 names no government
]


@pytest.fixture(scope="module")
def h20() -> Graph:
    assert H20 is not None, "h20-article.ttl does not ship"
    graph = Graph(H20)
    assert len(graph) > 0
    return graph


@pytest.mark.parametrize(("subject", "predicate", "obj"), SPOT_FACTS, ids=lambda x: x)
def test_spot_fact(h20: Graph, subject: str, predicate: str, obj: str) -> None:
    s, p, o = CKR + subject, CKG + predicate, CKR + obj
    assert h20.has(s, p, o), f"missing ckr:{subject} ckg:{predicate} ckr:{obj}"
    reified = [st for st in h20.subjects(RDF + "subject", s)
               if h20.has(st, RDF + "predicate", p) and h20.has(st, RDF + "object", o)]
    assert reified, f"ckr:{subject} ckg:{predicate} ckr:{obj} has no rdf:Statement"
    assert all(h20.objects(st, CKG + "evidence") for st in reified)


# ------------------------------------------------------------------ 9. the article's own words

# Classes whose instances the article names: their primary @ja label is the article's form.
NAMED_CLASSES = {CKG + "Person", CKG + "Organization", CKG + "Event", CKG + "Place"}


def _kinds(article: Graph, ontology: Graph, resource: str) -> set[str]:
    closure = _superclass_closure(ontology)
    return set().union(set(), *(closure[c] | {c} for c in article.types(resource)))


def _names(article: Graph, resource: str) -> set[str]:
    """Every label, alias and former name of ``resource``, in any language."""
    return {lit.value for p in (LABEL, ALT_LABEL, FORMER_NAME) for lit in article.objects(resource, p)
            if isinstance(lit, ox.Literal) and lit.value}


def _primary_ja(article: Graph, resource: str) -> str | None:
    found = [lab.value for lab in article.objects(resource, LABEL)
             if isinstance(lab, ox.Literal) and lab.language == "ja"]
    return found[0] if found else None


def test_named_entities_carry_the_articles_own_japanese_label(article: Graph, ontology: Graph) -> None:
    """The conference is never named in the Japanese text, Trump is トランプ大統領 there and the US
    government ワシントン: labels from the gloss or from outside are aliases, not labels."""
    text = source_text(article)
    named = [e for e in entities(article) if _kinds(article, ontology, e) & NAMED_CLASSES]
    assert len(named) > 20
    problems = [f"{_short(e)}: {_primary_ja(article, e)!r} does not occur in the article"
                for e in named if not _primary_ja(article, e) or _primary_ja(article, e) not in text]
    assert not problems, "\n".join(problems)


def _unnamed(article: Graph, ontology: Graph, resource: str, text: str) -> bool:
    """A node the article describes but never names: a quote, a policy, a concern, a product
    none of whose labels or aliases occurs in the text. People, organisations, events and
    places are always named (the test above)."""
    if _kinds(article, ontology, resource) & NAMED_CLASSES:
        return False
    return not any(name in text for name in _names(article, resource))


def test_every_statements_evidence_names_both_ends(article: Graph, ontology: Graph) -> None:
    """Evidence supports its fact alone: its sentences name the subject and the object (by label,
    alias or former name), unless an end is a node the article never names."""
    text = source_text(article)
    problems = []
    checked = 0
    for st in statements(article):
        evidence = "".join(e.value for e in article.objects(st, CKG + "evidence"))
        for part in ("subject", "object"):
            end = _key(one(article.objects(st, RDF + part), f"rdf:{part}"))
            if _unnamed(article, ontology, end, text):
                continue
            checked += 1
            if not any(name in evidence for name in _names(article, end)):
                problems.append(f"{_short(st)}: the evidence does not name its {part} {_short(end)}")
    assert checked > 50
    assert not problems, "\n".join(problems)


def test_unnamed_nodes_are_only_descriptions(article: Graph, ontology: Graph) -> None:
    """The exemption above is narrow: quotes and policies, and products or concerns described
    rather than named; every one of them has a label of its own."""
    text = source_text(article)
    unnamed = [e for e in entities(article) if _unnamed(article, ontology, e, text)]
    assert unnamed
    allowed = {QUOTE, CKG + "Policy", CKG + "Product", CKG + "Concern"}
    wrong = [f"{_short(e)}: {sorted(map(_short, _kinds(article, ontology, e)))}" for e in unnamed
             if not _kinds(article, ontology, e) & allowed]
    assert not wrong, "\n".join(wrong)


def test_former_names_are_also_aliases(article: Graph) -> None:
    """``ckg:formerName`` is a sub-property of ``skos:altLabel``; the seed states both, so a reader
    that knows only SKOS (search, Protégé) still finds Z.ai by Zhipu AI."""
    former = [(_key(t.subject), t.object) for t in article.triples if t.predicate.value == FORMER_NAME]
    if article.path == H20:
        assert (CKR + "z-ai", ox.Literal("Zhipu AI", language="en")) in former
    missing = [f"{_short(s)}: {o}" for s, o in former if o not in article.objects(s, ALT_LABEL)]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(("subject", "predicate", "obj"), ABSENT_FACTS, ids=lambda x: x)
def test_unsupported_fact_is_absent(h20: Graph, subject: str, predicate: str, obj: str) -> None:
    assert len(h20) > 0
    assert not h20.has(CKR + subject, CKG + predicate, CKR + obj)


# ------------------------------------------------------------------ 10. statement qualifiers

ATTRIBUTIONS = {"stated", "reported", "expected", "suggested", "believed"}


def _statement_of(graph: Graph, subject: str, predicate: str, obj: str) -> list[str]:
    return [st for st in graph.subjects(RDF + "subject", CKR + subject)
            if graph.has(st, RDF + "predicate", CKG + predicate) and graph.has(st, RDF + "object", CKR + obj)]


def test_every_seed_statement_says_how_the_article_attributes_it(h20: Graph) -> None:
    problems = []
    for st in statements(h20):
        found = [v.value for v in h20.objects(st, CKG + "attribution")]
        if len(found) != 1 or found[0] not in ATTRIBUTIONS:
            problems.append(f"{_short(st)}: ckg:attribution {found}")
    assert not problems, "\n".join(problems)


def test_hedged_facts_are_qualified(h20: Graph) -> None:
    """報じられています: the summons is reported; 中国外務省の要約によると: Li Qiang's words are relayed."""
    for fact in (("cyberspace-administration-of-china", "summoned", "nvidia"),
                 ("quote-li-qiang-share-development-experience", "speaker", "li-qiang")):
        (st,) = _statement_of(h20, *fact)
        assert [v.value for v in h20.objects(st, CKG + "attribution")] == ["reported"], fact
        assert any("報じられています" in e.value or "によると" in e.value for e in h20.objects(st, CKG + "evidence"))


def test_the_summons_concerns_the_h20_and_came_right_after_the_permission(h20: Graph) -> None:
    (st,) = _statement_of(h20, "cyberspace-administration-of-china", "summoned", "nvidia")
    assert sorted(_key(o) for o in h20.objects(st, CKG + "concerning")) == [CKR + "h20", CKR + "h20-security-concerns"]
    assert [_key(o) for o in h20.objects(st, CKG + "shortlyAfter")] == [CKR + "h20-sales-permission"]
    (evidence,) = h20.objects(st, CKG + "evidence")
    assert "販売が許可された直後" in evidence.value
    concern = CKR + "h20-security-concerns"
    assert h20.types(concern) == {CKG + "Concern"}
    assert all(name.value in evidence.value for name in h20.objects(concern, ALT_LABEL) if name.language == "ja")
