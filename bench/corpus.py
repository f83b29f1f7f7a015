"""A synthetic corpus in the shape of the seed article, at 10k, 100k or 1M triples.

    python -m bench.corpus --size 100k --out data/bench-100k --seed 7
    python bench/corpus.py --check data/bench-100k      # evidence and provenance checks

It writes ``corpus.ttl`` and ``corpus.nt`` (the same triples), one Japanese text file per
generated article under ``articles/`` (named by each article's ``ckg:sourceFile``), and
``manifest.json`` with the counts. Same seed, same size: the same bytes.

The data has the seed's shape: companies, chips and products, regulators, policies,
people, places, events, quotes and articles, every entity labelled in ``@en`` and ``@ja``
(some with ``skos:altLabel``), and every object-property fact described by a reified
``rdf:Statement`` whose ``ckg:evidence`` is a whole sentence of the generated article,
with ``ckg:paragraph`` and ``prov:wasDerivedFrom`` the ``ckg:Article``. Fact endpoints are
drawn from Zipf weights, so degrees follow a power law: a few hubs, a long tail. Facts
that recur in later articles get a second statement, as in the seed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # `python bench/corpus.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox

from bench import names
from chipkg.graph.articles import text_triples

CKG = "https://w3id.org/chipkg/ontology#"
CKR = "https://w3id.org/chipkg/resource/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIXES = {
    "ckg": CKG, "ckr": CKR, "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#",
    "rdf": RDF, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}
SEED = Path(__file__).resolve().parent.parent / "seed"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
ZIPF_EXPONENT = 1.0  # endpoint weights 1/rank^s: a few hubs, a long tail
SECOND_MENTION = 0.06  # share of facts an article re-states from an earlier one

# Share of the entity budget per class (countries are few, and so hubs by construction).
CLASS_SHARES = {"Company": 0.22, "Chip": 0.12, "Product": 0.06, "Regulator": 0.04, "Organization": 0.06,
                "Policy": 0.10, "Person": 0.24, "City": 0.05, "Event": 0.03}

# Facts beyond each entity's structural ones: (predicate, subject classes, object classes, weight).
RANDOM_FACTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], int], ...] = (
    ("competesWith", ("Company",), ("Company",), 14),
    ("makes", ("Company",), ("Chip", "Product"), 8),
    ("appliesTo", ("Policy",), ("Company", "Chip", "Product", "Organization"), 10),
    ("summoned", ("Regulator",), ("Company",), 6),
    ("exhibitedAt", ("Company", "Organization"), ("Event",), 8),
    ("spokeAt", ("Person",), ("Event",), 6),
    ("memberOf", ("Person",), ("Organization", "Regulator"), 6),
    ("targets", ("Policy",), ("Country",), 3),
    ("departsFrom", ("Policy",), ("Policy",), 3),
    ("partOf", ("Organization",), ("Organization", "Regulator"), 2),
    ("founderOf", ("Person",), ("Company", "Organization"), 3),
    ("basedIn", ("Company", "Organization"), ("City",), 4),
)
QUOTES_PER_PARAGRAPH = 0.25


@dataclass
class Entity:
    slug: str
    cls: str
    en: str
    ja: str
    comment: str
    alts: list[tuple[str, str]] = field(default_factory=list)
    job: tuple[str, str] | None = None
    parent: Entity | None = None  # a regulator's country, a policy's issuer, an event's city


@dataclass
class Corpus:
    """Triples as ``(subject slug, predicate, object)``; objects are ``("iri", value)`` or
    ``("lit", text, lang-or-datatype)``."""

    triples: list[tuple[str, str, tuple]] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)  # source file name -> text
    counts: dict[str, int] = field(default_factory=dict)


def seed_slugs() -> set[str]:
    """Every ``ckr:`` slug the shipped articles use, so generated names never reuse one."""
    return {m for path in sorted(SEED.glob("*.ttl")) for m in re.findall(r"ckr:([a-z0-9-]+)", path.read_text("utf-8"))}


class Generator:
    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.slugs: dict[str, int] = {}  # base -> last suffix tried
        self.taken: set[str] = seed_slugs()  # never describe a seed resource (ckr:china)
        self.by_class: dict[str, list[Entity]] = {}
        self.cum_weights: dict[str, list[float]] = {}
        self.facts: dict[tuple[str, str, str], int] = {}  # fact -> statements so far
        self.corpus = Corpus()
        self.quote_count = 0

    # ---------------------------------------------------------------- minting

    def mint(self, text: str) -> str:
        """A new kebab-case slug for ``text``: ``nvidia``, then ``nvidia-2`` (never one already minted)."""
        base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
        n = self.slugs.get(base, 1)
        slug = base
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.slugs[base] = n
        self.taken.add(slug)
        return slug

    def add(self, slug: str, predicate: str, obj: tuple) -> None:
        self.corpus.triples.append((slug, predicate, obj))

    def entity(self, cls: str, en: str, ja: str, comment: str, **extra: object) -> Entity:
        e = Entity(self.mint(en), cls, en, ja, comment, **extra)  # type: ignore[arg-type]
        self.by_class.setdefault(cls, []).append(e)
        self.add(e.slug, "rdf:type", ("iri", CKG + cls))
        self.add(e.slug, "rdfs:label", ("lit", en, "@en"))
        self.add(e.slug, "rdfs:label", ("lit", ja, "@ja"))
        self.add(e.slug, "rdfs:comment", ("lit", comment, "@en"))
        for text, lang in e.alts:
            self.add(e.slug, "skos:altLabel", ("lit", text, lang))
        if e.job is not None:
            self.add(e.slug, "schema:jobTitle", ("lit", e.job[0], "@en"))
            self.add(e.slug, "schema:jobTitle", ("lit", e.job[1], "@ja"))
        return e

    # ---------------------------------------------------------------- entities

    def entities(self) -> None:
        rng = self.rng
        budget = max(120, self.size // 28)
        count = {cls: max(3, int(budget * share)) for cls, share in CLASS_SHARES.items()}
        for _ in range(max(8, min(150, budget // 200))):
            en, ja = names.name(rng, 3, 4)
            self.entity("Country", en, ja, f"A country of the synthetic corpus (seed {self.seed}).")
        for _ in range(count["City"]):
            en, ja = names.name(rng)
            self.entity("City", en, ja, "A city of the synthetic corpus.")
        countries = self.by_class["Country"]
        for _ in range(count["Regulator"]):
            country = countries[rng.randrange(len(countries))]
            kind_en, kind_ja = rng.choice(names.REGULATOR_KINDS)
            alts = [("".join(w[0] for w in f"{country.en} {kind_en}".split() if w[0].isupper()), "@en")] \
                if rng.random() < 0.3 else []
            self.entity("Regulator", f"{country.en} {kind_en}", f"{country.ja}{kind_ja}",
                        "A regulator of the synthetic corpus.", alts=alts, parent=country)
        for _ in range(count["Company"]):
            (en, ja), (suffix_en, suffix_ja) = names.name(rng), rng.choice(names.COMPANY_SUFFIXES)
            alts = []
            if rng.random() < 0.15:
                alts.append((en.upper(), "@en"))
            if rng.random() < 0.15:
                alts.append((ja, "@ja"))
            self.entity("Company", f"{en} {suffix_en}", f"{ja}・{suffix_ja}", "A company of the synthetic corpus.",
                        alts=alts)
        for _ in range(count["Organization"]):
            (en, ja), (kind_en, kind_ja) = names.name(rng), rng.choice(names.ORGANIZATION_KINDS)
            self.entity("Organization", f"{en} {kind_en}", f"{ja}{kind_ja}", "An organization of the synthetic corpus.")
        for _ in range(count["Chip"]):
            chip = names.chip_name(rng)
            self.entity("Chip", chip, chip, "A chip of the synthetic corpus.",
                        alts=[(f"{chip}チップ", "@ja")] if rng.random() < 0.2 else [])
        for _ in range(count["Product"]):
            (en, ja), (kind_en, kind_ja) = names.name(rng), rng.choice(names.PRODUCT_KINDS)
            self.entity("Product", f"{en} {kind_en}", f"{ja}{kind_ja}", "A product of the synthetic corpus.")
        regulators = self.by_class["Regulator"]
        for _ in range(count["Policy"]):
            regulator = regulators[rng.randrange(len(regulators))]
            (kind_en, kind_ja), year = rng.choice(names.POLICY_KINDS), rng.randint(2015, 2026)
            self.entity("Policy", f"{regulator.en} {kind_en} {year}", f"{regulator.ja}の{kind_ja}({year}年)",
                        "A policy of the synthetic corpus.", parent=regulator)
        for _ in range(count["Person"]):
            en, ja = names.person_name(rng)
            self.entity("Person", en, ja, "A person of the synthetic corpus.", job=rng.choice(names.JOB_TITLES),
                        alts=[(en.split()[-1], "@en")] if rng.random() < 0.1 else [])
        cities = self.by_class["City"]
        for _ in range(count["Event"]):
            city, (kind_en, kind_ja) = cities[rng.randrange(len(cities))], rng.choice(names.EVENT_KINDS)
            year = rng.randint(2018, 2026)
            self.entity("Event", f"{city.en} {kind_en} {year}", f"{city.ja}{kind_ja}{year}",
                        "An event of the synthetic corpus.", parent=city)
        for cls, members in self.by_class.items():
            self.cum_weights[cls] = list(itertools.accumulate(1.0 / (rank + 1) ** ZIPF_EXPONENT
                                                              for rank in range(len(members))))

    def pick(self, classes: tuple[str, ...]) -> Entity:
        """An entity of one of ``classes``, hubs far more often than the tail."""
        cls = classes[0] if len(classes) == 1 else self.rng.choice(classes)
        return self.rng.choices(self.by_class[cls], cum_weights=self.cum_weights[cls])[0]

    # ---------------------------------------------------------------- facts

    def structural_facts(self) -> list[tuple[Entity, str, Entity]]:
        """The facts that give each entity its place: a city's country, a policy's issuer …"""
        rng, facts = self.rng, []
        for city in self.by_class["City"]:
            facts.append((city, "locatedIn", self.pick(("Country",))))
        for regulator in self.by_class["Regulator"]:
            facts.append((regulator, "jurisdiction", regulator.parent))
        for policy in self.by_class["Policy"]:
            facts.append((policy, "issuedBy", policy.parent))
        for company in self.by_class["Company"]:
            if rng.random() < 0.7:
                facts.append((company, "basedIn", self.pick(("City", "Country"))))
        for event in self.by_class["Event"]:
            facts.append((event, "basedIn", event.parent))
        for product in self.by_class["Chip"] + self.by_class["Product"]:
            if rng.random() < 0.9:
                facts.append((self.pick(("Company",)), "makes", product))
        roles = (("ceoOf", ("Company",)), ("founderOf", ("Company", "Organization")),
                 ("memberOf", ("Organization", "Regulator")), ("leaderOf", ("Regulator", "Organization")))
        for person in self.by_class["Person"]:
            if rng.random() < 0.9:
                predicate, classes = rng.choice(roles)
                facts.append((person, predicate, self.pick(classes)))
        for org in self.by_class["Organization"]:
            if rng.random() < 0.6:
                facts.append((org, "basedIn", self.pick(("City",))))
            if rng.random() < 0.3:
                facts.append((org, "partOf", self.pick(("Organization", "Regulator"))))
        rng.shuffle(facts)
        return [f for f in facts if f[0] is not f[2]]

    def random_fact(self) -> tuple[Entity, str, Entity]:
        weights = [w for *_, w in RANDOM_FACTS]
        while True:
            predicate, subjects, objects, _ = self.rng.choices(RANDOM_FACTS, weights=weights)[0]
            s, o = self.pick(subjects), self.pick(objects)
            if s is not o:
                return s, predicate, o

    def fact_stream(self):
        """Structural facts first, then random ones; sometimes a fact stated before."""
        yield from self.structural_facts()
        stated: list[tuple[Entity, str, Entity]] = []
        while True:
            if stated and self.rng.random() < SECOND_MENTION:
                yield stated[self.rng.randrange(len(stated))]
            else:
                fact = self.random_fact()
                stated.append(fact)
                yield fact

    def state(self, fact: tuple[Entity, str, Entity], sentence: str, paragraph: int, article: str) -> None:
        """Assert the fact (once) and describe it with one more reified statement."""
        s, p, o = fact
        key = (s.slug, p, o.slug)
        n = self.facts.get(key, 0) + 1
        self.facts[key] = n
        if n == 1:
            self.add(s.slug, "ckg:" + p, ("iri", CKR + o.slug))
        kebab = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), p)
        statement = self.mint(f"{s.slug}-{kebab}-{o.slug}")
        self.add(statement, "rdf:type", ("iri", RDF + "Statement"))
        self.add(statement, "rdf:subject", ("iri", CKR + s.slug))
        self.add(statement, "rdf:predicate", ("iri", CKG + p))
        self.add(statement, "rdf:object", ("iri", CKR + o.slug))
        self.add(statement, "ckg:evidence", ("lit", sentence, "@ja"))
        self.add(statement, "ckg:paragraph", ("lit", str(paragraph), "^^xsd:integer"))
        self.add(statement, "prov:wasDerivedFrom", ("iri", CKR + article))

    # ---------------------------------------------------------------- articles

    def quote(self, article: str, paragraph: int) -> str:
        """A quote entity and the sentence that reports it; its facts cite that sentence."""
        rng = self.rng
        speaker = self.pick(("Person",))
        topic = rng.randrange(len(names.QUOTE_TOPICS))
        about = [self.pick((rng.choice(("Company", "Country", "Policy", "Chip")),)) for _ in range(rng.randint(1, 2))]
        about = list({e.slug: e for e in about}.values())
        reporter = self.pick(("Organization", "Regulator")) if rng.random() < 0.2 else None
        text = names.QUOTE_PHRASES[topic]
        if rng.random() < 0.5:
            text += "。" + rng.choice(names.QUOTE_PHRASES)
        topic_en, topic_ja = names.QUOTE_TOPICS[topic]
        quote = self.entity("Quote", f"{speaker.en}: {topic_en}", f"{speaker.ja}：{topic_ja}",
                            f"{speaker.en} on {topic_en}, reported in {article}.")
        self.add(quote.slug, "ckg:text", ("lit", text, "@ja"))
        self.add(quote.slug, "prov:wasDerivedFrom", ("iri", CKR + article))
        prefix = f"{reporter.ja}の発表によると、" if reporter else ""
        sentence = f"{prefix}{'と'.join(e.ja for e in about)}について、{speaker.ja}は「{text}」と述べました。"
        self.state((quote, "speaker", speaker), sentence, paragraph, article)
        for e in about:
            self.state((quote, "about", e), sentence, paragraph, article)
        if reporter:
            self.state((quote, "reportedBy", reporter), sentence, paragraph, article)
        return sentence

    def sentence(self, facts: list[tuple[Entity, str, Entity]]) -> str:
        clauses = [self.rng.choice(names.TEMPLATES[p]).format(s=s.ja, o=o.ja) for s, p, o in facts]
        return "一方、".join(c.removesuffix("。") for c in clauses) + "。"

    def article(self, number: int, stream) -> None:
        rng = self.rng
        slug = f"synthetic-article-{number:06d}"
        source = f"{slug}.ja.txt"
        paragraphs: list[str] = []
        mentioned: list[Entity] = []
        for paragraph in range(1, rng.randint(3, 7) + 1):
            sentences = []
            for _ in range(rng.randint(2, 4)):
                facts = [next(stream) for _ in range(1 if rng.random() < 0.7 else 2)]
                text = self.sentence(facts)
                for fact in facts:
                    self.state(fact, text, paragraph, slug)
                    mentioned += [fact[0], fact[2]]
                sentences.append(text)
            if rng.random() < QUOTES_PER_PARAGRAPH:
                sentences.insert(rng.randrange(len(sentences) + 1), self.quote(slug, paragraph))
            paragraphs.append("".join(sentences))
        a, b = mentioned[0], mentioned[-1]
        title = rng.choice(names.HEADLINES).format(a=a.ja, b=b.ja)
        self.add(slug, "rdf:type", ("iri", CKG + "Article"))
        self.add(slug, "rdfs:label", ("lit", f"Synthetic article {number}: {a.en} and {b.en}", "@en"))
        self.add(slug, "rdfs:label", ("lit", title, "@ja"))
        self.add(slug, "rdfs:comment",
                 ("lit", f"A generated news article (seed {self.seed}) for chipkg benchmarks.", "@en"))
        self.add(slug, "dcterms:title", ("lit", title, "@ja"))
        self.add(slug, "dcterms:language", ("lit", "ja", ""))
        self.add(slug, "ckg:sourceFile", ("lit", source, ""))
        text = "\n".join([title, *paragraphs]) + "\n"
        self.corpus.articles[source] = text
        # The text is data, as `chipkg ingest` writes it: what evidence is checked against.
        for t in text_triples(CKR + slug, text, "ja"):
            o = ("iri", t.object.value) if isinstance(t.object, ox.NamedNode) else (
                "lit", t.object.value, f"@{t.object.language}" if t.object.language
                else f"^^{_compact(t.object.datatype.value)}")
            self.add(t.subject.value[len(CKR):], _compact(t.predicate.value), o)

    def generate(self) -> Corpus:
        self.entities()
        stream = self.fact_stream()
        number = 0
        while len(self.corpus.triples) < self.size:
            number += 1
            self.article(number, stream)
        self.corpus.counts = {
            "triples": len(self.corpus.triples), "articles": number, "facts": len(self.facts),
            "statements": sum(self.facts.values()), "size": self.size, "seed": self.seed,
            **{f"class:{cls}": len(v) for cls, v in sorted(self.by_class.items())},
        }
        return self.corpus


# -------------------------------------------------------------------- writing


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    raise ValueError(f"no prefix for {iri}")


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def _literal(obj: tuple, turtle: bool) -> str:
    _, text, tag = obj
    if tag.startswith("^^"):
        if turtle and tag == "^^xsd:integer":
            return text
        return f'"{_escape(text)}"^^<{_expand(tag[2:])}>'
    return f'"{_escape(text)}"{tag}'


def to_ntriples(corpus: Corpus) -> str:
    lines = []
    for slug, predicate, obj in corpus.triples:
        o = f"<{obj[1]}>" if obj[0] == "iri" else _literal(obj, turtle=False)
        lines.append(f"<{CKR}{slug}> <{_expand(predicate)}> {o} .\n")
    return "".join(lines)


def _short(iri: str) -> str:
    for prefix, ns in (("ckr", CKR), ("ckg", CKG), ("rdf", RDF)):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def to_turtle(corpus: Corpus) -> str:
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
    out.append("\n# A synthetic chipkg corpus (bench/corpus.py): "
               f"{corpus.counts['triples']} triples, seed {corpus.counts['seed']}.\n")
    current = None
    for slug, predicate, obj in corpus.triples:
        o = _short(obj[1]) if obj[0] == "iri" else _literal(obj, turtle=True)
        p = "a" if predicate == "rdf:type" else predicate
        if slug != current:
            if current is not None:
                out.append(" .\n")
            out.append(f"\n<{CKR}{slug}> {p} {o}" if "#" in slug else f"\nckr:{slug} {p} {o}")
            current = slug
        else:
            out.append(f" ;\n    {p} {o}")
    out.append(" .\n")
    return "".join(out)


def parse_size(text: str) -> int:
    if text in SIZES:
        return SIZES[text]
    match = re.fullmatch(r"(\d+)([kKmM]?)", text)
    if not match:
        raise ValueError(f"size must be 10k, 100k, 1M or a number like 250k, not {text!r}")
    return int(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]


def write(size: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Generate and write the corpus into ``out``; returns the manifest."""
    corpus = Generator(size, seed).generate()
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "corpus.nt").write_text(to_ntriples(corpus), encoding="utf-8")
    (out / "corpus.ttl").write_text(to_turtle(corpus), encoding="utf-8")
    for source, text in corpus.articles.items():
        (out / "articles" / source).write_text(text, encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(corpus.counts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return corpus.counts


# -------------------------------------------------------------------- checking


def check(out: Path) -> list[str]:
    """What SHACL cannot see: each statement's evidence is a sentence of its article's text,
    its paragraph is the line it is on, and both files hold the same triples."""
    import pyoxigraph as ox

    problems = []
    nt = {q.triple for q in ox.parse(path=str(out / "corpus.nt"), format=ox.RdfFormat.N_TRIPLES)}
    ttl = {q.triple for q in ox.parse(path=str(out / "corpus.ttl"), format=ox.RdfFormat.TURTLE)}
    if nt != ttl:
        problems.append(f"corpus.nt and corpus.ttl differ ({len(nt ^ ttl)} triples)")
    values: dict[str, dict[str, list]] = {}
    for t in nt:
        values.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
    source_of = {s: v[CKG + "sourceFile"][0].value for s, v in values.items() if CKG + "sourceFile" in v}
    texts: dict[str, list[str]] = {}
    for subject, v in values.items():
        if ox.NamedNode(RDF + "Statement") not in v.get(RDF + "type", ()):
            continue
        (article,), (paragraph,) = v["http://www.w3.org/ns/prov#wasDerivedFrom"], v[CKG + "paragraph"]
        source = source_of.get(article.value)
        if source is None:
            problems.append(f"{subject}: its article {article.value} has no ckg:sourceFile")
            continue
        if source not in texts:
            texts[source] = (out / "articles" / source).read_text(encoding="utf-8").split("\n")
        line = texts[source][int(paragraph.value)]
        for evidence in v[CKG + "evidence"]:
            if evidence.value not in line:
                problems.append(f"{subject}: evidence is not in paragraph {paragraph.value} of {source}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="10k, 100k, 1M or a number (approximate triples)")
    parser.add_argument("--out", type=Path, help="directory to write into (default data/bench-SIZE)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", type=Path, metavar="DIR", help="check a written corpus instead of generating")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.check)
        for problem in problems[:20]:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problems in {args.check}" if problems else f"ok: {args.check}")
        return 1 if problems else 0
    out = args.out or Path("data") / f"bench-{args.size}"
    started = time.perf_counter()
    counts = write(parse_size(args.size), out, args.seed)
    print(f"wrote {counts['triples']} triples ({counts['facts']} facts, {counts['statements']} statements, "
          f"{counts['articles']} articles) to {out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
