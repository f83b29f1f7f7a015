"""The shapes compiled to SPARQL queries that the store itself runs: validation at scale.

pySHACL is the reference validator, but it walks an in-memory rdflib graph in Python:
about a second for the 1,100-triple seed, so minutes for a million triples. Here each
constraint of ``seed/shapes.ttl`` becomes one SPARQL query that selects its violations,
evaluated by Oxigraph in Rust. Only the SHACL features chipkg's shapes use are
supported, and compiling anything else raises, so the shapes cannot drift silently
beyond what this checker understands. Tests run both validators on the seed and on
every known-bad input and require the same verdicts.

Every query can be confined to the nodes of one named graph (``scope``): a bulk load
stages its data there and only the staged data's nodes are checked, against the union
of what is already stored and what is staged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from .errors import InvalidInput, Violation
from .sparql_rewrite import inline_select
from .vocab import compact

_SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
_NODE_KEYS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH["class"], SH["or"],
              SH["not"], SH.nodeKind, SH.message, SH.sparql, RDF.type}
_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.uniqueLang, SH.qualifiedValueShape,
                  SH.qualifiedMinCount, SH["class"], SH.nodeKind, SH.minInclusive, SH["in"], SH.message}

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes whose lexical forms Oxigraph's casts check (an ill-formed value fails the cast).
_CASTABLE = frozenset(_XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime",
                                         "gYear"))
_ILL = "\u0001ill-formed"


@dataclass(frozen=True)
class Check:
    """One constraint as a query selecting ``?this`` (and maybe ``?value``) that violate it."""

    shape: str
    message: str
    path: str | None
    where: str  # a group graph pattern binding ?this (and ?value)
    focused: str  # the same for a ?this bound beforehand (VALUES): the target tested, sh:sparql inlined

    def query(self, scope: str | None) -> str:
        confine = ""
        if scope is not None:
            confine = (f"FILTER EXISTS {{ GRAPH <{scope}> {{ {{ ?this ?_p ?_o }} UNION {{ ?_s ?_p ?this }} }} }}")
        return f"SELECT DISTINCT ?this ?path ?value WHERE {{ {self.where} {confine} }}"


def _check(shape: str, message: str, path: str | None, target: str, constraint: str,
           focused: str | None = None) -> Check:
    """A check whose ``focused`` form tests the target once per node (``FILTER EXISTS``):
    joined, a node that is the subject of 200 facts would be checked 200 times over."""
    return Check(shape, message, path, f"{target} {constraint}",
                 f"FILTER EXISTS {{ {target} }} {focused if focused is not None else constraint}")


def _classes_of(g: rdflib.Graph, shape: rdflib.term.Node, inner: rdflib.term.Node) -> list[rdflib.term.Node]:
    """The classes an ``sh:not``'s shape names: exactly one ``sh:class``, or an ``sh:or`` of
    shapes that are each exactly one ``sh:class``. Anything more (two classes in one shape
    mean "both", a member with another constraint) would not mean "any of them": refused."""
    def single_class(node: rdflib.term.Node) -> rdflib.term.Node | None:
        classes = list(g.objects(node, SH["class"]))
        return classes[0] if set(g.predicates(node)) == {SH["class"]} and len(classes) == 1 else None

    alternatives = list(g.objects(inner, SH["or"]))
    if set(g.predicates(inner)) == {SH["or"]} and len(alternatives) == 1:
        classes = [single_class(member) for member in Collection(g, alternatives[0])]
    else:
        classes = [single_class(inner)]
    if not classes or any(c is None for c in classes):
        raise InvalidInput(f"shapes: {shape}: only sh:not of one sh:class, or of an sh:or of such shapes, "
                           "is compiled")
    return [c for c in classes if c is not None]


def _term(node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    raise InvalidInput(f"shapes: cannot compile the term {node!r}")


class ShapeChecks:
    """Every constraint of a shapes graph, compiled once."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        self.checks: list[Check] = []
        # Prefixes that sh:sparql constraints use, from the shapes' sh:declare blocks.
        self.prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                         for d in shapes.objects(None, SH.declare)}
        for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
            self.checks += list(self._node_shape(shapes, shape))

    def _node_shape(self, g: rdflib.Graph, shape: rdflib.term.Node) -> Iterable[Check]:
        unknown = {p for p in g.predicates(shape) if p not in _NODE_KEYS}
        if unknown:
            raise InvalidInput(f"shapes: {shape} uses {sorted(map(str, unknown))}, which the SPARQL checker "
                               "does not compile; extend graph/shacl_sparql.py")
        targets = [f"{{ ?this {_SUBCLASS} {_term(c)} }}" for c in g.objects(shape, SH.targetClass)]
        targets += [f"{{ ?this {_term(p)} ?_t }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        targets += [f"{{ ?_t {_term(p)} ?this }}" for p in g.objects(shape, SH.targetObjectsOf)]
        if not targets:
            return
        target = " UNION ".join(targets)
        message = str(g.value(shape, SH.message) or "breaks a shape")
        name = str(shape)
        for cls in g.objects(shape, SH["class"]):
            yield _check(name, message, None, target, f"FILTER NOT EXISTS {{ ?this {_SUBCLASS} {_term(cls)} }}")
        for alternatives in g.objects(shape, SH["or"]):
            classes = [g.value(member, SH["class"]) for member in Collection(g, alternatives)]
            if any(c is None for c in classes):
                raise InvalidInput(f"shapes: {shape}: only sh:or of sh:class is compiled")
            missing = " ".join(f"FILTER NOT EXISTS {{ ?this {_SUBCLASS} {_term(c)} }}"
                               for c in classes if c is not None)
            yield _check(name, message, None, target, missing)
        for negated in g.objects(shape, SH["not"]):
            present = " UNION ".join(f"{{ ?this {_SUBCLASS} {_term(c)} }}" for c in _classes_of(g, shape, negated))
            yield _check(name, message, None, target, f"FILTER EXISTS {{ {present} }}")
        if (shape, SH.nodeKind, SH.IRI) in g:
            yield _check(name, message, None, target, "FILTER(!isIRI(?this))")
        for sparql in g.objects(shape, SH.sparql):
            # The constraint's own SELECT becomes a subquery; its ?path and ?value show.
            select = str(g.value(sparql, SH.select)).replace("$this", "?this")
            # Evaluated alone, the subquery would check every node before the join with
            # the target; joined in, a write's few focus nodes bind ?this first.
            inlined = inline_select(select)
            yield _check(name, str(g.value(sparql, SH.message) or message), None, target, f"{{ {select} }}", inlined)
        for prop in g.objects(shape, SH.property):
            yield from self._property(g, name, target, prop)

    def _property(self, g: rdflib.Graph, shape: str, target: str, prop: rdflib.term.Node) -> Iterable[Check]:
        unknown = {p for p in g.predicates(prop) if p not in _PROPERTY_KEYS}
        path = g.value(prop, SH.path)
        if unknown or not isinstance(path, rdflib.URIRef):
            raise InvalidInput(f"shapes: a property shape of {shape} uses {sorted(map(str, unknown))} or a "
                               "complex path, which the SPARQL checker does not compile")
        p = _term(path)
        message = str(g.value(prop, SH.message) or "breaks a shape")

        def check(where: str) -> Check:
            return _check(shape, message, str(path), target, where)

        if g.value(prop, SH.minCount) is not None:
            if int(str(g.value(prop, SH.minCount))) != 1:  # a literal's lexical form
                raise InvalidInput("shapes: only sh:minCount 1 is compiled")
            yield check(f"FILTER NOT EXISTS {{ ?this {p} ?_v }}")
        if g.value(prop, SH.maxCount) is not None:
            if int(str(g.value(prop, SH.maxCount))) != 1:
                raise InvalidInput("shapes: only sh:maxCount 1 is compiled")
            # No ?value: pySHACL names the node, not one of its values, for sh:maxCount.
            yield check(f"?this {p} ?_one , ?_other FILTER(?_one != ?_other)")
        datatype = g.value(prop, SH.datatype)
        if datatype is not None:
            # pySHACL also refuses an ill-formed value of the right datatype ("abc"^^xsd:integer):
            # Oxigraph keeps its datatype, so test the lexical form with a cast that must succeed.
            ill_formed = ""
            if str(datatype) in _CASTABLE:
                ill_formed = (f' || sameTerm(COALESCE({_term(datatype)}(STR(?value)), "{_ILL}"), "{_ILL}")')
            yield check(f"?this {p} ?value FILTER(!isLiteral(?value) || datatype(?value) != {_term(datatype)}"
                        f"{ill_formed})")
        if g.value(prop, SH.uniqueLang) == rdflib.Literal(True):
            # One result per node, like pySHACL, not one per clashing value.
            yield check(f"?this {p} ?_one , ?_other FILTER(?_one != ?_other && lang(?_one) != \"\" "
                        f"&& lang(?_one) = lang(?_other))")
        cls = g.value(prop, SH["class"])
        if cls is not None:
            yield check(f"?this {p} ?value FILTER NOT EXISTS {{ ?value {_SUBCLASS} {_term(cls)} }}")
        if g.value(prop, SH.nodeKind) == SH.IRI:
            yield check(f"?this {p} ?value FILTER(!isIRI(?value))")
        minimum = g.value(prop, SH.minInclusive)
        if minimum is not None:
            yield check(f"?this {p} ?value FILTER(?value < {_term(minimum)})")
        allowed = g.value(prop, SH["in"])
        if allowed is not None:
            listed = ", ".join(_term(v) for v in Collection(g, allowed))
            yield check(f"?this {p} ?value FILTER(?value NOT IN ({listed}))")
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            if int(str(g.value(prop, SH.qualifiedMinCount) or 0)) != 1:
                raise InvalidInput("shapes: only sh:qualifiedMinCount 1 is compiled")
            yield check(f"FILTER NOT EXISTS {{ ?this {p} ?_v FILTER({self._value_test(g, qualified)}) }}")

    @staticmethod
    def _value_test(g: rdflib.Graph, shape: rdflib.term.Node) -> str:
        langs = g.value(shape, SH.languageIn)
        if langs is not None:
            return " || ".join(f'langMatches(lang(?_v), "{lang}")' for lang in Collection(g, langs))
        allowed = g.value(shape, SH["in"])
        if allowed is not None:
            return f"?_v IN ({', '.join(_term(v) for v in Collection(g, allowed))})"
        raise InvalidInput("shapes: only sh:languageIn and sh:in are compiled inside sh:qualifiedValueShape")

    def run(self, store: ox.Store, *, scope: str | None = None) -> list[Violation]:
        """Every violation in ``store`` (its default graph, plus ``scope`` if given)."""
        found: set[Violation] = set()
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = \
            None if scope is None else [ox.DefaultGraph(), ox.NamedNode(scope)]
        for check in self.checks:
            rows = cast(ox.QuerySolutions,  # every check is a SELECT
                        store.query(check.query(scope), default_graph=graphs, prefixes=self.prefixes))
            for row in rows:
                found.add(violation(check, row))
        return sorted(found, key=str)


def violation(check: Check, row: ox.QuerySolution) -> Violation:
    """The violation a result row of ``check`` reports (``?this``, ``?path``, ``?value``)."""
    focus, value, path = row["this"], row["value"], row["path"]
    path_iri = path.value if isinstance(path, ox.NamedNode) else check.path
    return Violation(focus=_show(focus), message=check.message, path=compact(path_iri) if path_iri else None,
                     value=_show(value) if value is not None and value != focus else None)


def _show(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    text = term.value
    return repr(text if len(text) <= 60 else text[:57] + "...")


__all__ = ["Check", "ShapeChecks", "violation"]
