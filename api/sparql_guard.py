"""Find the SPARQL keywords a read-only public endpoint must refuse: ``SERVICE``, ``LOAD``,
``FROM`` (and ``FROM NAMED``).

Why a token scan and not the parsed algebra: pyoxigraph (0.5) parses queries only
inside ``Store.query`` and exposes no algebra, and it *does* evaluate ``SERVICE`` by
making HTTP requests, so the query must be refused before it reaches the store. Using a
second parser (rdflib's) to inspect the algebra would mean trusting that two parsers
read every query the same way, which is the very assumption an attacker probes.

Why this scan is safe (it may refuse a harmless query, never pass a harmful one):

* Keywords are case-insensitive ASCII letters with no escapes, so a keyword is always a
  maximal run of ASCII letters in the text the parser reads. The scan looks at every
  such run outside comments, strings and IRIs, and refuses on a match. Runs are split at
  every non-letter, so the scan's words are never *longer* than the parser's tokens
  (``ex:SERVICE``, ``x-from`` and ``from2`` are refused: harmless false positives).
* The only run it exempts is one right after ``?`` or ``$``: that is a variable name
  (``?from``), and nothing in the grammar lets ``?``/``$`` end one token and a keyword
  start the next. It does *not* exempt prefixed names: pyoxigraph reads ``SERVICE:x``
  as ``SERVICE :x`` when the empty prefix is declared.
* Comments, strings and IRIs are skipped with the grammar's own token rules (the long
  ``'''`` strings first). pyoxigraph rejects every character the grammar excludes from
  ``IRIREF``, so an IRI it reads is exactly a span this scan skips.
* The lexical ambiguity is ``<``: the start of an IRI or the less-than operator
  (``FILTER(?o<'x>')`` is a comparison with the string ``'x>'``). Skipping it as an IRI
  there would put the scan out of step with the parser — inside a string the parser
  does not see, hiding whatever follows. So the scan follows *both* readings at every
  ``<`` and refuses if either reading finds a keyword. Reading positions are merged,
  so this stays linear in the query's length. One exception keeps ordinary IRIs out of
  the operator reading: when ``<`` is followed by ``scheme://`` the comparison reading
  cannot parse (``scheme:`` can only be a prefixed name there, and ``//`` two divisions
  in a row), so only the IRI reading is followed and ``<http://schema.org/Service>``
  passes.
* SPARQL's ``\\uXXXX`` escapes may be applied before parsing; pyoxigraph 0.5 does not
  apply them, but the scan checks the query both as sent and with them applied.
"""

from __future__ import annotations

import re

FORBIDDEN = frozenset({"SERVICE", "LOAD", "FROM"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH"})

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRINGS = (  # the grammar's STRING_LITERAL_LONG1/2 first, then STRING_LITERAL1/2
    re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.S),
    re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.S),
    re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
    re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
)
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*://")
_WORD = re.compile(r"[A-Za-z]+")
_LINE_END = re.compile(r"[\n\r]")


def forbidden_keywords(query: str, keywords: frozenset[str] = FORBIDDEN) -> set[str]:
    """The ``keywords`` (upper case) that occur in ``query`` outside comments, strings and IRIs."""
    found = _scan(query, keywords)
    unescaped = _unescape(query)
    if unescaped != query:
        found |= _scan(unescaped, keywords)
    return found


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


def _scan(text: str, keywords: frozenset[str]) -> set[str]:
    found: set[str] = set()
    visited: set[int] = set()
    starts = [0]  # positions where some reading of the text is outside any token
    while starts:
        i = starts.pop()
        while i < len(text) and i not in visited:
            visited.add(i)
            char = text[i]
            if char == "#":
                end = _LINE_END.search(text, i)
                i = len(text) if end is None else end.end()
            elif char in "'\"":
                end = _string_end(text, i)
                i = end if end is not None else i + 1
            elif char == "<":
                iri = _IRIREF.match(text, i)
                if iri and _ABSOLUTE.match(text, i):
                    i = iri.end()  # "<http://": never a comparison (see the module docstring)
                elif iri:
                    starts.append(iri.end())  # the IRI reading; the operator reading goes on here
                    i += 1
                else:
                    i += 1
            elif char.isascii() and char.isalpha():
                word = _WORD.match(text, i)
                assert word is not None
                if word.group().upper() in keywords and (i == 0 or text[i - 1] not in "?$"):
                    found.add(word.group().upper())
                i = word.end()
            else:
                i += 1
    return found


__all__ = ["FORBIDDEN", "UPDATE_KEYWORDS", "forbidden_keywords"]
