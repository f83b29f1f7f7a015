"""Write latency: ``KnowledgeGraph.add_fact`` on a leaf and on the largest hub of a loaded
store, beside a raw pyoxigraph ``Store.update`` (``INSERT DATA``) of the same number of
triples into the same store, in the same run.

Every fact is new and valid: a predicate the hub already has, with partners that already
play the other role of that predicate elsewhere (so domain and range hold), and a
statement with evidence from an article of the corpus. The anchor inserts the same
triples with the statement and the fact renamed, so it writes as much as chipkg does and
nothing it writes already exists.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import pyoxigraph as ox

from bench.queries import object_properties

CKR = "https://w3id.org/chipkg/resource/"
ARTICLE = "https://w3id.org/chipkg/ontology#Article"
LEAF_DEGREE = 3  # a leaf has at most this many facts


@dataclass(frozen=True)
class Plan:
    """Facts to add: (subject, predicate, object) slugs and predicate local names."""

    name: str
    degree: int
    facts: list[tuple[str, str, str]]


def _rows(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    return list(store.query(sparql))  # type: ignore[arg-type]


def _values() -> str:
    return " ".join(f"<{p}>" for p in object_properties())


def hub(store: ox.Store) -> tuple[str, int]:
    """The entity with the most facts (either direction) and how many it has."""
    rows = _rows(store, f"""SELECT ?n (COUNT(*) AS ?d) WHERE {{ VALUES ?p {{ {_values()} }}
                             {{ ?n ?p ?x FILTER(isIRI(?x)) }} UNION {{ ?x ?p ?n }} }}
                           GROUP BY ?n ORDER BY DESC(?d) LIMIT 1""")
    return rows[0]["n"].value, int(rows[0]["d"].value)


def _degree(store: ox.Store, nodes: list[str]) -> dict[str, int]:
    values = " ".join(f"<{n}>" for n in nodes)
    rows = _rows(store, f"""SELECT ?n (COUNT(?x) AS ?d) WHERE {{ VALUES ?n {{ {values} }} VALUES ?p {{ {_values()} }}
                             OPTIONAL {{ {{ ?n ?p ?x FILTER(isIRI(?x)) }} UNION {{ ?x ?p ?n }} }} }} GROUP BY ?n""")
    return {r["n"].value: int(r["d"].value) for r in rows}


def plan_hub(store: ox.Store, count: int, rng: random.Random) -> Plan:
    """New facts on the hub: its most common predicate, in the direction it has it."""
    center, degree = hub(store)
    rows = _rows(store, f"""SELECT ?p ?out (COUNT(*) AS ?c) WHERE {{ VALUES ?p {{ {_values()} }}
                             {{ <{center}> ?p ?x FILTER(isIRI(?x)) BIND(true AS ?out) }}
                             UNION {{ ?x ?p <{center}> BIND(false AS ?out) }} }}
                           GROUP BY ?p ?out ORDER BY DESC(?c) LIMIT 1""")
    predicate, outgoing = rows[0]["p"].value, rows[0]["out"].value == "true"
    # Partners: nodes that play the other role of the predicate, not yet linked to the hub.
    role = "?o" if outgoing else "?s"
    linked = f"<{center}> <{predicate}> ?m" if outgoing else f"?m <{predicate}> <{center}>"
    partners = [r["m"].value for r in _rows(store, f"""SELECT DISTINCT ?m WHERE {{ ?s <{predicate}> ?o
                  BIND({role} AS ?m) FILTER(isIRI(?m) && ?m != <{center}>) ?m a ?c FILTER NOT EXISTS {{ {linked} }} }}
                  LIMIT {count * 20}""")]
    chosen = rng.sample(partners, min(count, len(partners)))
    local = predicate.rsplit("#", 1)[-1]
    facts = [(_slug(center), local, _slug(m)) if outgoing else (_slug(m), local, _slug(center)) for m in chosen]
    return Plan(f"hub ({_slug(center)}, {degree:,} facts, {local} {'out' if outgoing else 'in'})", degree, facts)


def plan_leaf(store: ox.Store, count: int, rng: random.Random) -> Plan:
    """New facts between leaves: pairs of low-degree nodes that already play each role of
    a predicate elsewhere."""
    predicate = "https://w3id.org/chipkg/ontology#competesWith"
    pool = [r["s"].value
            for r in _rows(store, f"SELECT DISTINCT ?s WHERE {{ ?s <{predicate}> ?o ; a ?c }} LIMIT 5000")]
    pool += [r["o"].value
             for r in _rows(store, f"SELECT DISTINCT ?o WHERE {{ ?s <{predicate}> ?o . ?o a ?c }} LIMIT 5000")]
    pool = sorted(set(pool))
    degrees = _degree(store, rng.sample(pool, min(len(pool), count * 8)))
    leaves = [n for n, d in degrees.items() if d <= LEAF_DEGREE]
    rng.shuffle(leaves)
    pairs = list(zip(leaves[0::2], leaves[1::2], strict=False))[:count]  # an odd one out is left
    return Plan(f"leaf (at most {LEAF_DEGREE} facts each side)", LEAF_DEGREE,
                [(_slug(a), "competesWith", _slug(b)) for a, b in pairs])


@dataclass(frozen=True)
class Source:
    """A sentence a bench write cites: add_fact's evidence must be one of its article's
    sentences, in its paragraph."""

    article: str
    sentence: str
    lang: str
    paragraph: int


def articles(store: ox.Store, count: int) -> list[Source]:
    """Sentences of up to ``count`` articles, one each."""
    ckg = "https://w3id.org/chipkg/ontology#"
    rows = _rows(store, f"""SELECT ?a (SAMPLE(?s) AS ?one) WHERE {{
                              ?s <http://purl.org/dc/terms/isPartOf> ?a ; <{ckg}paragraph> ?p }}
                            GROUP BY ?a ORDER BY ?a LIMIT {count}""")
    found = []
    for row in rows:
        sentence = row["one"]
        (text,) = [t.object for t in store.quads_for_pattern(sentence, ox.NamedNode(ckg + "text"), None)]
        (paragraph,) = [t.object for t in store.quads_for_pattern(sentence, ox.NamedNode(ckg + "paragraph"), None)]
        found.append(Source(row["a"].value, text.value, text.language or "", int(paragraph.value)))
    return found


def _slug(iri: str) -> str:
    return iri.removeprefix(CKR)


def run(kg: object, plan: Plan, sources: list[Source]) -> tuple[list[float], list[float]]:
    """Milliseconds per ``add_fact`` and per raw ``INSERT DATA`` of the same triples."""
    store: ox.Store = kg.store._store  # type: ignore[attr-defined]  # the same pyoxigraph store
    chipkg, anchor = [], []
    for i, (s, p, o) in enumerate(plan.facts):
        source = sources[i % len(sources)]
        started = time.perf_counter()
        kg.add_fact(s, p, o, evidence=source.sentence, source_id=_slug(source.article),  # type: ignore[attr-defined]
                    paragraph=source.paragraph, lang=source.lang)
        chipkg.append((time.perf_counter() - started) * 1000)
        written = _written(store, s, p, o)
        if len(written) < 2:
            raise RuntimeError(f"add_fact {s} {p} {o} did not write a fact with its statement")
        data = " ".join(f"{_renamed(t.subject)} {t.predicate} {_renamed(t.object)} ." for t in written)
        started = time.perf_counter()
        store.update(f"INSERT DATA {{ {data} }}")
        anchor.append((time.perf_counter() - started) * 1000)
    return chipkg, anchor


def _written(store: ox.Store, s: str, p: str, o: str) -> list[ox.Triple]:
    """The fact and the statement triples ``add_fact`` just wrote."""
    fact = ox.Triple(ox.NamedNode(CKR + s), ox.NamedNode(f"https://w3id.org/chipkg/ontology#{p}"),
                     ox.NamedNode(CKR + o))
    rows = _rows(store, f"""SELECT ?st WHERE {{
                              ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> {fact.subject} ;
                              <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> {fact.predicate} ;
                              <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> {fact.object} }}""")
    triples = [fact]
    for row in rows:
        triples += [q.triple for q in store.quads_for_pattern(row["st"], None, None, ox.DefaultGraph())]
    return triples


def _renamed(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode) and term.value.startswith(CKR):
        return f"<{term.value}-raw>"
    return str(term)


__all__ = ["Plan", "articles", "hub", "plan_hub", "plan_leaf", "run"]
