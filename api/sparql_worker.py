"""Run one SPARQL evaluation in a forked child process that the server can kill.

Why a child process: pyoxigraph cannot cancel a running query, so a thread that runs one
keeps its CPU and its memory until the query ends, however long that takes. A child can
be killed at the deadline (its slot is free again at once), and its rlimits bound what
one query may take without touching the server.

Why ``fork`` and not a pool of workers: the child gets a copy-on-write snapshot of the
in-memory or on-disk Oxigraph store for free (a pool would need its own copy, kept up to
date with every write). Forking a threaded process is safe here because the child only
calls pyoxigraph and writes to a pipe before ``os._exit``: it never takes a Python lock
another thread could have held. A Rust lock held by a writer at the instant of the fork
would stay held in the child, so the fork happens inside ``pause`` (the graph's hook
that holds off writes); a read in flight on another thread holds no lock a query needs
(and if one ever did, the child would hang and be killed at the deadline: a timeout,
never a stuck server).

In the child, before the query runs:

* its signal handlers and the event loop's wake-up fd are reset, and every socket and
  pipe it inherited is closed but its own (it must neither answer nor hold open the
  server's client connections);
* where the kernel allows unprivileged user namespaces, it moves into a new network
  namespace with no interfaces: nothing it does can open a connection (the guard in
  ``sparql_guard`` should already have refused ``SERVICE``; this is the second wall);
* ``RLIMIT_AS`` is its current address space plus ``memory_limit`` (the pages it shares
  with the server count once, in the base), ``RLIMIT_CPU`` and an alarm end it shortly
  after the deadline even if the server is gone.

The child sends a JSON header line, then the body. The parent reads both within the
deadline and the size budget, SIGKILLs the child when either runs out, and always reaps
it. A child killed by the memory cap (Rust aborts with "memory allocation of N bytes
failed", Python raises ``MemoryError``) is reported as ``SPARQL_MEMORY_LIMIT``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import math
import os
import resource
import select
import signal
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import NoReturn

from ..graph import ChipKGError
from .errors import HTTPError, status_for

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
TICK = 0.1  # seconds between checks that the child is still alive
STDERR_KEEP = 4096  # bytes of the child's stderr kept to explain its death
HEADER_MAX = 65536


@dataclass(frozen=True)
class Budget:
    """What one query may take: until ``deadline`` (``time.monotonic``), ``max_bytes`` of
    serialised result, ``memory_limit`` bytes of new address space."""

    deadline: float
    timeout: float
    max_bytes: int
    memory_limit: int


def timeout_error(seconds: float) -> HTTPError:
    return HTTPError(503, "SPARQL_TIMEOUT", f"the query did not finish within {seconds:g} s; "
                                            "narrow it or add a LIMIT")


def memory_error(limit: int) -> HTTPError:
    return HTTPError(400, "SPARQL_MEMORY_LIMIT", f"the query needed more than {limit / (1 << 20):g} MiB of "
                                                 "memory; narrow it or add a LIMIT")


def too_large_error(limit: int) -> HTTPError:
    return HTTPError(400, "QUERY_TOO_LARGE", f"the result is over {limit} bytes; add a LIMIT")


def run_forked(work: Callable[[], tuple[bytes, str]], budget: Budget,
               pause: Callable[[float], AbstractContextManager[object]] = contextlib.nullcontext) -> tuple[bytes, str]:
    """``work()`` (a body and its media type) in a child process under ``budget``; its
    errors (``HTTPError`` and ``ChipKGError``) come back as ``HTTPError``. ``pause(seconds)``
    holds off writes while the process forks (``TimeoutError`` if it cannot in time)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid: int | None = None
    reaped = False
    try:
        try:
            with pause(max(0.0, budget.deadline - time.monotonic())):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child, which never returns from here
                    _child(work, budget, out_w, err_w, keep={out_w, err_w})
        except TimeoutError:
            raise timeout_error(budget.timeout) from None
        except OSError as exc:  # no process to be had (EAGAIN, ENOMEM): the server is full, not broken
            raise HTTPError(503, "SPARQL_FAILED", f"cannot start a query worker: {exc.strerror}") from None
        os.close(out_w)
        os.close(err_w)
        out_w = err_w = -1
        status, data, err = _collect(pid, out_r, err_r, budget)
        reaped = True
        return _outcome(status, data, err, budget)
    finally:
        if pid and not reaped:
            _kill(pid)
        for fd in (out_r, out_w, err_r, err_w):
            if fd >= 0:
                os.close(fd)


# ------------------------------------------------------------------ the parent's side


def _collect(pid: int, out_r: int, err_r: int, budget: Budget) -> tuple[int, bytearray, bytearray]:
    """Read the child's output until it exits; its wait status and what it wrote."""
    data, err = bytearray(), bytearray()
    limit = budget.max_bytes + HEADER_MAX
    for fd in (out_r, err_r):
        os.set_blocking(fd, False)
    while True:
        left = budget.deadline - time.monotonic()
        if left <= 0:
            raise timeout_error(budget.timeout)
        select.select([out_r, err_r], [], [], min(TICK, left))
        _drain(out_r, data, limit)
        _drain(err_r, err, STDERR_KEEP)
        if len(data) > limit:
            raise too_large_error(budget.max_bytes)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            _drain(out_r, data, limit)
            _drain(err_r, err, STDERR_KEEP)
            return status, data, err


def _drain(fd: int, into: bytearray, limit: int) -> None:
    while len(into) <= limit:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            return
        into += chunk


def _kill(pid: int) -> None:
    """SIGKILL and reap: no zombie, whatever state the child was in."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _outcome(status: int, data: bytearray, err: bytearray, budget: Budget) -> tuple[bytes, str]:
    head, newline, body = bytes(data).partition(b"\n")
    header: dict[str, object] = {}
    if newline:
        with contextlib.suppress(ValueError):
            parsed = json.loads(head)
            header = parsed if isinstance(parsed, dict) else {}
    if "media" in header and isinstance(header.get("length"), int) and header["length"] == len(body):
        return body, str(header["media"])
    if header.get("code") == "MEMORY" or b"memory allocation of" in err:
        raise memory_error(budget.memory_limit)
    if "status" in header:
        raise HTTPError(int(header["status"]), str(header["code"]), str(header["message"]))  # type: ignore[call-overload]
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGALRM):
        raise timeout_error(budget.timeout)
    how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
           else f"exit status {os.WEXITSTATUS(status)}")
    raise HTTPError(503, "SPARQL_FAILED", f"the query process ended with {how} before answering")


# ------------------------------------------------------------------ the child's side


def _child(work: Callable[[], tuple[bytes, str]], budget: Budget, out_w: int, err_w: int,
           keep: set[int]) -> NoReturn:  # pragma: no cover - runs in the child
    code = 70
    try:
        gc.disable()  # no finalizer of the server's objects (sockets ...) may run here
        _reset_signals()
        _close_inherited(keep)
        os.dup2(err_w, 2)
        isolate_network()
        left = max(1, math.ceil(budget.deadline - time.monotonic()))
        resource.setrlimit(resource.RLIMIT_CPU, (left + 1, left + 2))
        signal.alarm(left + 2)
        base = _address_space()
        if base is not None:
            cap = base + budget.memory_limit
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            body, media = work()
            message = json.dumps({"media": media, "length": len(body)}).encode() + b"\n" + body
        except MemoryError:
            message = json.dumps({"code": "MEMORY"}).encode() + b"\n"
        except HTTPError as exc:
            message = json.dumps({"status": exc.status, "code": exc.code, "message": exc.message}).encode() + b"\n"
        except ChipKGError as exc:
            message = json.dumps({"status": status_for(exc), "code": exc.code, "message": exc.message}).encode() + b"\n"
        _write_all(out_w, message)
        code = 0
    except MemoryError:
        with contextlib.suppress(BaseException):
            _write_all(out_w, b'{"code": "MEMORY"}\n')
    except BaseException as exc:  # noqa: BLE001 - nothing may escape into the parent's code path
        with contextlib.suppress(BaseException):
            os.write(2, f"sparql worker: {type(exc).__name__}: {exc}\n".encode()[:STDERR_KEEP])
    finally:
        os._exit(code)


def _reset_signals() -> None:  # pragma: no cover - runs in the child
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGXCPU, signal.SIGPIPE):
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)


def _close_inherited(keep: set[int]) -> None:  # pragma: no cover - runs in the child
    """Close the server's sockets and pipes in the child (files, e.g. RocksDB's, stay)."""
    for fd in _open_fds():
        if fd in keep or fd <= 2:
            continue
        with contextlib.suppress(OSError):
            mode = os.fstat(fd).st_mode
            if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
                os.close(fd)


def _open_fds() -> Iterator[int]:
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return iter(())
    return iter(int(name) for name in names if name.isdigit())


def isolate_network() -> bool:
    """Move this (single-threaded) process into a new user and network namespace, where
    no connection can be made; False where the kernel does not allow it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def _address_space() -> int | None:  # pragma: no cover - runs in the child
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the child
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


__all__ = ["Budget", "isolate_network", "memory_error", "run_forked", "timeout_error", "too_large_error"]
