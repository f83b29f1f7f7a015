"""Finding entities by name: labels and aliases in any language.

Names are folded with NFKC and ``casefold`` so ``nvidia``, ``NVIDIA`` and the full-width
``ＮＶＩＤＩＡ`` all match, as do half-width and full-width katakana. SPARQL's ``LCASE``
cannot do this, so the index lives in Python, is built once from the store, and is
updated for the subjects each write touches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from collections.abc import Set as AbstractSet


def fold(text: str) -> str:
    """The form names are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class NameIndex:
    """Entity IRI → its folded names, and a ranked substring search over them."""

    def __init__(self) -> None:
        self._names: dict[str, tuple[str, ...]] = {}

    def set(self, iri: str, names: Iterable[str]) -> None:
        folded = tuple(sorted({fold(n) for n in names if n.strip()}))
        if folded:
            self._names[iri] = folded
        else:
            self._names.pop(iri, None)

    def discard(self, iri: str) -> None:
        self._names.pop(iri, None)

    def __len__(self) -> int:
        return len(self._names)

    def search(self, text: str, *, limit: int, allowed: AbstractSet[str] | None = None) -> list[str]:
        """IRIs whose names contain ``text``: exact matches first, then prefixes, then the
        rest, each group by IRI so results are stable."""
        needle = fold(text)
        if not needle:
            return []
        ranked: list[tuple[int, str]] = []
        for iri, names in self._names.items():
            if allowed is not None and iri not in allowed:
                continue
            best = min((0 if n == needle else 1 if n.startswith(needle) else 2
                        for n in names if needle in n), default=None)
            if best is not None:
                ranked.append((best, iri))
        ranked.sort()
        return [iri for _, iri in ranked[:limit]]


__all__ = ["NameIndex", "fold"]
