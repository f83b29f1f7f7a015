"""The README's examples run: its GraphQL queries give the output printed under them,
and its Python block executes. Docs that run cannot rot."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from chipkg.graph import KnowledgeGraph
from chipkg.schema import Context, build_schema

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == language]


def graphql_examples() -> list[tuple[str, str]]:
    """Each ```graphql block paired with the ```json block that follows it."""
    found = BLOCK.findall(README.read_text(encoding="utf-8"))
    return [(body, found[i + 1][1]) for i, (lang, body) in enumerate(found)
            if lang == "graphql" and i + 1 < len(found) and found[i + 1][0] == "json"]


def test_the_readme_has_examples() -> None:
    assert len(graphql_examples()) == 4
    assert len(blocks("python")) >= 1


@pytest.mark.parametrize("query, expected", graphql_examples())
def test_graphql_example_gives_the_printed_output(seed_kg: KnowledgeGraph, query: str, expected: str) -> None:
    result = asyncio.run(build_schema().execute(query, context_value=Context.for_request(seed_kg)))
    assert result.errors is None
    assert {"data": result.data} == json.loads(expected)


@pytest.mark.parametrize("code", blocks("python"))
def test_python_example_runs(code: str) -> None:
    exec(compile(code, str(README), "exec"), {})
