"""The ``chipkg serve`` and ``chipkg query`` commands: the service and the schema from a shell.

``serve`` opens the graph and binds the socket *before* it says where it is serving, so a
bad ``--store`` or a port in use is one line on stderr, not a traceback from uvicorn, and
runs uvicorn with ``connections.py``'s guarded protocol and connection cap.
``query`` runs the schema in-process, asynchronously: its DataLoaders are async, so
``execute_sync`` cannot resolve them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
from collections.abc import Callable
from typing import Any

from ..graph import InvalidInput, KnowledgeGraph
from .settings import Settings

BACKLOG = 2048  # uvicorn's default


def add_parsers(commands: Any, store_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``serve`` and ``query`` on the CLI's sub-parsers."""
    defaults = Settings()
    serve = commands.add_parser("serve", help="run the HTTP service (GraphQL, SPARQL, Turtle) on this machine",
                                description="Serve the graph over HTTP. Writes need the bearer token in "
                                            "CHIPKG_TOKEN; without it, writes are off.")
    serve.add_argument("--host", help=f"address to listen on (default {defaults.host}; env CHIPKG_HOST)")
    serve.add_argument("--port", type=int,
                       help=f"port to listen on (default {defaults.port}; 0 picks a free one; env CHIPKG_PORT)")
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"],
                       help="uvicorn's log level (default warning; info logs every request)")
    store_arg(serve)

    query = commands.add_parser("query", help="run a GraphQL query in-process and print the JSON result")
    query.add_argument("query", metavar="GRAPHQL", help="the query text, or - to read it from stdin")
    query.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                       help="a variable; VALUE is read as JSON if it parses (2, true, [\"a\"]), else as a string")
    store_arg(query)


def parse_variables(pairs: list[str]) -> dict[str, Any]:
    """``["id=nvidia", "depth=2"]`` → ``{"id": "nvidia", "depth": 2}``."""
    variables: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--var takes NAME=VALUE, not {pair!r}")
        try:
            variables[name.strip()] = json.loads(raw)
        except ValueError:
            variables[name.strip()] = raw
    return variables


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the default 0: asyncio sets TCP_NODELAY only on sockets whose proto says
    # TCP, and without it every keep-alive response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    # Listening before "chipkg serving on ..." is printed: a client that connects on that
    # line waits in the backlog until uvicorn accepts, instead of being refused.
    sock.listen(BACKLOG)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn  # only this command needs the server

    from .app import create_app
    from .connections import connection_cap, guarded_protocol, raise_fd_limit

    given = {name: value for name, value in (("host", args.host), ("port", args.port)) if value is not None}
    settings = Settings.from_env(store=args.store, **given)
    # Stalled clients are cut off (connections.py), and the descriptors they could take
    # are raised and capped, so a few hundred of them cannot starve the rest.
    cap = connection_cap(settings.max_connections, raise_fd_limit())
    kg = KnowledgeGraph.open(settings.store)
    try:
        sock = bind(settings.host, settings.port)
        port = sock.getsockname()[1]
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        base = f"http://{host}:{port}/"
        ide = "GraphiQL" if settings.graphiql else "GraphQL"
        app = create_app(kg, settings)  # before the line below: a client may connect as soon as it is printed
        print(f"chipkg serving on {base} — {ide} at {base}graphql", flush=True)
        config = uvicorn.Config(app, log_level=args.log_level, lifespan="on",
                                http=guarded_protocol(settings), limit_concurrency=cap, backlog=BACKLOG)
        uvicorn.Server(config).run(sockets=[sock])
        sock.close()
    finally:
        kg.close()
    return 0


async def execute(kg: KnowledgeGraph, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The GraphQL response for ``query`` as a client would get it (no write rights)."""
    from ..schema import Context, build_schema

    # The context's DataLoaders need the running loop, so it is built in here.
    result = await build_schema().execute(query, variable_values=variables or None,
                                          context_value=Context.for_request(kg, authorized=False))
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return response


def cmd_query(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.query == "-" else args.query
    variables = parse_variables(args.var)
    kg = KnowledgeGraph.open(args.store)
    try:
        response = asyncio.run(execute(kg, text, variables))
    finally:
        kg.close()
    print(json.dumps(response, ensure_ascii=False, indent=2))
    return 1 if "errors" in response else 0


__all__ = ["add_parsers", "bind", "cmd_query", "cmd_serve", "execute", "parse_variables"]
