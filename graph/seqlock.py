"""Readers that never wait for a write's checks: a sequence lock around each commit.

A write spends nearly all its time checking (vocabulary, shapes: seconds on a hub) and a
few milliseconds committing (one store transaction, then the derived views brought in
step). Writers queue on ``writing`` for the whole write; only the commit takes the
commit lock, and it makes the sequence number odd while it runs. A reader notes the
(even) number, reads the store and the views without any lock, and keeps its answer only
if the number has not moved. Otherwise a commit ran under it (the store and the views
may disagree for a moment, a view may change size mid-iteration) and it reads again. A
reader that keeps losing the race (a long read under a stream of commits) takes the
commit lock for its last try: it waits for at most one commit, never for a check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
OPTIMISTIC_TRIES = 3


class SeqLock:
    """``writing`` for writers, ``commit()`` around what readers must not see half-done,
    ``read(fn)`` for readers."""

    def __init__(self, tries: int = OPTIMISTIC_TRIES) -> None:
        self.writing = threading.RLock()  # one write (check + commit) at a time
        self._committing = threading.RLock()  # re-entrant: a writer may read inside its commit
        self._sequence = 0  # odd while a commit runs
        self._tries = tries

    @property
    def sequence(self) -> int:
        return self._sequence

    @contextmanager
    def commit(self) -> Iterator[None]:
        """Change the store and the views; readers that overlap this retry."""
        with self._committing:
            self._sequence += 1
            try:
                yield
            finally:
                self._sequence += 1

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """No commit runs meanwhile (to build a view from the store), readers go on."""
        with self._committing:
            yield

    @contextmanager
    def quiet(self, timeout: float = -1) -> Iterator[None]:
        """No commit runs meanwhile, waiting at most ``timeout`` s for one in flight
        (``TimeoutError``): a fork taken inside sees no half-applied write."""
        if not self._committing.acquire(timeout=timeout):
            raise TimeoutError(f"a write held the graph for more than {timeout:g} s")
        try:
            yield
        finally:
            self._committing.release()

    def read(self, fn: Callable[[], T]) -> T:
        """``fn()``'s answer from a state no commit changed while it ran."""
        for _ in range(self._tries):
            seen = self._sequence
            if seen & 1:
                with self._committing:  # a commit is running: wait it out (milliseconds)
                    pass
                continue
            try:
                answer = fn()
            except Exception:
                if self._sequence != seen:
                    continue  # e.g. a view changed size under the iteration: read again
                raise
            if self._sequence == seen:
                return answer
        with self._committing:
            return fn()

    def try_read(self, fn: Callable[[], T | None]) -> T | None:
        """``fn()``'s answer if no commit ran while it did, else ``None``; never waits, so
        it may run on the event loop (the caller falls back to ``read`` in a thread)."""
        seen = self._sequence
        if seen & 1:
            return None
        try:
            answer = fn()
        except Exception:
            if self._sequence != seen:
                return None
            raise
        return answer if self._sequence == seen else None


__all__ = ["SeqLock"]
