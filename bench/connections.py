"""Figures for issue 8's connection and input guards (docs/reliability.md), not a test:

    .venv/bin/python bench/connections.py [--timeout 5] [--stalled 300]

Starts ``chipkg serve`` on a free port on 127.0.0.1 with a soft descriptor limit of 256 and
the given header/body timeout, then measures: how soon a ``Content-Length: 99999999999``
with no body gets its 413; when a stalled-headers connection is closed; fresh ``/healthz``
latency beside ``--stalled`` connections stalled in their headers; and ``chipkg validate``
on a billion-laughs RDF/XML file (exit status, peak RSS of the child from ``wait4``).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import httpx

CHIPKG = [sys.executable, "-m", "chipkg.api.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def low_fd_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def billion_laughs(levels: int = 9) -> str:
    names = ["lol"] + [f"lol{i}" for i in range(1, levels + 1)]
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY {name} "{("&" + below + ";") * 10}">'
                                           for below, name in pairwise(names)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            f'<rdf:Description rdf:about="https://w3id.org/chipkg/resource/x"><rdfs:label>&lol{levels};'
            "</rdfs:label></rdf:Description>\n</rdf:RDF>\n")


def served(timeout: float, stalled: int) -> None:
    port = free_port()
    env = {**os.environ, "CHIPKG_HEADER_TIMEOUT": str(timeout), "CHIPKG_BODY_TIMEOUT": str(timeout)}
    server = subprocess.Popen([*CHIPKG, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, preexec_fn=low_fd_limit)  # noqa: PLW1509 (setrlimit only)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        waits = []
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                started = time.perf_counter()
                sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
                head = sock.recv(4096)
                waits.append(time.perf_counter() - started)
        print(f"413 for Content-Length 99999999999: p50 {statistics.median(waits) * 1e3:.1f} ms, "
              f"max {max(waits) * 1e3:.1f} ms ({head.split(b' ', 2)[1].decode()})")
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            started = time.perf_counter()
            while sock.recv(4096):
                pass
            print(f"stalled headers closed after {time.perf_counter() - started:.2f} s")
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(stalled)]
        try:
            for sock in held:
                sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            waits, statuses = [], []
            for _ in range(20):  # a raw socket each: httpx's client set-up alone is ~100 ms here
                started = time.perf_counter()
                with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    answer = b""
                    while chunk := sock.recv(65536):
                        answer += chunk
                waits.append(time.perf_counter() - started)
                statuses.append(int(answer.split(b" ", 2)[1]))
            print(f"fresh /healthz beside {stalled} stalled connections: p50 {statistics.median(waits) * 1e3:.1f} ms, "
                  f"max {max(waits) * 1e3:.1f} ms, statuses {sorted(set(statuses))}")
        finally:
            for sock in held:
                sock.close()
        limits = Path(f"/proc/{server.pid}/limits")
        if limits.exists():
            line = next(row for row in limits.read_text().splitlines() if row.startswith("Max open files"))
            print(f"server soft RLIMIT_NOFILE after start: {line.split()[3]} (started with 256)")
    finally:
        server.terminate()
        server.wait(timeout=15)


def bomb() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "laughs.rdf"
        path.write_text(billion_laughs())
        started = time.perf_counter()
        child = subprocess.Popen([*CHIPKG, "validate", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        assert child.stderr is not None
        message = child.stderr.read().decode().strip()
        print(f"chipkg validate on a {path.stat().st_size}-byte billion-laughs file: exit "
              f"{os.waitstatus_to_exitcode(status)}, {time.perf_counter() - started:.1f} s, "
              f"peak RSS {usage.ru_maxrss // 1024} MiB: {message[:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=5.0, help="header and body timeout, seconds")
    parser.add_argument("--stalled", type=int, default=300, help="connections stalled in their headers")
    args = parser.parse_args()
    served(args.timeout, args.stalled)
    bomb()


if __name__ == "__main__":
    main()
