"""Two rewrites of the SPARQL that the compiled shapes run, so a single write can be checked
against "the store after the write" without the write being visible to anyone.

The added triples of a write are staged in a scratch named graph and queried together
with the default graph (``default_graph=[default, scratch]``), which needs no rewrite.
Removed triples cannot be hidden that way: a query cannot subtract a graph. So every
triple pattern of a check is rewritten to skip the triples staged as removed::

    ?this rdfs:label ?_v   →   ?this rdfs:label ?_v . FILTER NOT EXISTS { GRAPH <R> { ?this rdfs:label ?_v } }

The rewrite works on tokens and understands the part of SPARQL the shapes use: groups,
triple patterns with ``;`` and ``,``, ``OPTIONAL``, ``MINUS``, ``UNION``, ``FILTER``
(with ``EXISTS``/``NOT EXISTS`` groups inside), ``BIND``, ``VALUES`` and the path
``p1/p2*`` (its closure step is the ontology's class hierarchy, which writes never
change). Anything else raises ``Unsupported`` and the caller falls back to pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<skip>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
               (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>\s]*>|[A-Za-z][\w-]*:[\w-]*))?)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<pname>(?:[A-Za-z][\w-]*)?:(?:[\w%-]|\.(?=[\w%-]))*)
  | (?P<number>[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<punct>&&|\|\||!=|<=|>=|[{}().;,*/+|^!=<>?\[\]-])
""", re.X)
_TERMS = ("iri", "string", "var", "pname", "number")
_KEYWORDS = {"FILTER", "OPTIONAL", "MINUS", "UNION", "BIND", "VALUES", "GRAPH", "SERVICE", "SELECT"}


class Unsupported(ValueError):
    """The query uses SPARQL this rewrite does not understand."""


class _Token(str):
    kind: str

    def __new__(cls, text: str, kind: str) -> _Token:
        token = super().__new__(cls, text)
        token.kind = kind
        return token

    @property
    def is_term(self) -> bool:
        return self.kind in _TERMS or (self.kind == "word" and self in ("a", "true", "false"))


def tokens(text: str) -> list[_Token]:
    found, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise Unsupported(f"cannot read the SPARQL at {text[at:at + 20]!r}")
        at = match.end()
        if match.lastgroup != "skip":
            found.append(_Token(match.group(), match.lastgroup or ""))
    return found


def join(toks: Sequence[str]) -> str:
    """Tokens back to text. A word stays against its ``(``: Oxigraph 0.5 refuses some
    built-ins written with a space before the argument list (``COALESCE (?v)``)."""
    out: list[str] = []
    for i, tok in enumerate(toks):
        if i and not (tok == "(" and getattr(toks[i - 1], "kind", "") == "word"):
            out.append(" ")
        out.append(tok)
    return "".join(out)


def inline_select(select: str) -> str | None:
    """The WHERE body of a plain ``SELECT vars WHERE { … }`` with its variables that are
    not projected renamed apart, so it can be joined into a focused query; ``None`` when
    the SELECT has modifiers or expressions and must stay a subquery."""
    toks = tokens(select.replace("$this", "?this"))
    if not toks or toks[0].upper() != "SELECT":
        return None
    i, projected = 1, set()
    while i < len(toks) and toks[i].kind == "var":
        projected.add(toks[i][1:])
        i += 1
    if i < len(toks) and toks[i].upper() == "WHERE":
        i += 1
    if not projected or i >= len(toks) or toks[i] != "{" or _close(toks, i) != len(toks) - 1:
        return None
    body = [t if t.kind != "var" or t[1:] in projected else _Token(f"?_q_{t[1:]}", "var") for t in toks[i + 1:-1]]
    return join(body)


def _close(toks: list[_Token], start: int) -> int:
    depth = 0
    for i in range(start, len(toks)):
        depth += toks[i] == "{"
        depth -= toks[i] == "}"
        if depth == 0:
            return i
    raise Unsupported("unbalanced braces")


def optional_as_minus(where: str) -> str:
    """``OPTIONAL { G } FILTER(!BOUND(?x))`` as ``MINUS { G }`` or ``FILTER NOT EXISTS { G }``:
    the same rows when ``G`` is triple patterns only, binds ``?x``, shares a variable with
    what precedes it and ``?x`` appears nowhere else. Oxigraph runs the optional as a
    nested loop (41 s for a node with 3,237 facts at 1M triples).

    The write checks bind ``?this`` to one node. A ``G`` that mentions ``?this`` then reads
    that node's neighbourhood, which ``MINUS`` joins by hash (38 ms for that node). A ``G``
    that does not would be read for the whole store, since Oxigraph evaluates the ``MINUS``
    side on its own (1.3 s for the evidence sentences at 1M): it becomes ``FILTER NOT
    EXISTS``, one lookup per row with the row's values (0.3 ms)."""
    toks = tokens(where)
    out: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i].upper() == "OPTIONAL" and i + 1 < len(toks) and toks[i + 1] == "{":
            end = _close(toks, i + 1)
            inner = toks[i + 2:end]
            tail = [str(t) for t in toks[end + 1:end + 9]]
            if len(tail) == 8 and [tail[0].upper(), tail[1], tail[2], tail[3].upper(), tail[4], tail[6], tail[7]] \
                    == ["FILTER", "(", "!", "BOUND", "(", ")", ")"]:
                var = tail[5]
                inner_vars = {t for t in inner if t.kind == "var"}
                rest = [t for t in toks[:i] + toks[end + 9:] if t.kind == "var"]
                plain = all(t.is_term or t in (".", ";", ",") for t in inner)
                if plain and var in inner_vars and var not in rest and inner_vars & set(toks[:i]):
                    negation = ["MINUS"] if "?this" in inner_vars else ["FILTER", "NOT", "EXISTS"]
                    out += [*negation, "{", *inner, "}"]
                    i = end + 9
                    continue
        out.append(toks[i])
        i += 1
    return join(out)


def bound(where: str, node: str) -> str:
    """``where`` with ``?this`` replaced by the constant ``node`` (an N-Triples IRI)."""
    return join([_Token(node, "iri") if t.kind == "var" and t[1:] == "this" else t for t in tokens(where)])


@dataclass(frozen=True)
class ForNode:
    """A group to run for one node at a time: ``bound`` with the text tokenized once, for
    a check bound to a new node on every write (tokenizing each anew cost 8 ms a write)."""

    parts: tuple[str, ...]  # the text between the occurrences of ?this

    @classmethod
    def of(cls, where: str) -> ForNode:
        parts: list[str] = []
        segment: list[str] = []  # tokens (a _Token is a str)
        for t in tokens(where):
            if t.kind == "var" and t[1:] == "this":
                parts.append(join(segment))
                segment = []
            else:
                segment.append(t)
        return cls((*parts, join(segment)))

    def bound(self, node: str) -> str:
        return f" {node} ".join(self.parts)


def split_target(where: str) -> tuple[str, str]:
    """A focused check ``FILTER EXISTS { target } constraint`` as ``(target, constraint)``."""
    toks = tokens(where)
    if len(toks) < 3 or [toks[0].upper(), toks[1].upper(), toks[2]] != ["FILTER", "EXISTS", "{"]:
        raise Unsupported("not a focused check")
    end = _close(toks, 2)
    return join(toks[3:end]), join(toks[end + 1:])


def without(where: str, graph: str) -> str:
    """``where`` (the inside of a group) with every triple pattern skipping the triples of
    the named graph ``graph``."""
    toks = tokens("{ " + where + " }")
    out, end = _Rewrite(toks, f"<{graph}>").group(0)
    if end != len(toks):
        raise Unsupported("text after the query's end")
    return join(out[1:-1])


class _Rewrite:
    def __init__(self, toks: list[_Token], graph: str) -> None:
        self.toks, self.graph, self.fresh = toks, graph, 0

    def group(self, i: int) -> tuple[list[str], int]:
        toks, out, filters = self.toks, ["{"], []
        if toks[i] != "{":
            raise Unsupported(f"expected a group, found {toks[i]!r}")
        i += 1
        while i < len(toks) and toks[i] != "}":
            t, word = toks[i], toks[i].upper()
            if t == "{":
                sub, i = self.group(i)
                out += sub
            elif t == ".":
                if out[-1] != ".":  # triple patterns below are already closed with one
                    out.append(t)
                i += 1
            elif word in ("OPTIONAL", "MINUS", "UNION"):
                sub, i = self.group(i + 1)
                out += [t, *sub]
            elif word == "FILTER":
                sub, i = self.constraint(i + 1)
                out += [t, *sub]
            elif word == "BIND":
                sub, i = self.expression(i + 1)
                out += [t, *sub]
            elif word == "VALUES":
                end = _close(toks, toks.index("{", i))  # type: ignore[arg-type]
                out += toks[i:end + 1]
                i = end + 1
            elif t.is_term and word not in _KEYWORDS:
                triples, i = self.triples(i)
                for s, p, o, written in triples:
                    out += [s, p, o, "."]
                    if written:
                        filters += ["FILTER", "NOT", "EXISTS", "{", "GRAPH", self.graph, "{", s, p, o, "}", "}"]
            else:
                raise Unsupported(f"the rewrite does not handle {t!r}")
        if i >= len(toks):
            raise Unsupported("unbalanced braces")
        return out + filters + ["}"], i + 1

    def constraint(self, i: int) -> tuple[list[str], int]:
        toks = self.toks
        if toks[i].upper() == "NOT" and toks[i + 1].upper() == "EXISTS":
            sub, i = self.group(i + 2)
            return ["NOT", "EXISTS", *sub], i
        if toks[i].upper() == "EXISTS":
            sub, i = self.group(i + 1)
            return ["EXISTS", *sub], i
        if toks[i] == "(":
            return self.expression(i)
        if toks[i].kind in ("word", "pname", "iri") and toks[i + 1] == "(":  # FILTER isIRI(?x)
            name = toks[i]
            sub, i = self.expression(i + 1)
            return [name, *sub], i
        raise Unsupported(f"the rewrite does not handle FILTER {toks[i]!r}")

    def expression(self, i: int) -> tuple[list[str], int]:
        """A parenthesised expression, copied, with any EXISTS groups in it rewritten."""
        toks, out, depth = self.toks, [], 0
        while i < len(toks):
            t = toks[i]
            if t == "{":
                sub, i = self.group(i)
                out += sub
                continue
            out.append(t)
            depth += t == "("
            depth -= t == ")"
            i += 1
            if depth == 0:
                return out, i
        raise Unsupported("unbalanced parentheses")

    def triples(self, i: int) -> tuple[list[tuple[str, str, str, bool]], int]:
        """The triple patterns from ``i`` on, each saying whether a write can change it."""
        toks, found = self.toks, []
        subject = toks[i]
        i += 1
        while True:
            steps, i = self.predicate(i)
            while True:
                obj = toks[i]
                if not obj.is_term:
                    raise Unsupported(f"the rewrite does not handle the object {obj!r}")
                found += self._path(subject, steps, obj)
                i += 1
                if toks[i] != ",":
                    break
                i += 1
            if toks[i] != ";":
                return found, i
            i += 1
            if not toks[i].is_term or toks[i].upper() in _KEYWORDS:
                return found, i

    def predicate(self, i: int) -> tuple[list[str], int]:
        toks = self.toks
        if not toks[i].is_term:
            raise Unsupported(f"the rewrite does not handle the predicate {toks[i]!r}")
        steps = [str(toks[i])]
        i += 1
        if toks[i] == "/":
            if not toks[i + 1].is_term or toks[i + 2] != "*":
                raise Unsupported("only the path p1/p2* is handled")
            steps.append(toks[i + 1] + "*")
            i += 3
        elif toks[i] in ("*", "+", "|", "^", "?"):
            raise Unsupported(f"the rewrite does not handle the path operator {toks[i]!r}")
        return steps, i

    def _path(self, subject: str, steps: list[str], obj: str) -> list[tuple[str, str, str, bool]]:
        if len(steps) == 1:
            return [(subject, steps[0], obj, True)]
        # s p1/p2* o  →  s p1 ?v . ?v p2* o ; only the p1 step can be a written triple.
        self.fresh += 1
        step = f"?_step{self.fresh}"
        return [(subject, steps[0], step, True), (step, steps[1], obj, False)]


# ------------------------------------------------------------ what an addition can break

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# Inside a group that must not match, these could make it match less when triples are added.
_NOT_MONOTONE = {"EXISTS", "MINUS", "OPTIONAL", "GRAPH", "SERVICE", "SELECT"}


@dataclass(frozen=True)
class TriplePattern:
    """A triple pattern's three positions, each a variable (``?v``), a constant in N-Triples
    form, or ``None`` for a constant written in a form not normalised here (a literal),
    which is taken to match anything: an over-eager match only means one more query."""

    subject: str | None
    predicate: str | None
    object: str | None

    def match(self, triple: tuple[str, str, str]) -> dict[str, str] | None:
        """The variables bound by matching ``triple`` (N-Triples terms), or ``None``."""
        bindings: dict[str, str] = {}
        for mine, term in zip((self.subject, self.predicate, self.object), triple, strict=True):
            if mine is None:
                continue
            if mine.startswith("?"):
                if bindings.setdefault(mine, term) != term:
                    return None
            elif mine != term:
                return None
        return bindings


@dataclass(frozen=True)
class Confined:
    """A constraint with one of its joined triple patterns read from the added triples only."""

    pattern: TriplePattern  # the pattern that is confined
    where: str


def target_patterns(target: str, prefixes: dict[str, str]) -> list[TriplePattern]:
    """The triple patterns of a target test (a ``UNION`` of groups of triple patterns). A
    node that was no target becomes one only through an added triple one of them matches;
    a path ``p1/p2*`` gives a pattern per step."""
    return _patterns(target, prefixes, negations=False)


def every_pattern(where: str, prefixes: dict[str, str]) -> list[TriplePattern]:
    """The triple patterns anywhere in ``where``, in groups, ``UNION``s, ``MINUS`` and
    ``FILTER [NOT] EXISTS`` alike: an added triple that matches none of them leaves its
    answer as it was. For a constraint ``confined`` cannot take apart (a ``FILTER EXISTS``
    gains rows from added triples): it runs whole, but only for the nodes an added triple
    reaches. Raises ``Unsupported`` for anything else (``OPTIONAL``, subqueries, a
    ``FILTER`` expression holding a group)."""
    return list(dict.fromkeys(_patterns(where, prefixes, negations=True)))  # UNION branches repeat path steps


def _patterns(text: str, prefixes: dict[str, str], *, negations: bool) -> list[TriplePattern]:
    """The triple patterns of groups and ``UNION``s of them; with ``negations``, also those
    under ``MINUS`` and ``FILTER [NOT] EXISTS``, and ``FILTER`` expressions skipped."""
    toks = tokens(text + " .")  # a triple pattern ends before the text does
    found: list[TriplePattern] = []
    i = 0
    while i < len(toks):
        word = toks[i].upper()
        if negations and word == "FILTER" and toks[i + 1].upper() not in ("NOT", "EXISTS"):
            end = _expression_end(toks, i + 1)
            if "{" in toks[i:end]:
                raise Unsupported("a FILTER expression with a group")
            i = end
        elif toks[i] in ("{", "}", ".") or word == "UNION" or (
                negations and word in ("FILTER", "MINUS", "NOT", "EXISTS")):
            i += 1
        elif toks[i].is_term and word not in _KEYWORDS:
            triples, i = _Rewrite(toks, "").triples(i)
            # A closure step can match anywhere along the chain, so neither end is known.
            found += [_pattern(s, p, o, prefixes) if written
                      else TriplePattern(None, _position(p.rstrip("*"), prefixes), None)
                      for s, p, o, written in triples]
        else:
            raise Unsupported(f"{'a constraint' if negations else 'a target test'} with {toks[i]!r}")
    return found


def confined(constraint: str, graph: str, prefixes: dict[str, str]) -> list[Confined]:
    """For a write that only adds triples, staged in the named graph ``graph``: the
    constraint once per triple pattern it joins on, with that pattern read from ``graph``.

    If the node conformed before the write, a row that violates the constraint after it
    must use an added triple in one of those patterns: the rest of the constraint only
    tests the row's values or must not match (``FILTER NOT EXISTS``, ``MINUS``: triples
    added can only remove rows). So these forms together find every new violation, each
    starting from the few added triples rather than from the node's whole neighbourhood
    (the 2,355 facts of the largest hub at 1M, 30–45 ms as a hash ``MINUS``). A constraint
    that joins nothing (``FILTER NOT EXISTS { ?this p ?v }``) has no forms: only a node
    that just became a target can break it.

    The groups that must not match become ``FILTER NOT EXISTS``, one lookup per row, and
    are tried against the added triples first: a valid write usually adds what they look
    for (a new fact's statement), and Oxigraph, which plans the group without knowing the
    row's values, would otherwise scan every statement of the hub (0.7 s) to find it
    (0.2 ms). Matching in the added triples implies matching in the store after the
    write, so the answer is unchanged.

    Raises ``Unsupported`` for anything else (a path, ``OPTIONAL``, ``UNION``, ``EXISTS``
    outside a negation, a negation inside a negation): the caller checks such a
    constraint whole."""
    toks = tokens(constraint + " .")  # a triple pattern ends before the text does
    joined: list[tuple[str, str, str]] = []
    tests: list[str] = []
    negated: list[list[_Token]] = []
    i = 0
    while i < len(toks):
        word = toks[i].upper()
        if toks[i] == ".":
            i += 1
        elif word == "MINUS" or [t.upper() for t in toks[i:i + 3]] == ["FILTER", "NOT", "EXISTS"]:
            start = i + (1 if word == "MINUS" else 3)
            end = _close(toks, start)
            negated.append(_monotone(toks[start + 1:end]))
            if word == "MINUS":
                _minus_is_not_exists(toks[start + 1:end], toks[:i])
            i = end + 1
        elif word == "FILTER":
            end = _expression_end(toks, i + 1)
            if "{" in toks[i:end]:
                raise Unsupported("a FILTER with EXISTS can gain rows from added triples")
            tests += toks[i:end]
            i = end
        elif toks[i].is_term and word not in _KEYWORDS:
            triples, i = _Rewrite(toks, "").triples(i)
            if not all(written for *_, written in triples):
                raise Unsupported("a path among the joined patterns")
            joined += [(s, p, o) for s, p, o, _ in triples]
        else:
            raise Unsupported(f"the confined rewrite does not handle {toks[i]!r}")
    negations = [tok for group in negated for tok in _tried_on_staged(group, graph)]
    forms = []
    for j, (s, p, o) in enumerate(joined):
        others = [tok for k, pattern in enumerate(joined) if k != j for tok in (*pattern, ".")]
        where = join(["GRAPH", f"<{graph}>", "{", s, p, o, "}", *others, *tests, *negations])
        forms.append(Confined(_pattern(s, p, o, prefixes), where))
    return forms


def _minus_is_not_exists(group: list[_Token], before: list[_Token]) -> None:
    """``MINUS { G }`` reads as ``FILTER NOT EXISTS { G }`` after triple patterns (which bind
    every variable) only if ``G`` shares a variable with them: a ``MINUS`` with none removes
    nothing."""
    if not {t for t in group if t.kind == "var"} & {t for t in before if t.kind == "var"}:
        raise Unsupported("a MINUS that shares no variable")


def _monotone(group: list[_Token]) -> list[_Token]:
    """``group`` if adding triples can only give it more solutions, which a negation of it
    needs to only ever remove rows."""
    if any(t.upper() in _NOT_MONOTONE for t in group):
        raise Unsupported("a negation of a group that is itself negated or scoped")
    return group


def _tried_on_staged(group: list[_Token], graph: str) -> list[str]:
    """``FILTER NOT EXISTS { group }`` that looks in ``graph`` first. ``IF`` evaluates one
    branch only (SPARQL 1.1, 17.4.1.2); ``… && …`` would not do: Oxigraph splits it into
    two filters and orders them by hash, so half the writes on a hub took 0.65 s."""
    return ["FILTER", "(", "IF", "(", "EXISTS", "{", "GRAPH", f"<{graph}>", "{", *group, "}", "}", ",", "false", ",",
            "NOT", "EXISTS", "{", *group, "}", ")", ")"]


def _expression_end(toks: list[_Token], i: int) -> int:
    """The index after ``FILTER``'s expression that starts at ``i``: ``( … )`` or ``f( … )``."""
    if i < len(toks) and toks[i] != "(":
        i += 1  # FILTER isIRI(?x): the function's name, then its arguments
    if i >= len(toks) or toks[i] != "(":
        raise Unsupported("a FILTER without parentheses")
    depth = 0
    for j in range(i, len(toks)):
        depth += toks[j] == "("
        depth -= toks[j] == ")"
        if depth == 0:
            return j + 1
    raise Unsupported("unbalanced parentheses")


def _pattern(s: str, p: str, o: str, prefixes: dict[str, str]) -> TriplePattern:
    return TriplePattern(_position(s, prefixes), _position(p, prefixes), _position(o, prefixes))


def _position(term: str, prefixes: dict[str, str]) -> str | None:
    """A pattern position as a variable or an N-Triples constant (``None``: a literal)."""
    if term[0] in "?$":
        return "?" + term[1:]
    if term.startswith("<"):
        return term
    if term == "a":
        return _RDF_TYPE
    if ":" in term and term[0] not in "\"'" and not term[0].isdigit():
        prefix, local = term.split(":", 1)
        if prefix not in prefixes:
            raise Unsupported(f"the prefix {prefix!r} is not declared")
        return f"<{prefixes[prefix]}{local}>"
    return None


__all__ = ["Confined", "ForNode", "TriplePattern", "Unsupported", "bound", "confined", "every_pattern", "inline_select",
           "optional_as_minus", "split_target", "target_patterns", "tokens", "without"]
