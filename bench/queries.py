"""The queries the benchmark sends: chipkg GraphQL and the SPARQL that computes the same.

Each SPARQL text mirrors the graph layer's semantics (``graph/projection.py``): only
IRI→IRI facts stated with an ontology object property are walked, in either direction.

- Neighbourhood at depth 2: the facts touching the centre or any of its neighbours, each
  with its evidence (statement sentence and paragraph), and the English label of both
  ends — what the GraphQL query asks for.
- Paths of at most 3 hops: simple paths (no node twice), shortest first, up to 3; for each
  hop the smallest ``s p o`` fact between the two nodes, as ``facts_between(a, b)[0]``
  picks. When more than three paths tie on length, the two engines may return different
  ones of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

ONTOLOGY = Path(__file__).resolve().parent.parent / "seed" / "ontology.ttl"

ENTITY = """query Entity($id: ID!) {
  entity(id: $id) {
    id label labels { value lang } types
    relations(first: 20) {
      totalCount
      edges { node {
        predicate direction
        source { id label } target { id label }
        evidence { text lang paragraph source { id } }
      } }
    }
  }
}"""

NEIGHBORHOOD = """query Neighborhood($id: ID!) {
  neighborhood(id: $id, depth: 2) {
    nodes { id label }
    edges { predicate sourceId targetId evidence { text paragraph } }
  }
}"""

PATHS = """query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxLength: 3, first: 3) {
    length
    nodes { id label }
    edges { predicate sourceId targetId }
  }
}"""

HELLO = "{ hello }"

PREFIXES = """PREFIX ckg: <https://w3id.org/chipkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def object_properties() -> list[str]:
    """The ontology's object properties, sorted (what the projection walks)."""
    kind = ox.NamedNode("http://www.w3.org/2002/07/owl#ObjectProperty")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return sorted(q.subject.value for q in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
                  if q.predicate == rdf_type and q.object == kind)


def _in(variable: str, properties: list[str]) -> str:
    return f"FILTER({variable} IN ({', '.join(f'<{p}>' for p in properties)}))"


def sparql_neighborhood(center: str, properties: list[str]) -> str:
    """The depth-2 neighbourhood's facts with their evidence and both ends' English labels.

    The per-fact lookups are ``LATERAL`` (an Oxigraph extension from the SPARQL 1.2
    drafts): as plain ``OPTIONAL`` joins Oxigraph evaluates them for every statement in the
    store and hash-joins, 10-15x slower at 100k triples than looking each fact up.
    """
    c = f"<{center}>"
    return PREFIXES + f"""SELECT ?s ?p ?o ?evidence ?paragraph ?sl ?ol WHERE {{
  {{
    SELECT DISTINCT ?s ?p ?o WHERE {{
      {{ BIND({c} AS ?n) }}
      UNION {{ {c} ?p1 ?n . FILTER(isIRI(?n)) {_in('?p1', properties)} }}
      UNION {{ ?n ?p1 {c} . FILTER(isIRI(?n)) {_in('?p1', properties)} }}
      {{ ?n ?p ?o . BIND(?n AS ?s) }} UNION {{ ?s ?p ?n . BIND(?n AS ?o) }}
      FILTER(isIRI(?s) && isIRI(?o))
      {_in('?p', properties)}
    }}
  }}
  LATERAL {{ OPTIONAL {{
    ?st rdf:subject ?s . ?st rdf:object ?o . ?st rdf:predicate ?p . ?st ckg:evidence ?evidence .
    OPTIONAL {{ ?st ckg:paragraph ?paragraph }}
  }} }}
  LATERAL {{
    OPTIONAL {{ ?s rdfs:label ?sl FILTER(lang(?sl) = "en") }}
    OPTIONAL {{ ?o rdfs:label ?ol FILTER(lang(?ol) = "en") }}
  }}
}}"""


def _hop(a: str, b: str, i: int, properties: list[str]) -> str:
    """One undirected hop from ``a`` to ``b``, binding the fact as the string ``?fI``."""
    return (f"{{ {a} ?p{i} {b} . BIND(CONCAT(STR({a}), \" \", STR(?p{i}), \" \", STR({b})) AS ?f{i}) }} "
            f"UNION {{ {b} ?p{i} {a} . BIND(CONCAT(STR({b}), \" \", STR(?p{i}), \" \", STR({a})) AS ?f{i}) }} "
            f"{_in(f'?p{i}', properties)}")


def sparql_paths(source: str, target: str, properties: list[str]) -> str:
    a, b = f"<{source}>", f"<{target}>"
    return PREFIXES + f"""SELECT ?len ?x ?y (MIN(?f1) AS ?h1) (MIN(?f2) AS ?h2) (MIN(?f3) AS ?h3) WHERE {{
  {{ BIND(1 AS ?len) {_hop(a, b, 1, properties)} }}
  UNION {{
    BIND(2 AS ?len)
    {_hop(a, '?x', 1, properties)}
    FILTER(isIRI(?x) && ?x != {a} && ?x != {b})
    {_hop('?x', b, 2, properties)}
  }}
  UNION {{
    BIND(3 AS ?len)
    {_hop(a, '?x', 1, properties)}
    FILTER(isIRI(?x) && ?x != {a} && ?x != {b})
    {_hop('?x', '?y', 2, properties)}
    FILTER(isIRI(?y) && ?y != {a} && ?y != {b} && ?y != ?x)
    {_hop('?y', b, 3, properties)}
  }}
}}
GROUP BY ?len ?x ?y
ORDER BY ?len ?x ?y
LIMIT 3"""


def graphql_body(query: str, variables: dict | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}}, separators=(",", ":"), ensure_ascii=False)


__all__ = ["ENTITY", "HELLO", "NEIGHBORHOOD", "PATHS", "graphql_body", "object_properties",
           "sparql_neighborhood", "sparql_paths"]
