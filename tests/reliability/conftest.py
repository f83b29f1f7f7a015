"""Fixtures for the reliability suite: fuzzing, hostile input, SSRF, auth, load, crash
safety and concurrency (helpers and sizes are in ``support.py``).

The figures the tests produce (examples fuzzed, requests served, kills survived ...) are
collected with ``figures``, printed in the terminal summary, and written as JSON to
``CHIPKG_RELIABILITY_REPORT`` when that is set; ``docs/reliability.md`` quotes them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chipkg.seed import article_text

from .support import EVIDENCE, FULL, Listener, Server, start_server

FIGURES = pytest.StashKey[dict[str, Any]]()


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Where tests record what they measured: ``figures["fuzz.graphql.in-process"] = 2000``."""
    return pytestconfig.stash.setdefault(FIGURES, {})


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    found = config.stash.get(FIGURES, None)
    if not found:
        return
    terminalreporter.section(f"chipkg reliability figures ({'full' if FULL else 'CI'} size)")
    for key in sorted(found):
        terminalreporter.write_line(f"{key:<48} {found[key]}")
    target = os.environ.get("CHIPKG_RELIABILITY_REPORT")
    if target:
        Path(target).write_text(json.dumps({"mode": "full" if FULL else "ci", **dict(sorted(found.items()))},
                                           indent=2, ensure_ascii=False) + "\n", "utf-8")


@pytest.fixture(scope="session")
def article() -> str:
    """The Japanese source text: evidence must be a verbatim part of it."""
    text = article_text("h20-article.ja.txt")
    assert EVIDENCE in text
    return text


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on an in-memory seed graph, writes on, for the fuzzers to hammer; its log
    must hold no traceback at the end."""
    server = start_server(tmp_path_factory.mktemp("fuzz") / "server.log")
    try:
        yield server
    finally:
        server.stop()
    server.assert_no_tracebacks()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def make_listener() -> Iterator[Callable[..., Listener]]:
    """``make_listener(body=b"...", content_type="...")`` → a ``Listener`` closed at teardown."""
    made: list[Listener] = []

    def make(**kwargs: Any) -> Listener:
        made.append(Listener(**kwargs))
        return made[-1]

    yield make
    for one in made:
        one.close()
