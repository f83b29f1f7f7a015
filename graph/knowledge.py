"""``KnowledgeGraph``: the one object that owns a store and answers questions about it.

It loads the ontology and the seed articles into an empty store, keeps two derived views
in step with every write (the networkx projection for traversal and the name index for
search), and checks every write against the ontology and the shapes before a single
triple changes. Writers queue behind one another; readers take no lock: they read the
store's snapshots and the views under a sequence lock (``seqlock.py``), so a reader never
waits for a write's checks and never sees a fact without its evidence or a half-applied
write.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, TypeVar, overload

import pyoxigraph as ox
import rdflib
import rdflib.collection

from .. import seed
from .articles import article_text, text_problems, text_triples
from .bulk import bulk_load
from .errors import (
    InvalidInput,
    NotFound,
    QueryTooLarge,
    StoreError,
    ValidationFailed,
    Violation,
)
from .export import serialize, write_snapshot
from .minting import check_slug, fact_triples, slugify, statement_slug, unused_iri
from .model import (
    Direction,
    Entity,
    Evidence,
    LangString,
    OntologyTerm,
    Relation,
    Subgraph,
    WriteResult,
    iri_of,
    lang_literal,
)
from .model import Path as GraphPath
from .ontology import ontology_terms
from .projection import Fact, Projection
from .provenance import RemoteStatements, StatementIndex
from .reading import Stats, count, describe_statement, entity_from, ontology_closure
from .reads import (
    PageRequest,
    ReadCache,
    RelationPage,
    article_relations,
    cached_entities,
    cached_relation_pages,
    facts_with,
    peek_entities,
    relation_pages,
)
from .search import NameIndex
from .seqlock import SeqLock
from .store import OxigraphStore, TripleStore, open_store
from .terms import (
    parse_file,
    parse_triples,
    rdf_format,
    to_rdflib_graph,
    utf8,
    without_ontology,
)
from .validation import Validator
from .version import BUMP, START, Version
from .views import Views
from .vocab import CKG, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, compact
from .write_check import WriteChecks

T = TypeVar("T")
_TYPE = ox.NamedNode(str(RDF.type))
_TEXT = ox.NamedNode(str(CKG.text))
_LABEL = str(RDFS.label)
_ALT = str(SKOS.altLabel)
_SUBJECT = ox.NamedNode(str(RDF.subject))


@dataclass(frozen=True)
class Limits:
    """Budgets that keep one request from occupying the service; on by default."""

    max_depth: int = 4
    max_nodes: int = 1000
    max_edges: int = 5000  # a neighbourhood's facts (each with evidence to read)
    max_path_length: int = 6
    max_paths: int = 10
    path_timeout: float = 2.0
    max_results: int = 100


class KnowledgeGraph:
    """The graph and every operation on it: read, traverse, write, export."""

    def __init__(self, store: TripleStore | None = None, *, seed_data: bool = True,
                 validator: Validator | None = None, limits: Limits | None = None, lazy: bool = False) -> None:
        self.store: TripleStore = store if store is not None else OxigraphStore()
        self.validator = validator if validator is not None else Validator.from_files()
        self.write_checks = WriteChecks(self.validator)
        self.limits = limits or Limits()
        self._gate = SeqLock()
        self.write_error: str | None = None  # why the last write failed in the store, until one succeeds
        # Entities and evidence, for the GraphQL reads (see reads.py); on a store other
        # processes write to, an entry serves only the version it was read at.
        self.entity_cache = ReadCache(strict=bool(getattr(self.store, "remote", False)))
        ontology = self.validator.ontology
        # The entity classes: ckg:Entity and what is under it (not ckg:Sentence, which is
        # an article's structure, not a thing the news is about).
        self.classes = frozenset(str(c) for c in ontology.subjects(RDF.type, OWL.Class)
                                 if str(c).startswith(str(CKG._NS))
                                 and CKG.Entity in set(ontology.transitive_objects(c, RDFS.subClassOf)))
        self.object_properties = frozenset(str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty))
        self._superclasses = {c: {str(s) for s in ontology.transitive_objects(rdflib.URIRef(c), RDFS.subClassOf)}
                              for c in self.classes}
        if len(self.store) == 0:
            # The ontology always goes in (class hierarchy, labels for `ontology`); the
            # articles only when seeding. The version counter starts at 0 beside them.
            self.store.apply((), self._seed_triples(articles=seed_data), also=START)
        elif getattr(self.store, "update_url", None):
            self.store.update(START)  # a shared store chipkg writes to gets a counter once
        self._version = Version(self.store)
        # Derived views, built on first use: a one-shot export of a million triples
        # should not pay for a networkx projection and a name index it never reads.
        self.views = Views(self.store, self.object_properties, self.classes, self._gate.exclusive)
        if not lazy:
            self.projection, self.names, self.statement_index  # noqa: B018 (build them now, for a server)

    @property
    def version(self) -> int:
        """Changes with every write by any process sharing the store; caches key on it."""
        return self._version.current()

    def health(self) -> dict[str, object]:
        """Status in O(1), without touching the store: ``degraded`` while writes fail."""
        return {"status": "degraded" if self.write_error else "ok", "version": self._version.last_seen,
                "writable": self.write_error is None,
                **({"error": self.write_error} if self.write_error else {})}

    @property
    def projection(self) -> Projection:
        """The traversal view of the store (networkx in process, batched SPARQL remotely)."""
        return self.views.projection

    @property
    def statement_index(self) -> StatementIndex | RemoteStatements:
        """Which statements describe which fact (see ``provenance.py``)."""
        return self.views.statements

    @property
    def names(self) -> NameIndex:
        """The search index over labels and aliases."""
        return self.views.names(self._version.current)

    @contextmanager
    def quiesced(self, timeout: float = -1) -> Iterator[None]:
        """Hold off writes for the duration (to fork a snapshot of the store that no
        write is half-way through); ``TimeoutError`` if a write holds on past ``timeout`` s."""
        with self._gate.quiet(timeout):
            yield

    @classmethod
    def open(cls, spec: str = "memory", *, seed_data: bool = True, limits: Limits | None = None,
             lazy: bool = False) -> KnowledgeGraph:
        """A graph on the store ``spec`` names (``memory``, ``oxigraph:PATH``, ``sparql:URL``)."""
        return cls(open_store(spec), seed_data=seed_data, limits=limits, lazy=lazy)

    @staticmethod
    def _seed_triples(*, articles: bool) -> list[ox.Triple]:
        triples = [q.triple for q in ox.parse(path=str(seed.ONTOLOGY), format=ox.RdfFormat.TURTLE)]
        for path in seed.article_graphs() if articles else ():
            triples.extend(parse_file(str(path)))
        return triples

    # ------------------------------------------------------------ reading entities

    def _types(self, iri: str) -> list[str]:
        return [t.object.value for t in self.store.triples(ox.NamedNode(iri), _TYPE, None)]  # type: ignore[union-attr]  # RDF 1.1

    def _read_entity(self, iri: str) -> Entity | None:
        return self._read_entities([iri])[0]

    def _is_entity(self, iri: str) -> bool:
        """What ``_read_entity(iri) is not None`` says, from the node's types alone: a hub's
        thousands of triples took 3 ms to read at 1M."""
        return any(t in self.classes for t in self._types(iri))

    def _read_entities(self, iris: list[str]) -> list[Entity | None]:
        """Entities for many IRIs from one batched store read."""
        by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in self.store.triples_of([ox.NamedNode(i) for i in dict.fromkeys(iris)]):
            by_subject[t.subject.value].append(t)  # type: ignore[union-attr]  # RDF 1.1
        return [entity_from(iri, by_subject.get(iri, []), self.classes) for iri in iris]

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id (slug, ``ckr:`` name or IRI); ``NotFound`` otherwise."""
        iri = iri_of(entity_id)
        found = self._read_entity(iri)  # one pattern match: one snapshot, no lock needed
        if found is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return found

    def entities(self, ids: Iterable[str]) -> list[Entity | None]:
        """Many entities in one call (for DataLoaders), ``None`` where an id is unknown."""
        iris = [iri_of(i) for i in ids]
        return self._gate.read(lambda: self._read_entities(iris))

    def class_iri(self, name: str) -> str:
        iri = name if "://" in name else str(CKG._NS) + name.removeprefix("ckg:")
        if iri not in self.classes:
            raise InvalidInput(f"unknown class {name!r}; known: {', '.join(sorted(_local(c) for c in self.classes))}")
        return iri

    def is_a(self, entity: Entity, class_name: str) -> bool:
        wanted = self.class_iri(class_name)
        return any(t == wanted or wanted in self._superclasses.get(t, ()) for t in entity.types)

    def instances(self, class_name: str) -> list[str]:
        """IRIs of every instance of the class or its subclasses, sorted."""
        wanted = self.class_iri(class_name)
        classes = [c for c in self.classes if c == wanted or wanted in self._superclasses[c]]
        return self._gate.read(lambda: sorted({t.subject.value for c in classes  # type: ignore[union-attr]  # RDF 1.1
                                               for t in self.store.triples(None, _TYPE, ox.NamedNode(c))}))

    def search(self, text: str, types: Iterable[str] | None = None, limit: int = 20) -> list[Entity]:
        """Entities whose labels or aliases contain ``text``, in any language."""
        limit = self._bounded(limit, "limit")
        classes = [self.class_iri(name) for name in types or ()]

        def read() -> list[Entity]:
            allowed = {iri for c in classes for iri in self.instances(c)} if classes else None
            hits = self.names.search(text, limit=limit, allowed=allowed)
            return [e for e in self._read_entities(hits) if e is not None]
        return self._gate.read(read)

    # ------------------------------------------------------------ relations and traversal

    def predicate_iri(self, name: str) -> str:
        iri = name if "://" in name else str(CKG._NS) + name.removeprefix("ckg:")
        if iri not in self.object_properties:
            known = ", ".join(sorted(_local(p) for p in self.object_properties))
            raise InvalidInput(f"unknown predicate {name!r}; known: {known}")
        return iri

    def _predicates(self, names: Iterable[str] | None) -> frozenset[str] | None:
        return None if names is None else frozenset(self.predicate_iri(n) for n in names)

    def _require(self, entity_id: str) -> str:
        iri = iri_of(entity_id)
        if iri not in self.projection and self._read_entity(iri) is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return iri

    def _evidence(self, facts: Iterable[Fact]) -> dict[Fact, tuple[Evidence, ...]]:
        """Evidence for many facts: the statements that describe them (from the index),
        then those statements' triples in one batched read."""
        wanted = set(facts)
        statements = self.statement_index.statements(wanted)
        by_statement: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in self.store.triples_of([ox.NamedNode(st) for st in statements]):
            by_statement[t.subject.value].append(t)  # type: ignore[union-attr]  # RDF 1.1
        found: dict[Fact, list[Evidence]] = defaultdict(list)
        for statement, triples in by_statement.items():
            described = describe_statement(statement, triples)
            if described is not None and described[0] in wanted:
                found[described[0]].extend(described[1])
        return {f: tuple(sorted(found.get(f, ()), key=lambda e: (e.source, e.paragraph or 0, e.text)))
                for f in wanted}

    def _relations(self, facts: Iterable[Fact], seen_from: str | None = None) -> list[Relation]:
        facts = sorted(set(facts))
        evidence = self._evidence(facts)
        relations = []
        for s, p, o in facts:
            direction = Direction.OUTGOING if seen_from in (None, s) else Direction.INCOMING
            relations.append(Relation(s, p, o, direction, evidence[(s, p, o)]))
        return relations

    def relations(self, entity_id: str, predicates: Iterable[str] | None = None,
                  direction: Direction = Direction.BOTH) -> list[Relation]:
        """Facts that link the entity to others, each with its evidence."""
        wanted = self._predicates(predicates)

        def read() -> list[Relation]:
            iri = self._require(entity_id)
            return self._relations(self.projection.facts_of(iri, direction, wanted), seen_from=iri)
        return self._gate.read(read)

    def relations_many(self, entity_ids: Iterable[str], predicates: Iterable[str] | None = None,
                       direction: Direction = Direction.BOTH) -> list[list[Relation]]:
        """``relations`` for many entities with one evidence pass (for DataLoaders)."""
        wanted = self._predicates(predicates)
        iris = [iri_of(i) for i in entity_ids]

        def read() -> list[list[Relation]]:
            per_node = self.projection.facts_of_many(iris, direction, wanted)
            evidence = self._evidence(f for facts in per_node for f in facts)
            return [[Relation(s, p, o, Direction.OUTGOING if iri == s else Direction.INCOMING, evidence[(s, p, o)])
                     for s, p, o in sorted(facts)] for iri, facts in zip(iris, per_node, strict=True)]
        return self._gate.read(read)

    def cached_entities(self, iris: Sequence[str]) -> list[Entity | None]:
        """Entities by IRI through the entity cache (see ``reads.ReadCache``), for DataLoaders."""
        return cached_entities(self, iris)

    def peek_entities(self, iris: Sequence[str]) -> list[Entity | None] | None:
        """The entities if all are cached and unchanged since, else ``None``: never reads the
        store or waits, so it may run on the event loop (see ``reads.py``)."""
        return peek_entities(self, iris)

    def relation_pages(self, requests: Sequence[PageRequest]) -> list[RelationPage]:
        """Pages of facts with evidence for the page only and the entities they mention (see ``reads.py``)."""
        return relation_pages(self, requests)

    def cached_relation_pages(self, requests: Sequence[PageRequest]) -> list[RelationPage] | None:
        """``relation_pages`` from what is cached and unchanged since, or ``None``: never
        reads the store or waits, so it may run on the event loop (see ``reads.py``)."""
        return cached_relation_pages(self, requests)

    def facts(self, predicate: str, after: str | None = None, size: int = 20) -> RelationPage:
        """A page of the facts stated with ``predicate`` (a local name or IRI) across the graph."""
        return facts_with(self, self.predicate_iri(predicate), after, size)

    def article_relations(self, article_id: str) -> list[Relation]:
        """Every fact with evidence from the article, with all its evidence."""
        return article_relations(self, iri_of(article_id))

    def neighborhood(self, entity_id: str, depth: int = 1, predicates: Iterable[str] | None = None,
                     direction: Direction = Direction.BOTH) -> Subgraph:
        """Entities within ``depth`` hops and the facts between them, with evidence."""
        if not 0 <= depth <= self.limits.max_depth:
            raise QueryTooLarge(f"depth must be between 0 and {self.limits.max_depth}, not {depth}")
        wanted = self._predicates(predicates)
        return self._gate.read(lambda: self._neighborhood(entity_id, depth, wanted, direction))

    def _neighborhood(self, entity_id: str, depth: int, predicates: frozenset[str] | None,
                      direction: Direction) -> Subgraph:
        iri = self._require(entity_id)
        nodes, facts = self.projection.neighborhood(iri, depth, direction=direction, predicates=predicates,
                                                    max_nodes=self.limits.max_nodes)
        # Walking is cheap; reading every fact's evidence is not (1.3 s for the
        # 19,900 facts of a complete graph of 200 nodes). Refuse before reading.
        if len(facts) > self.limits.max_edges:
            raise QueryTooLarge(f"the neighbourhood of {entity_id!r} at depth {depth} has "
                                f"{len(facts):,} facts, more than {self.limits.max_edges:,}; ask for "
                                "less depth or fewer predicates")
        return Subgraph(center=iri, nodes=tuple(nodes), edges=tuple(self._relations(facts)))

    def paths(self, source_id: str, target_id: str, max_length: int = 4, limit: int = 3) -> list[GraphPath]:
        """Simple paths between two entities, shortest first, ignoring fact direction."""
        if not 1 <= max_length <= self.limits.max_path_length:
            raise QueryTooLarge(f"maxLength must be between 1 and {self.limits.max_path_length}, not {max_length}")
        if not 1 <= limit <= self.limits.max_paths:
            raise QueryTooLarge(f"at most {self.limits.max_paths} paths can be asked for, not {limit}")

        def read() -> list[GraphPath]:
            source, target = self._require(source_id), self._require(target_id)
            node_paths = self.projection.paths(source, target, max_length=max_length, limit=limit,
                                               max_nodes=self.limits.max_nodes * 5,
                                               timeout=self.limits.path_timeout)
            hops = [[self.projection.facts_between(a, b)[0] for a, b in pairwise(p)] for p in node_paths]
            evidence = self._evidence(f for hop in hops for f in hop)
            return [GraphPath(nodes=tuple(p), edges=tuple(Relation(*f, Direction.OUTGOING, evidence[f]) for f in hop))
                    for p, hop in zip(node_paths, hops, strict=True)]
        return self._gate.read(read)

    def _bounded(self, value: int, name: str) -> int:
        if not 0 <= value <= self.limits.max_results:
            raise QueryTooLarge(f"{name} must be between 0 and {self.limits.max_results}, not {value}")
        return value

    # ------------------------------------------------------------ writing


    def _validated_write(self, remove: list[ox.Triple], add: list[ox.Triple]) -> WriteResult:
        problems = text_problems(self.store, remove, add)
        if problems:
            raise ValidationFailed(problems)
        # The checks stage the write in scratch graphs of the store: a store write too, so
        # a full disk shows (and recovers) here as well as at the commit.
        violations = self._stored(lambda: self.write_checks.check(self.store, remove, add))
        if violations:
            raise ValidationFailed(violations)
        # Classes and predicates named by the write are vocabulary, not nodes to re-index.
        touched = {t.subject.value for t in remove + add} | {  # type: ignore[union-attr]  # RDF 1.1
            t.object.value for t in remove + add if isinstance(t.object, ox.NamedNode)
            and t.predicate != _TYPE and t.predicate.value != str(RDF.predicate)}
        return self._commit(remove, add, touched)

    def _commit(self, remove: list[ox.Triple], add: list[ox.Triple], touched: set[str]) -> WriteResult:
        """One store transaction (the write and the version counter's bump), then the views
        in step; readers that overlap it read again."""
        with self._gate.commit():
            self._stored(lambda: self.store.apply(remove, add, also=BUMP))
            facts = self.views.committed(remove, add, touched)
            # Before the new version shows: a reader at it must not take a stale entry.
            self.entity_cache.changed({t.subject.value for t in remove + add}, facts,  # type: ignore[union-attr]  # RDF 1.1
                                      self._version.last_seen + 1)
            self._version.committed()
        return WriteResult(added=len(add), removed=len(remove))

    def _stored(self, write: Callable[[], T]) -> T:
        """Run a store write; after a failed one (a full disk), recover the store first.
        A failure leaves ``write_error`` set (``health()`` says degraded) until one succeeds."""
        try:
            if self.write_error is not None:
                recover = getattr(self.store, "recover", None)
                if recover is not None:
                    recover()
            result = write()
        except StoreError as exc:
            self.write_error = str(exc)
            raise
        self.write_error = None
        return result

    def add(self, data: str | bytes | rdflib.Graph | Iterable[ox.Triple], fmt: str = "turtle") -> WriteResult:
        """Add triples after checking them; a refused write changes nothing."""
        triples = _as_triples(data, fmt)
        with self._gate.writing:
            new = [t for t in dict.fromkeys(triples) if not _present(self.store, t)]
            return self._validated_write([], new)

    def remove(self, data: str | bytes | rdflib.Graph | Iterable[ox.Triple], fmt: str = "turtle") -> WriteResult:
        """Remove triples if what is left still conforms; unknown triples are an error."""
        triples = list(dict.fromkeys(_as_triples(data, fmt)))
        with self._gate.writing:
            missing = [t for t in triples if not _present(self.store, t)]
            if missing:
                raise NotFound(f"{len(missing)} of the triples to remove are not in the graph, e.g. {missing[0]}")
            return self._validated_write(triples, [])

    def add_entity(self, class_name: str, label_en: str, label_ja: str, *, entity_id: str | None = None,
                   alt_labels: Iterable[LangString] = (),
                   attributes: dict[str, Iterable[LangString]] | None = None) -> Entity:
        """Mint a resource (slug from the English label unless ``entity_id`` is given) and add it."""
        cls = self.class_iri(class_name)
        alt_labels = list(alt_labels)
        attributes = {p: list(vs) for p, vs in (attributes or {}).items()}
        for text in (label_en, label_ja, *(a.value for a in alt_labels),
                     *(v.value for vs in attributes.values() for v in vs)):
            utf8(text, "a label or value")
        with self._gate.writing:
            if entity_id is not None:
                iri = iri_of(check_slug(entity_id))
                if self._read_entity(iri) is not None or any(True for _ in self.store.triples(ox.NamedNode(iri))):
                    raise InvalidInput(f"the id {entity_id!r} is already taken")
            else:
                base = slugify(label_en)
                if not base:
                    raise InvalidInput(f"cannot make an id from the English label {label_en!r}; give an id")
                iri = unused_iri(base, lambda i: any(True for _ in self.store.triples(ox.NamedNode(i))))
            node = ox.NamedNode(iri)
            triples = [ox.Triple(node, _TYPE, ox.NamedNode(cls)),
                       ox.Triple(node, ox.NamedNode(_LABEL), ox.Literal(label_en, language="en")),
                       ox.Triple(node, ox.NamedNode(_LABEL), ox.Literal(label_ja, language="ja"))]
            for alt in alt_labels:
                triples.append(ox.Triple(node, ox.NamedNode(_ALT), _literal(alt)))
            for predicate, values in attributes.items():
                triples.extend(ox.Triple(node, ox.NamedNode(predicate), _literal(v)) for v in values)
            self._validated_write([], triples)
            return self.entity(iri)

    def add_fact(self, subject_id: str, predicate: str, object_id: str, *, evidence: str, source_id: str,
                 paragraph: int | None = None, lang: str | None = None) -> Relation:
        """State a fact with the sentence it came from; the evidence must be in the source."""
        p = self.predicate_iri(predicate)
        utf8(evidence, "the evidence")
        s, o, source = iri_of(subject_id), iri_of(object_id), iri_of(source_id)
        with self._gate.writing:
            for entity_id, iri in ((subject_id, s), (object_id, o)):
                if not self._is_entity(iri):
                    raise NotFound(f"no entity with id {entity_id!r}")
            article = self._read_entity(source)
            if article is None or str(CKG.Article) not in article.types:
                raise NotFound(f"no article with id {source_id!r}")
            lang = lang or _article_language(article)
            # That the evidence is one of the article's sentences, in that paragraph, is
            # the shapes' business (ckgsh:Statement), checked on every write path.
            base = statement_slug(s, p, o)
            statement = unused_iri(base, lambda i: any(True for _ in self.store.triples(ox.NamedNode(i))))
            triples = fact_triples(statement, s, p, o, evidence=evidence, lang=lang, paragraph=paragraph, source=source)
            self._validated_write([], [t for t in triples if not _present(self.store, t)])
            return self._relations([(s, p, o)])[0]

    def add_article(self, text: str, facts: str | bytes | rdflib.Graph | Iterable[ox.Triple] = (), *,
                    article_id: str | None = None, lang: str | None = None, fmt: str = "turtle") -> Entity:
        """Add an article's text (split into ``ckg:Sentence`` resources) with the facts taken
        from it, in one checked write: every evidence must be one of its sentences.

        The article is ``article_id``, or the one ``ckg:Article`` the facts describe; it may
        already be in the graph, without a text. ``lang`` defaults to its ``dcterms:language``.
        """
        if not text.strip():
            raise InvalidInput("the article text is empty")
        utf8(text, "the article text")
        triples = _as_triples(facts, fmt) if facts else []
        described = sorted({t.subject.value for t in triples if t.predicate == _TYPE  # type: ignore[union-attr]  # RDF 1.1
                            and t.object.value == str(CKG.Article)})  # type: ignore[union-attr]  # RDF 1.1
        if article_id is not None:
            iri = iri_of(article_id)
        elif len(described) == 1:
            iri = described[0]
        else:
            raise InvalidInput("the facts describe no ckg:Article; give the article's id (--id)" if not described else
                               f"the facts describe {len(described)} articles ({', '.join(map(compact, described))}); "
                               "give the id of the one this text is (--id)")
        node = ox.NamedNode(iri)
        with self._gate.writing:
            stored = self._read_entity(iri)
            if stored is None and iri not in described:
                raise NotFound(f"no article {compact(iri)}: describe it (a ckg:Article with a dcterms:title) "
                               "in the facts")
            if stored is not None and str(CKG.Article) not in stored.types:
                raise InvalidInput(f"{compact(iri)} is not a ckg:Article")
            if stored is not None and article_text(stored) is not None:
                raise InvalidInput(f"{compact(iri)} already has its text; an article's text is written once")
            if lang is None:
                lang = next((t.object.value for t in triples if t.subject == node  # type: ignore[union-attr]  # RDF 1.1
                             and t.predicate.value == "http://purl.org/dc/terms/language"), None)
                lang = lang or (_article_language(stored) if stored is not None else None)
            if not lang:
                raise InvalidInput(f"no language for {compact(iri)}: give lang, or dcterms:language in the facts")
            lang_literal("", lang)  # a tag that is not BCP 47 is the caller's error
            new = [t for t in dict.fromkeys([*triples, *text_triples(iri, text, lang)]) if not _present(self.store, t)]
            self._validated_write([], new)
            return self.entity(iri)

    def remove_fact(self, subject_id: str, predicate: str, object_id: str) -> WriteResult:
        """Remove a fact and every statement that describes it."""
        fact = ox.Triple(ox.NamedNode(iri_of(subject_id)), ox.NamedNode(self.predicate_iri(predicate)),
                         ox.NamedNode(iri_of(object_id)))
        with self._gate.writing:
            if not _present(self.store, fact):
                raise NotFound(f"no fact {subject_id} {predicate} {object_id} in the graph")
            statements = [link.subject for link in self.store.triples(None, _SUBJECT, fact.subject)
                          if _present(self.store,
                                      ox.Triple(link.subject, ox.NamedNode(str(RDF.predicate)), fact.predicate))
                          and _present(self.store, ox.Triple(link.subject, ox.NamedNode(str(RDF.object)), fact.object))]
            remove = [fact] + [t for st in statements for t in self.store.triples(st, None, None)]
            return self._validated_write(remove, [])

    # ------------------------------------------------------------ whole-graph views

    def validate(self) -> list[Violation]:
        """Every violation in the whole graph (slow on big graphs: for tests and the CLI)."""
        triples = list(self.store.triples())  # one pattern match: one snapshot
        return self.validator.check_vocabulary(triples) + self.validator.validate(to_rdflib_graph(triples))

    def describe(self, nodes: Iterable[str], relations: Iterable[Relation]) -> list[ox.Triple]:
        """The triples that show a subgraph: the nodes' types and literals, the facts, their
        statements, and the articles those come from."""
        return self._gate.read(lambda: self._describe(list(nodes), list(relations)))

    def _describe(self, nodes: list[str], relations: list[Relation]) -> list[ox.Triple]:
        triples: list[ox.Triple] = []
        articles: set[str] = set()
        for node in nodes:
            triples += [t for t in self.store.triples(ox.NamedNode(node), None, None)
                        if t.predicate == _TYPE or isinstance(t.object, ox.Literal)]
        for r in relations:
            triples.append(ox.Triple(ox.NamedNode(r.subject), ox.NamedNode(r.predicate), ox.NamedNode(r.object)))
            for ev in r.evidence:
                triples += list(self.store.triples(ox.NamedNode(ev.statement), None, None))
                articles.add(ev.source)
        for article in sorted(articles):  # what names the source; its whole text is its own page's
            triples += [t for t in self.store.triples(ox.NamedNode(article), None, None)
                        if t.predicate == _TYPE or (isinstance(t.object, ox.Literal) and t.predicate != _TEXT)]
        return triples

    def ontology_triples(self) -> list[ox.Triple]:
        """The ontology's own triples, with the blank nodes of its union classes."""
        return self._gate.read(lambda: ontology_closure(self.store, ONTOLOGY_IRI))

    def ontology_terms(self) -> list[OntologyTerm]:
        """The ontology's classes and properties, unions of classes spelled out."""
        return ontology_terms(self.validator.ontology)

    @overload
    def export(self, fmt: str = "turtle", *, entity: str | None = None, depth: int = 1,
               ontology_only: bool = False, out: None = None) -> bytes: ...

    @overload
    def export(self, fmt: str = "turtle", *, entity: str | None = None, depth: int = 1,
               ontology_only: bool = False, out: IO[bytes]) -> None: ...

    def export(self, fmt: str = "turtle", *, entity: str | None = None, depth: int = 1,
               ontology_only: bool = False, out: IO[bytes] | None = None) -> bytes | None:
        """The whole graph, the ontology alone, or one entity's neighbourhood, serialised;
        written to ``out`` if given (the whole graph streams), else returned."""
        rdf_format(fmt)  # refuse an unknown format before any work
        if ontology_only or entity is not None:
            if ontology_only:
                data = serialize(self.ontology_triples(), fmt)
            else:
                def read() -> list[ox.Triple]:  # the neighbourhood and its triples from one state
                    sub = self.neighborhood(entity, depth)  # type: ignore[arg-type]
                    return self.describe(sub.nodes, sub.edges)
                data = serialize(self._gate.read(read), fmt)
            if out is None:
                return data
            out.write(data)
            return None
        if out is not None:
            write_snapshot(self.store, out, fmt)  # from one snapshot, taking no lock
            return None
        sink = io.BytesIO()
        write_snapshot(self.store, sink, fmt)
        return sink.getvalue()

    def stats(self) -> Stats:
        """Counts from one pass over one snapshot."""
        return count(self.store, self.classes)

    def to_rdflib(self) -> rdflib.Graph:
        """A copy of the graph as an ``rdflib.Graph``, for tools that expect one."""
        return to_rdflib_graph(self.store.triples())  # one snapshot

    def bulk_load(self, paths: Iterable[str | Path],
                  progress: Callable[[str, float | None], None] | None = None) -> WriteResult:
        """Load large files: staged, checked with the SPARQL-compiled shapes, committed at
        once (see ``bulk.py``); then the projection and name index are rebuilt from the store."""
        with self._gate.writing, self._gate.commit():  # not one transaction: readers wait for it
            added = bulk_load(self.store, self.validator, self.write_checks.checks, paths, progress)
            self._stored(lambda: self.store.update(BUMP))
            self.views.forget()  # rebuilt on next use
            self.entity_cache.changed((), None, self._version.last_seen + 1)  # all of it
            self._version.committed()
            return WriteResult(added=added, removed=0)

    def load(self, paths: Iterable[str | Path]) -> WriteResult:
        """Add files (``.ttl``, ``.nt``, ``.jsonld``, ``.trig``) as one checked write."""
        triples: list[ox.Triple] = []
        for path in paths:
            triples += parse_file(str(path), blank_nodes=True)
        return self.add(without_ontology(triples, ONTOLOGY_IRI))

    def close(self) -> None:
        self.store.close()


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _literal(value: LangString) -> ox.Literal:
    return lang_literal(value.value, value.lang)


def _present(store: TripleStore, t: ox.Triple) -> bool:
    return any(True for _ in store.triples(t.subject, t.predicate, t.object))


def _as_triples(data: str | bytes | rdflib.Graph | Iterable[ox.Triple], fmt: str) -> list[ox.Triple]:
    if isinstance(data, (str, bytes)):
        triples = parse_triples(data, rdf_format(fmt), blank_nodes=True)
    elif isinstance(data, rdflib.Graph):
        triples = parse_triples(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES,
                                blank_nodes=True)
    else:
        triples = list(data)
    return without_ontology(triples, ONTOLOGY_IRI)


def _article_language(article: Entity) -> str | None:
    values = article.attributes.get("http://purl.org/dc/terms/language", ())
    return values[0].value if values else None


__all__ = ["KnowledgeGraph", "Limits", "Stats"]
