"""Child processes for the benchmark: timed one-shot commands and long-running servers.

``measure`` runs a command to completion and returns its wall time and peak RSS, read
from the kernel's accounting for that one child (``os.wait4``), so no sampling misses a
peak. ``Server`` starts a server in its own process group on 127.0.0.1, waits until a
URL answers, and on exit terminates the whole group (SIGTERM, then SIGKILL), whatever
happened in between. Every child also asks the kernel for SIGTERM if the benchmark itself
dies (``PR_SET_PDEATHSIG``), so a killed run leaves no server behind on Linux.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    output: str


class CommandFailed(RuntimeError):
    pass


try:  # looked up here, in the parent: the child between fork and exec only calls it
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _PRCTL = None
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the benchmark process goes away (Linux)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


def measure(command: list[str], *, log: Path, timeout: float = 1800, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> Measured:
    """Run ``command``; its wall time and the peak resident memory of the process."""
    with open(log, "w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                   start_new_session=True,
                                   preexec_fn=_die_with_parent)  # noqa: PLW1509 (takes no locks)
        try:
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    _kill_group(process)
                    raise CommandFailed(f"{' '.join(command)} ran past {timeout:.0f} s (log: {log})")
                time.sleep(0.005)
        except BaseException:
            _kill_group(process)
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if process.returncode != 0:
        raise CommandFailed(f"{' '.join(command)} exited {process.returncode}:\n{output[-2000:]}")
    return Measured(seconds=seconds, peak_rss_mb=usage.ru_maxrss / 1024, output=output)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


class Server:
    """``with Server(name, command, ready_url) as server:`` — started, ready, then stopped."""

    def __init__(self, name: str, command: list[str], ready_url: str, *, log: Path,
                 env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 600) -> None:
        self.name, self.command, self.ready_url = name, command, ready_url
        self.log, self.env, self.cwd, self.timeout = log, env, cwd, timeout
        self.process: subprocess.Popen | None = None
        self.started_in = 0.0

    def __enter__(self) -> Self:
        self._out = open(self.log, "w", encoding="utf-8")
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, stdout=self._out, stderr=subprocess.STDOUT, env=self.env,
                                        cwd=self.cwd, start_new_session=True,
                                        preexec_fn=_die_with_parent)  # noqa: PLW1509 (takes no locks)
        try:
            self._wait_ready(started)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.started_in = time.perf_counter() - started
        return self

    def _wait_ready(self, started: float) -> None:
        assert self.process is not None
        while True:
            if self.process.poll() is not None:
                raise CommandFailed(f"{self.name} exited {self.process.returncode} before it was ready:\n"
                                    f"{self.log.read_text(encoding='utf-8')[-2000:]}")
            try:
                if httpx.get(self.ready_url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > self.timeout:
                raise CommandFailed(f"{self.name} was not ready at {self.ready_url} after {self.timeout:.0f} s")
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            _kill_group(self.process)
        self._out.close()


__all__ = ["CommandFailed", "Measured", "Server", "free_port", "measure"]
