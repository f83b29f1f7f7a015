"""Find what a read-only public endpoint must refuse in a SPARQL query before pyoxigraph
sees it: ``SERVICE`` (pyoxigraph would follow it to any URL), ``LOAD`` and ``FROM``.

Why a tokenizer and not the parsed algebra: pyoxigraph (0.5) parses a query only inside
``Store.query`` and exposes no algebra, and a second parser (rdflib's) would only show
what *that* parser reads, which is what an attacker probes. So this module reads the
query the way pyoxigraph's parser does, token by token, with the SPARQL 1.1 terminals:
``IRIREF`` (with the ``\\u`` escapes pyoxigraph accepts in it), the four string forms,
comments, ``VAR1``/``VAR2``, and ``PNAME_NS``/``PNAME_LN`` whose local part has the
grammar's ``PLX`` (``%hh`` and the ``\\`` escapes: ``ex:a\\#`` is one name, not a name
and a comment). It is a guard, so where it cannot be exact it errs towards refusing:

* pyoxigraph is a scannerless PEG parser and does not require a word boundary after a
  keyword: it reads ``ASKFROM <g>``, ``?s ?p trueSERVICE <u> {}`` and ``SERVICEex:x``
  as ``ASK FROM``, ``true SERVICE`` and ``SERVICE ex:x``. So every bare word, and the
  prefix of every prefixed name, is searched for the keywords as a *substring*
  (``ex:fromage`` passes, its ``fromage`` being a local name; ``from:x`` is refused).
  Local names, variable names, strings, IRIs and comments are never searched: the parser
  reads each of them greedily, to the same end as this tokenizer.
* ``<`` starts an IRI or is the less-than operator (``FILTER(?o<'x>')`` compares with
  the string ``'x>'``). Skipping it as an IRI where the parser reads an operator would
  put the scan out of step, inside a string the parser does not see. So both readings
  are followed and either one finding a keyword refuses; positions already read are
  merged, which keeps the scan linear. When ``<`` is followed by ``scheme://`` the
  operator reading cannot parse (``scheme:`` then ``//``), so only the IRI is read and
  ``<http://schema.org/Service>`` passes.
* Strings accept any ``\\``-escape (a superset of the grammar's): a string the parser
  accepts ends exactly where this one does, and one it rejects fails the whole query.
* A backslash anywhere else cannot be part of a query pyoxigraph accepts unless this
  tokenizer has misread it, so it is refused too.
* SPARQL's ``\\uXXXX`` escapes may be applied before parsing; pyoxigraph 0.5 applies
  them only inside strings and IRIs, but the query is also checked with them applied.

``tests/reliability/test_fuzz_sparql.py`` fuzzes this reading against pyoxigraph's own.
"""

from __future__ import annotations

import re

FORBIDDEN = frozenset({"SERVICE", "LOAD", "FROM"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"})
BACKSLASH = "a backslash outside strings, IRIs and prefixed names"

_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_PNAME = re.compile(f"({_PN_PREFIX})?:(?:{_PN_LOCAL})?")
_VAR = re.compile(f"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = re.compile(f'<(?:[^<>"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>')
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*://")
_STRINGS = (  # STRING_LITERAL_LONG1/2 first, then STRING_LITERAL1/2
    re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.S),
    re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.S),
    re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
    re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
)
_WORD = re.compile(f"[{_CHARS}.]+")
_NAME_START = re.compile(f"[{_CHARS}]")
_LINE_END = re.compile(r"[\n\r]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def code_words(query: str) -> set[str]:
    """Every bare word and prefixed-name prefix in any reading of ``query`` (and of it with
    ``\\u`` escapes applied), plus ``BACKSLASH`` if a backslash stands outside a token."""
    found = _scan(query)
    unescaped = _unescape(query)
    if unescaped != query:
        found |= _scan(unescaped)
    return found


def forbidden_keywords(query: str, keywords: frozenset[str] = FORBIDDEN) -> set[str]:
    """The ``keywords`` (upper case) that pyoxigraph could read in ``query``, plus
    ``BACKSLASH`` when the query has a backslash this reading cannot place."""
    words = code_words(query)
    pattern = re.compile("|".join(sorted(keywords)), re.IGNORECASE | re.ASCII)
    found = {match.upper() for word in words for match in pattern.findall(word)}
    return found | ({BACKSLASH} & words)


def update_keywords(query: str) -> set[str]:
    """Update keywords standing as whole words (only to word an error message well)."""
    return {word.upper() for word in code_words(query)} & UPDATE_KEYWORDS


def _unescape(text: str) -> str:
    def codepoint(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group(0)
    return _CODEPOINT.sub(codepoint, text)


def _string_end(text: str, i: int) -> int | None:
    for pattern in _STRINGS:
        match = pattern.match(text, i)
        if match:
            return match.end()
    return None


def _scan(text: str) -> set[str]:
    words: set[str] = set()
    visited: set[int] = set()
    starts = [0]  # positions where some reading of the text is between tokens
    while starts:
        i = starts.pop()
        while i < len(text) and i not in visited:
            visited.add(i)
            i = _step(text, i, words, starts)
    return words


def _step(text: str, i: int, words: set[str], starts: list[int]) -> int:
    """Read the token at ``i``; record its code words; return where the next one starts."""
    char = text[i]
    if char == "#":
        end = _LINE_END.search(text, i)
        return len(text) if end is None else end.end()
    if char in "'\"":
        close = _string_end(text, i)
        return close if close is not None else i + 1
    if char == "<":
        iri = _IRIREF.match(text, i)
        if iri and _ABSOLUTE.match(text, i):
            return iri.end()  # "<http://": never a comparison (see the module docstring)
        if iri:
            starts.append(iri.end())  # the IRI reading; the operator reading goes on below
        return i + 1
    if char in "?$":
        var = _VAR.match(text, i)
        return var.end() if var else i + 1
    if char == "\\":
        words.add(BACKSLASH)
        return i + 1
    if char == ":" or _NAME_START.match(char):
        name = _PNAME.match(text, i)
        if name:
            words.add(name.group(1) or "")
            return name.end()
        if char != ":":
            word = _WORD.match(text, i)
            assert word is not None
            words.add(word.group())
            return word.end()
    return i + 1


__all__ = ["BACKSLASH", "FORBIDDEN", "UPDATE_KEYWORDS", "code_words", "forbidden_keywords", "update_keywords"]
