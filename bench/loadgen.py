"""Bounded HTTP load: throughput and tail latency with a fixed number of connections.

``wrk`` (Debian's package) is used when it is on the PATH: a generated Lua script
rotates through the request bodies (a different entity on every request) and prints the
summary as one machine-readable line. Without wrk, a bounded asyncio client (httpx,
``connections`` concurrent workers) runs for the same duration; it is slower than wrk
and says so in ``tool``. Either way a run stops by itself after ``duration`` seconds.

``one_client`` measures latency the other way: one client, one request at a time.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Throughput:
    requests: int  # completed in the run (wrk runs whole seconds: divide by this, not rate × duration)
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


LUA = """local specs = {
%s
}
local requests = {}
local i = 0
init = function(args)
  -- wrk sets the Host header only now, so the requests are formatted here, not at load time
  for k, spec in ipairs(specs) do requests[k] = wrk.format(spec[1], spec[2], spec[3], spec[4]) end
  i = math.random(#requests)
end
request = function()
  i = i %% #requests + 1
  return requests[i]
end
done = function(summary, latency, reqs)
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%.1f %%.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def _lua_request(r: Request) -> str:
    headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in r.headers)
    body = _lua_string(r.body) if r.body else "nil"
    return f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, {body}}},"


def run_wrk(base: str, requests: list[Request], *, connections: int, duration: float, script: Path,
            threads: int = 2) -> Throughput:
    script.write_text(LUA % "\n".join(_lua_request(r) for r in requests), encoding="utf-8")
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
               "--timeout", "10s", "-s", str(script), base]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    count, micros, errors, p50, p99 = line.split()[1:]
    return Throughput(requests=int(count), requests_per_s=int(count) / (int(micros) / 1e6), p50_ms=float(p50) / 1000,
                      p99_ms=float(p99) / 1000, errors=int(errors), tool="wrk")


async def _client_load(base: str, requests: list[Request], connections: int, duration: float) -> Throughput:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async def worker(client: httpx.AsyncClient, offset: int) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < deadline:
            r = requests[i % len(requests)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.request(r.method, r.path, content=r.body or None, headers=dict(r.headers))
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(client, k * 7) for k in range(connections)))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return Throughput(requests=len(latencies), requests_per_s=len(latencies) / elapsed, p50_ms=q[49] * 1000,
                      p99_ms=q[98] * 1000, errors=errors, tool="httpx")


def throughput(base: str, requests: list[Request], *, connections: int, duration: float,
               script: Path, client: str = "auto") -> Throughput:
    """``client``: ``wrk``, ``httpx``, or ``auto`` (wrk if it is installed)."""
    if client == "wrk" or (client == "auto" and shutil.which("wrk")):
        return run_wrk(base, requests, connections=connections, duration=duration, script=script)
    return asyncio.run(_client_load(base, requests, connections, duration))


def one_client(base: str, requests: list[Request], count: int, check=None, budget: float = 60) -> list[float]:
    """Latencies in ms of ``count`` sequential requests over one keep-alive connection, or
    of as many as fit in ``budget`` seconds (at least 10)."""
    times = []
    deadline = time.perf_counter() + budget
    with httpx.Client(base_url=base, timeout=60) as client:
        for i in range(count):
            if i >= 10 and time.perf_counter() > deadline:
                break
            r = requests[i % len(requests)]
            started = time.perf_counter()
            response = client.request(r.method, r.path, content=r.body.encode("utf-8") or None,
                                      headers=dict(r.headers))
            times.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            if check is not None:
                check(response)
    return times


__all__ = ["Request", "Throughput", "one_client", "throughput"]
