"""Content negotiation: pick the best of the media types we offer for an ``Accept`` header.

RFC 9110 §12.5.1, the parts that matter here: q-values (``q=0`` means "not this"), the
most specific range decides a type's quality (``text/turtle;q=0`` beats ``text/*``),
and among equal qualities the server's order of preference wins. No ``Accept`` at all
means anything goes, so the first offer is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import HTTPError


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``,
        -1 when it does not match at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The ranges in an ``Accept`` header; malformed parts are skipped, as browsers expect."""
    ranges = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives ``media_type``: that of its most specific matching range."""
    best, best_specificity = 0.0, -1
    for r in ranges:
        s = r.specificity(media_type)
        if s > best_specificity:
            best, best_specificity = r.q, s
        elif s == best_specificity and s >= 0:
            best = max(best, r.q)
    return best


def choose(accept: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers most (ties go to the earlier offer); 406 if none will do."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    scored = [(quality(ranges, offer), -index, offer) for index, offer in enumerate(offers)]
    q, _, offer = max(scored)
    if q <= 0:
        raise HTTPError(406, "NOT_ACCEPTABLE", f"cannot send any of the types in Accept: {accept!r}; "
                                               f"available: {', '.join(offers)}")
    return offer


__all__ = ["MediaRange", "choose", "parse_accept", "quality"]
