"""A store on any SPARQL 1.1 server, and traversal that never pulls the whole graph.

``SparqlStore`` speaks the SPARQL 1.1 Protocol (queries and updates) and the Graph Store
Protocol (bulk loads) over one ``httpx.Client``. Terms go into queries only as N-Triples
(``str()`` of a pyoxigraph term, which pyoxigraph has validated and escaped), never as
text pasted from a request, and results come back as pyoxigraph terms.

``RemoteTraversal`` answers what ``Projection`` answers without a networkx copy of the
graph: every breadth-first hop is one ``VALUES`` query for the whole frontier, and a
path search grows balls from both ends until they cover every path of the length asked
for, then ranks the paths in that small corridor with the same code as ``Projection``.

Blank nodes cannot be named in a SPARQL query (``_:b`` there is a variable), so a
pattern on a blank node is matched by the server as "any blank node" and filtered here;
the only blank nodes chipkg keeps are the ontology's few ``owl:unionOf`` lists, and
their labels are stable on servers that store them (Oxigraph, Jena).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
import pyoxigraph as ox

from .errors import ParseError, QueryTooLarge, StoreError
from .model import Direction
from .projection import Fact, ranked_paths
from .store import Object, Subject, Term

CHUNK = 500  # terms per VALUES block: one request each, well under any server's limits
UPLOAD_CHUNK = 1 << 20  # bytes per piece of a streamed Graph Store upload
INSERT_BATCH = 10_000  # triples per INSERT DATA when there is no Graph Store endpoint
FACTS_PER_NODE = 20  # a traversal hop stops at this many facts per node of its budget

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
# httpx's query parameters (a list of pairs must allow its every value type: list is invariant).
Params = dict[str, str] | list[tuple[str, str | int | float | bool | None]]
_T = TypeVar("_T")


def chunks(items: Sequence[_T], size: int | None = None) -> Iterator[Sequence[_T]]:
    size = size or CHUNK
    for start in range(0, len(items), size):
        yield items[start:start + size]


def values(terms: Iterable[Object]) -> str:
    return " ".join(str(t) for t in terms)


class SparqlStore:
    """A ``TripleStore`` on a SPARQL 1.1 server's default graph.

    ``update_url`` is needed for writes; without it the store is read-only. Bulk loads go
    to ``graph_store_url`` (derived for Oxigraph's layout, ``…/query`` → ``…/store``) and
    fall back to ``INSERT DATA`` through ``update_url`` when there is none.
    """

    remote = True

    def __init__(self, query_url: str, update_url: str | None = None, *, graph_store_url: str | None = None,
                 timeout: float = 30.0, transport: httpx.BaseTransport | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url or _graph_store_for(query_url)
        self.timeout = timeout
        self._client = httpx.Client(timeout=timeout, transport=transport)

    # ------------------------------------------------------------ reading

    def triples(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                obj: Object | None = None) -> Iterator[ox.Triple]:
        wanted = (subject, predicate, obj)
        slots = [_slot(term, var) for term, var in zip(wanted, ("?s", "?p", "?o"), strict=True)]
        where = " ".join(slot for slot, _ in slots) + " . " + " ".join(f for _, f in slots if f)
        for row in self.select(f"SELECT * WHERE {{ {where} }}"):
            # A position the pattern names keeps its term; a variable or a blank node takes the row's.
            found = ox.Triple(subject if subject is not None and not isinstance(subject, ox.BlankNode) else row["s"],
                              predicate if predicate is not None and not isinstance(predicate, ox.BlankNode)
                              else row["p"],
                              obj if obj is not None and not isinstance(obj, ox.BlankNode) else row["o"])
            if all(not isinstance(w, ox.BlankNode) or w == f for w, f in zip(wanted, found, strict=True)):
                yield found

    def triples_of(self, subjects: Sequence[Subject]) -> Iterator[ox.Triple]:
        named = [s for s in dict.fromkeys(subjects) if not isinstance(s, ox.BlankNode)]
        for chunk in chunks(named):
            for row in self.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values(chunk)} }} ?s ?p ?o }}"):
                yield ox.Triple(row["s"], row["p"], row["o"])
        for blank in subjects:  # VALUES cannot hold a blank node
            if isinstance(blank, ox.BlankNode):
                yield from self.triples(blank, None, None)

    def triples_to(self, predicate: ox.NamedNode, objects: Sequence[Term]) -> Iterator[ox.Triple]:
        named = [o for o in dict.fromkeys(objects) if not isinstance(o, ox.BlankNode)]
        for chunk in chunks(named):
            for row in self.select(f"SELECT ?s ?o WHERE {{ VALUES ?o {{ {values(chunk)} }} ?s {predicate} ?o }}"):
                yield ox.Triple(row["s"], predicate, row["o"])
        for blank in objects:
            if isinstance(blank, ox.BlankNode):
                yield from self.triples(None, predicate, blank)

    def select(self, sparql: str) -> ox.QuerySolutions:
        """Solutions of a SELECT that chipkg wrote; any refusal is a ``StoreError``."""
        response = self._send(self.query_url, sparql, "application/sparql-query",
                              accept="application/sparql-results+json")
        return _parse_results(response, self.query_url)  # type: ignore[return-value]

    def ask(self, sparql: str) -> bool:
        response = self._send(self.query_url, sparql, "application/sparql-query",
                              accept="application/sparql-results+json")
        return bool(_parse_results(response, self.query_url))

    def query(self, sparql: str, **options: Any) -> object:
        """Any query, answered as pyoxigraph answers one (``QuerySolutions``,
        ``QueryBoolean`` or ``QueryTriples``). ``prefixes`` are declared in front of it and
        ``default_graph`` (named graphs only) is sent as ``default-graph-uri``; a query the
        server calls malformed raises ``SyntaxError``, as pyoxigraph's ``Store.query`` does.
        ``timeout`` (seconds) replaces the store's HTTP timeout for this one request."""
        params = _dataset_params(options.pop("default_graph", None))
        prefixes = options.pop("prefixes", None) or {}
        timeout = options.pop("timeout", None)
        if options:
            raise StoreError(f"a SPARQL server store does not support {', '.join(sorted(options))}")
        head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
        response = self._post(self.query_url, head + sparql, "application/sparql-query", accept=ACCEPT,
                              params=params, timeout=timeout)
        if response.status_code == 400:
            raise SyntaxError(_reason(response))
        _check(response, self.query_url, "query")
        media = _media(response)
        if media in GRAPH_TYPES:
            return _query_triples(response.content, GRAPH_TYPES[media])
        return _parse_results(response, self.query_url)

    def __len__(self) -> int:
        rows = list(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(rows[0]["n"].value)

    # ------------------------------------------------------------ writing

    def update(self, sparql: str) -> None:
        """A SPARQL update in one request (one transaction on Oxigraph and Jena)."""
        self._send(self._writable(), sparql, "application/sparql-update", what="update")

    def _writable(self) -> str:
        """The update URL; a store without one is read-only, Graph Store or not."""
        if self.update_url is None:
            raise StoreError(f"the SPARQL store at {self.query_url} is read-only: give an update URL "
                             "(sparql:QUERY_URL,UPDATE_URL) to write")
        return self.update_url

    def apply(self, remove: Iterable[ox.Triple], add: Iterable[ox.Triple], *, also: str = "") -> None:
        """One update request: one transaction on Oxigraph and Jena."""
        parts = []
        removed, added = _data(remove), _data(add)
        if removed:
            parts.append(f"DELETE DATA {{ {removed} }}")
        if added:
            parts.append(f"INSERT DATA {{ {added} }}")
        if parts and also:
            parts.append(also)
        if parts:
            self.update(" ;\n".join(parts))

    def add_many(self, triples: Iterable[ox.Triple], *, transactional: bool = True) -> None:
        """Add a stream of triples: in one ``INSERT DATA`` (one transaction), or else
        streamed to the Graph Store as N-Triples (or in ``INSERT DATA`` batches)."""
        self._writable()
        if transactional:
            self._insert(list(triples), None)
        elif self.graph_store_url is not None:
            self._upload(_as_ntriples(triples), ox.RdfFormat.N_TRIPLES, None, "the added triples")
        else:
            self._insert_in_batches(triples, None)

    def bulk_load(self, source: Path | IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """POST the file to the Graph Store endpoint (or ``INSERT DATA`` it in batches)."""
        self._writable()
        with _opened(source) as stream:
            if self.graph_store_url is not None:
                self._upload(_read_chunks(stream), fmt, graph, _name(source))
                return
            try:
                self._insert_in_batches((quad.triple for quad in ox.parse(stream, format=fmt)), graph)
            except SyntaxError as exc:
                raise ParseError(f"{_name(source)}: {exc}") from exc

    def _upload(self, body: Iterator[bytes], fmt: ox.RdfFormat, graph: str | None, name: str) -> None:
        """One Graph Store Protocol POST (it adds to the graph), streamed."""
        assert self.graph_store_url is not None
        params = {"graph": graph} if graph else {"default": ""}
        response = self._post(self.graph_store_url, body, fmt.media_type, params=params)
        if response.status_code == 400:
            raise ParseError(f"{name}: {_reason(response)}")
        _check(response, self.graph_store_url, "load")

    def _insert_in_batches(self, triples: Iterable[ox.Triple], graph: str | None) -> None:
        batch: list[ox.Triple] = []
        for triple in triples:
            batch.append(triple)
            if len(batch) == INSERT_BATCH:
                self._insert(batch, graph)
                batch = []
        self._insert(batch, graph)

    def _insert(self, batch: list[ox.Triple], graph: str | None) -> None:
        if batch:
            body = _data(batch)
            self.update(f"INSERT DATA {{ GRAPH {ox.NamedNode(graph)} {{ {body} }} }}" if graph
                        else f"INSERT DATA {{ {body} }}")

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------ HTTP

    def _send(self, url: str, body: str, media: str, *, accept: str | None = None,
              what: str = "query") -> httpx.Response:
        response = self._post(url, body, media, accept=accept)
        _check(response, url, what)
        return response

    def _post(self, url: str, content: str | Iterator[bytes], media: str, *, accept: str | None = None,
              params: Params | None = None,
              timeout: float | None = None) -> httpx.Response:
        headers = {"Content-Type": media} | ({"Accept": accept} if accept else {})
        try:
            return self._client.post(url, content=content, headers=headers, params=params,
                                     timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout)
        except httpx.TimeoutException:
            raise StoreError(f"the SPARQL server at {url} did not answer within "
                             f"{self.timeout if timeout is None else timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc or type(exc).__name__}") from None


class RemoteTraversal:
    """``Projection``'s traversal answered with batched queries to a ``SparqlStore``.

    Nothing is held in memory between calls except the facts met by the last path
    search (for ``facts_between``), which every write forgets.
    """

    def __init__(self, store: SparqlStore, object_properties: Iterable[str]) -> None:
        self.store = store
        self.object_properties = frozenset(object_properties)
        self._met: dict[frozenset[str], set[Fact]] = {}

    def load(self, store: object) -> None:
        """Nothing to project: the server is asked at every call."""

    def add(self, facts: Iterable[Fact]) -> None:
        self._met.clear()

    def remove(self, facts: Iterable[Fact]) -> None:
        self._met.clear()

    def __contains__(self, node: str) -> bool:
        term = _node(node)
        if term is None:
            return False
        return self.store.ask(f"ASK {{ {self._hop(str(term), Direction.BOTH, None)} }}")

    def facts_of(self, node: str, direction: Direction = Direction.BOTH,
                 predicates: frozenset[str] | None = None) -> Iterator[Fact]:
        """The facts touching ``node`` that run in ``direction`` and use ``predicates``."""
        yield from sorted(self.facts_around([node], direction, predicates))

    def facts_of_many(self, nodes: Sequence[str], direction: Direction = Direction.BOTH,
                      predicates: frozenset[str] | None = None) -> list[list[Fact]]:
        """``facts_of`` for many nodes from one query per chunk (for DataLoaders)."""
        facts = self.facts_around(nodes, direction, predicates)
        return [sorted(f for f in facts if _touches(f, node, direction)) for node in nodes]

    def facts_around(self, nodes: Iterable[str], direction: Direction = Direction.BOTH,
                     predicates: frozenset[str] | None = None, budget: int | None = None) -> set[Fact]:
        """Every fact touching any of ``nodes`` in ``direction``: one query per chunk.

        With a ``budget``, more facts than that raise ``QueryTooLarge`` (each query asks
        for one more than is left, so a hub cannot send the whole graph)."""
        terms = [t for t in map(_node, dict.fromkeys(nodes)) if t is not None]
        found: set[Fact] = set()
        for chunk in chunks(terms):
            limit = "" if budget is None else f" LIMIT {budget - len(found) + 1}"
            query = f"SELECT ?s ?p ?o WHERE {{ {self._hop(values(chunk), direction, predicates)} }}{limit}"
            found.update((r["s"].value, r["p"].value, r["o"].value) for r in self.store.select(query))
            if budget is not None and len(found) > budget:
                raise QueryTooLarge(f"more than {budget} facts touch these {len(terms)} nodes; "
                                    "ask for less depth or fewer predicates")
        return found

    def _hop(self, nodes: str, direction: Direction, predicates: frozenset[str] | None) -> str:
        p = f"VALUES ?p {{ {self._predicates(predicates)} }}"
        outgoing = f"{{ VALUES ?s {{ {nodes} }} {p} ?s ?p ?o FILTER(isIRI(?o)) }}"
        incoming = f"{{ VALUES ?o {{ {nodes} }} {p} ?s ?p ?o FILTER(isIRI(?s)) }}"
        if direction == Direction.OUTGOING:
            return outgoing
        if direction == Direction.INCOMING:
            return incoming
        return f"{outgoing} UNION {incoming}"

    def _predicates(self, predicates: frozenset[str] | None) -> str:
        chosen = self.object_properties if predicates is None else predicates & self.object_properties
        return values(ox.NamedNode(p) for p in sorted(chosen))

    def neighborhood(self, center: str, depth: int, *, direction: Direction = Direction.BOTH,
                     predicates: frozenset[str] | None = None,
                     max_nodes: int = 1000) -> tuple[list[str], list[Fact]]:
        """Nodes within ``depth`` hops of ``center`` and the facts walked to reach them:
        a breadth-first search with one query per hop."""
        seen = {center}
        facts: set[Fact] = set()
        frontier = [center]
        for _ in range(depth):
            hop = self.facts_around(frontier, direction, predicates, budget=max_nodes * FACTS_PER_NODE)
            facts |= hop
            frontier = sorted({n for fact in hop for n in (fact[0], fact[2])} - seen)
            seen.update(frontier)
            if len(seen) > max_nodes:
                raise QueryTooLarge(f"the neighbourhood of {center} at depth {depth} has more than "
                                    f"{max_nodes} nodes; ask for less depth or fewer predicates")
            if not frontier:
                break
        return sorted(seen), sorted(facts)

    def paths(self, source: str, target: str, *, max_length: int, limit: int,
              max_nodes: int = 5000, timeout: float = 2.0) -> list[list[str]]:
        """Up to ``limit`` simple paths of at most ``max_length`` hops, shortest first,
        ignoring direction: the same paths, in the same order, as ``Projection.paths``."""
        if source == target:
            return []
        deadline = time.monotonic() + timeout
        search = _Corridor(self, source, target, max_length, max_nodes, deadline)
        edges = search.edges()
        self._met = {}
        for fact in edges:
            self._met.setdefault(frozenset((fact[0], fact[2])), set()).add(fact)
        return ranked_paths(search.nodes, ((s, o) for s, _, o in edges), source, target,
                            max_length=max_length, limit=limit, deadline=deadline, timeout=timeout)

    def facts_between(self, a: str, b: str) -> list[Fact]:
        met = self._met.get(frozenset((a, b)))
        if met is None:
            met = {f for f in self.facts_around([a]) if {f[0], f[2]} == {a, b}}
        return sorted(met)


class _Corridor:
    """Every node and fact on some path of at most ``length`` hops between two nodes.

    Breadth-first balls grow from both ends (both in one query while they are small, then
    the smaller frontier first) until their radii add up to ``length`` (or one end's whole
    component is known). Then every edge of every walk of at most ``length`` hops has been
    fetched: with radii ``a + b = length``, the edge at position ``i`` leaves a node within
    ``i < a`` hops of the source, or else enters one within ``length - i - 1 < b`` hops of
    the target, and both sides expanded such nodes. So distances counted over the fetched
    facts are exact wherever they decide membership, and the corridor has the same nodes as
    ``Projection``'s. It can lack only facts between two nodes lying exactly on both radii:
    those are on no path of at most ``length`` hops, so they change neither which paths
    rank first nor their order (the random-graph tests check both).
    """

    def __init__(self, traversal: RemoteTraversal, source: str, target: str, length: int,
                 max_nodes: int, deadline: float) -> None:
        self.traversal, self.length, self.max_nodes, self.deadline = traversal, length, max_nodes, deadline
        self.ends = (source, target)
        self.distance: tuple[dict[str, int], dict[str, int]] = ({source: 0}, {target: 0})
        self.frontier = [[source], [target]]
        self.radius = [0, 0]
        self.facts: set[Fact] = set()
        self.nodes: list[str] = []

    def edges(self) -> list[Fact]:
        """The corridor's facts (``self.nodes`` holds its nodes); none if no path is short enough."""
        while sum(self.radius) < self.length and all(self.frontier):
            self._grow(self._sides_to_grow())
        for side in (0, 1):
            if not self.frontier[side] and self.ends[1 - side] not in self.distance[side]:
                return []  # this end's whole component is known, and the other end is not in it
        from_source, to_target = (_distances(self.facts, end, self.length) for end in self.ends)
        self.nodes = sorted(n for n, d in from_source.items() if d + to_target.get(n, self.length + 1) <= self.length)
        if len(self.nodes) > self.max_nodes:
            raise QueryTooLarge(f"more than {self.max_nodes} nodes lie on paths of up to {self.length} hops "
                                f"between {self.ends[0]} and {self.ends[1]}; ask for a shorter maxLength")
        inside = set(self.nodes)
        return sorted(f for f in self.facts if f[0] in inside and f[2] in inside)

    def _grow(self, sides: tuple[int, ...]) -> None:
        """Expand the frontiers of ``sides`` by a hop, in one query for both."""
        if time.monotonic() > self.deadline:
            raise QueryTooLarge(f"the path search between {self.ends[0]} and {self.ends[1]} ran past its time "
                                "budget; ask for a shorter maxLength or fewer paths")
        hop = self.traversal.facts_around([n for side in sides for n in self.frontier[side]],
                                          budget=self.max_nodes * FACTS_PER_NODE)
        self.facts |= hop
        for side in sides:
            frontier, distance = set(self.frontier[side]), self.distance[side]
            self.radius[side] += 1
            fresh = sorted({n for s, _, o in hop if s in frontier or o in frontier for n in (s, o)} - distance.keys())
            distance.update((n, self.radius[side]) for n in fresh)
            self.frontier[side] = fresh
        if len(self.distance[0].keys() | self.distance[1].keys()) > self.max_nodes:
            raise QueryTooLarge(f"the path search between {self.ends[0]} and {self.ends[1]} reached more than "
                                f"{self.max_nodes} nodes; ask for a shorter maxLength")

    def _sides_to_grow(self) -> tuple[int, ...]:
        """Both ends at once while both radii can still grow and both frontiers are small
        (one round trip instead of two); otherwise the end with the smaller frontier."""
        small = all(len(f) <= CHUNK for f in self.frontier)
        if small and sum(self.radius) + 2 <= self.length:
            return (0, 1)
        return (0,) if len(self.frontier[0]) <= len(self.frontier[1]) else (1,)


def _distances(facts: Iterable[Fact], start: str, cutoff: int) -> dict[str, int]:
    """Hop counts from ``start`` over ``facts`` (either direction), up to ``cutoff``."""
    neighbours: dict[str, set[str]] = {}
    for s, _, o in facts:
        neighbours.setdefault(s, set()).add(o)
        neighbours.setdefault(o, set()).add(s)
    distance = {start: 0}
    frontier = [start]
    for hops in range(1, cutoff + 1):
        frontier = list(dict.fromkeys(n for node in frontier for n in neighbours.get(node, ()) if n not in distance))
        distance.update((n, hops) for n in frontier)
    return distance


def _touches(fact: Fact, node: str, direction: Direction) -> bool:
    outgoing, incoming = fact[0] == node, fact[2] == node
    if direction == Direction.OUTGOING:
        return outgoing
    if direction == Direction.INCOMING:
        return incoming
    return outgoing or incoming


def _node(iri: str) -> ox.NamedNode | None:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None  # not an IRI, so not in any graph


def _slot(term: Object | None, var: str) -> tuple[str, str | None]:
    """A triple-pattern position: the term itself, or a variable (with a filter for a blank node)."""
    if term is None:
        return var, None
    if isinstance(term, ox.BlankNode):
        return var, f"FILTER(isBlank({var}))"
    return str(term), None


def _data(triples: Iterable[ox.Triple]) -> str:
    return " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


def _graph_store_for(query_url: str) -> str | None:
    """Oxigraph serves queries at ``/query`` and the Graph Store Protocol at ``/store``."""
    url = httpx.URL(query_url)
    if url.path.endswith("/query"):
        return str(url.copy_with(path=url.path.removesuffix("query") + "store", query=None))
    return None


def _dataset_params(graphs: object) -> Params | None:
    if graphs is None:
        return None
    if not isinstance(graphs, Iterable) or not all(isinstance(g, ox.NamedNode) for g in graphs):
        raise StoreError("a SPARQL server store can only set named graphs (default-graph-uri) as the default graph")
    return [("default-graph-uri", g.value) for g in graphs]


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _reason(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:300] or response.reason_phrase


def _check(response: httpx.Response, url: str, what: str) -> None:
    if response.status_code >= 500:
        raise StoreError(f"the SPARQL server at {url} failed ({response.status_code}) on a {what}: {_reason(response)}")
    if response.status_code >= 400:
        raise StoreError(f"the SPARQL server at {url} refused a {what} ({response.status_code}): {_reason(response)}")


def _parse_results(response: httpx.Response, url: str) -> ox.QuerySolutions | ox.QueryBoolean:
    fmt = RESULT_TYPES.get(_media(response))
    if fmt is None:
        raise StoreError(f"the SPARQL server at {url} answered {_media(response) or 'no content type'}, "
                         "not SPARQL results")
    try:
        return ox.parse_query_results(response.content, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"the SPARQL server at {url} sent results that do not parse: {exc}") from None


def _query_triples(body: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """A CONSTRUCT's answer as the ``QueryTriples`` pyoxigraph gives for a local query
    (it has no constructor, so the triples pass through a scratch store)."""
    scratch = ox.Store()
    scratch.load(body, format=fmt)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")  # type: ignore[return-value]


def _name(source: Path | IO[bytes]) -> str:
    return str(source) if isinstance(source, Path) else str(getattr(source, "name", "the uploaded data"))


class _opened:
    """``with _opened(source) as stream``: a path opened for reading, or the stream itself."""

    def __init__(self, source: Path | IO[bytes]) -> None:
        self.source = source
        self.stream: IO[bytes] = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115

    def __enter__(self) -> IO[bytes]:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.source, Path):
            self.stream.close()


def _read_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(UPLOAD_CHUNK):
        yield chunk


def _as_ntriples(triples: Iterable[ox.Triple]) -> Iterator[bytes]:
    lines: list[str] = []
    for t in triples:
        lines.append(f"{t} .\n")
        if len(lines) == INSERT_BATCH:
            yield "".join(lines).encode()
            lines = []
    yield "".join(lines).encode()


__all__ = ["RemoteTraversal", "SparqlStore"]
