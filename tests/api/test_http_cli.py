"""``chipkg serve`` and ``chipkg query`` as a user runs them, in subprocesses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import httpx
import pytest


def chipkg(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chipkg.api.cli", *args], capture_output=True, text=True,
                          timeout=120, **kwargs)  # type: ignore[call-overload]


def test_serve_prints_where_it_is_and_serves() -> None:
    env = {**os.environ, "CHIPKG_TOKEN": "cli-token"}
    process = subprocess.Popen([sys.executable, "-m", "chipkg.api.cli", "serve", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("chipkg serving on http://127.0.0.1:"), line
        base = line.split()[3]
        assert line.endswith(f"GraphiQL at {base}graphql")
        response = httpx.get(base + "healthz", timeout=30)
        assert response.status_code == 200 and response.json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_serve_on_a_busy_port_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        result = chipkg("serve", "--port", str(busy.getsockname()[1]))
    assert result.returncode == 1
    assert result.stderr.startswith("chipkg: ") and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_query_prints_json() -> None:
    result = chipkg("query", "query($id: ID!) { entity(id: $id) { id label } }", "--var", "id=nvidia")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"data": {"entity": {"id": "nvidia", "label": "Nvidia"}}}


def test_query_errors_exit_1() -> None:
    result = chipkg("query", "{ entity(id: \"nvidia\") { nope } }")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["errors"] and body["errors"][0]["message"]


@pytest.mark.parametrize("args", [["query", "{ __typename }", "--var", "novalue"], ["serve", "--store", "nosuch:x"]])
def test_bad_arguments_are_one_line(args: list[str]) -> None:
    result = chipkg(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("chipkg: ") and "Traceback" not in result.stderr
