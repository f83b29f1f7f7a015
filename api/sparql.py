"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the graph's pyoxigraph store.

Queries come as ``GET ?query=``, ``POST`` with ``application/sparql-query``, or a
``POST`` form with ``query=``. Updates are refused (``application/sparql-update``,
``update=``, or anything pyoxigraph does not parse as a *query*), and so are
``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED`` (see ``sparql_guard``): pyoxigraph
would follow ``SERVICE`` to any URL on the network.

A query runs under a timeout, a result-size budget, a memory cap and a concurrency cap.
pyoxigraph cannot cancel a running query, so on the local stores each query is
evaluated in a forked child process (``sparql_worker``) that is killed at the deadline
or when it passes ``sparql_memory_limit``: its slot is free again within the timeout,
and the server never holds a runaway query's memory. On a ``sparql:`` store the remote
server does the work, and the request to it times out at the deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..graph import QueryTooLarge, StoreError
from .errors import HTTPError
from .negotiation import choose
from .sparql_guard import BACKSLASH, FORBIDDEN, forbidden_keywords, update_keywords
from .sparql_worker import Budget, run_forked, timeout_error
from .state import graph, settings, sparql_slots

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {  # SELECT and ASK, in order of preference
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {  # CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,  # SPARQLWrapper's and rdflib SPARQLStore's default
}
GRACE = 2.0  # seconds the event loop waits past the timeout for a worker to report it
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def refused(message: str) -> HTTPError:
    return HTTPError(400, "SPARQL_REFUSED", message)


def _one_query(params: dict[str, list[str]]) -> str:
    """The single ``query`` of a GET or a form, refusing updates and dataset parameters."""
    if "update" in params:
        raise refused("this endpoint is read-only: SPARQL updates are not accepted")
    dataset = [name for name in DATASET_PARAMS if name in params]
    if dataset:
        raise refused(f"{', '.join(dataset)} is not supported: the graph is the default graph")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPError(400, "BAD_REQUEST", "send exactly one non-empty query (query=...)")
    return queries[0]


async def read_query(request: Request) -> str:
    """The query text of a SPARQL 1.1 Protocol request."""
    get_params = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method == "GET":
        return _one_query(get_params)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/sparql-update":
        raise refused("this endpoint is read-only: SPARQL updates are not accepted")
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, "BAD_REQUEST", "the request body is not UTF-8") from None
    if media == "application/x-www-form-urlencoded":
        return _one_query(parse_qs(text, keep_blank_values=True))
    if media == "application/sparql-query":
        _one_query({**get_params, "query": [text]})  # refuse update=/dataset params here too
        return text
    raise HTTPError(415, "UNSUPPORTED_MEDIA_TYPE",
                    "POST a query as application/sparql-query or application/x-www-form-urlencoded")


class BoundedBuffer:
    """A write-only byte buffer that stops a serialisation past its deadline or size."""

    def __init__(self, deadline: float, max_bytes: int) -> None:
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.chunks: list[bytes] = []
        self.size = 0
        self.stopped: str | None = None  # "time" or "size" once it has refused a write

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.max_bytes:
            self.stopped = "size"
        elif time.monotonic() > self.deadline:
            self.stopped = "time"
        if self.stopped:
            raise OSError(f"result stopped ({self.stopped} budget)")
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def _negotiate(is_graph: bool, accept: str | None) -> tuple[str, ox.QueryResultsFormat | ox.RdfFormat]:
    """The media type and format for a graph (CONSTRUCT/DESCRIBE) or results (SELECT/ASK)."""
    offers: Sequence[str] = list(GRAPH_FORMATS if is_graph else RESULT_FORMATS)
    media = choose(accept, offers)
    return media, (GRAPH_FORMATS.get(media) or RESULT_FORMATS[media])


def answer(store: object, query: str, accept: str | None, *, max_bytes: int,
           deadline: float = float("inf"), timeout: float = 0.0) -> tuple[bytes, str]:
    """Run and serialise one checked query; the body and its media type. A remote store
    is given what is left of the deadline as its HTTP timeout."""
    # chipkg's data is the default graph; named graphs in a local store are its own scratch
    # space (a write being checked, a load being staged), never anyone's answer: the query
    # sees the default graph only, whatever FROM or GRAPH it names.
    options: dict[str, object] = {"timeout": max(0.1, deadline - time.monotonic())} \
        if getattr(store, "remote", False) else {"default_graph": ox.DefaultGraph(), "named_graphs": []}
    try:
        result = store.query(query, **options)  # type: ignore[attr-defined]
    except SyntaxError as exc:
        if update_keywords(query):
            raise refused("this endpoint is read-only: SPARQL updates are not accepted") from None
        raise HTTPError(400, "BAD_SPARQL", f"not a SPARQL query: {exc}") from None
    except StoreError:
        if time.monotonic() >= deadline:  # the remote store's HTTP timeout was our deadline
            raise timeout_error(timeout) from None
        raise
    except OSError as exc:
        raise StoreError(f"the store could not answer the query: {exc}") from None
    try:
        media, fmt = _negotiate(isinstance(result, ox.QueryTriples), accept)
        out = BoundedBuffer(deadline, max_bytes)
        try:
            result.serialize(out, format=fmt)
        except OSError:
            if out.stopped == "size":
                raise QueryTooLarge(f"the result is over {max_bytes} bytes; add a LIMIT") from None
            if out.stopped == "time":
                raise timeout_error(timeout) from None
            raise StoreError("the store failed while answering the query") from None
    finally:
        # pyoxigraph's result iterators must be dropped on the thread that made them;
        # an exception's traceback would otherwise carry this frame's reference to
        # the event loop's thread. (So ``result`` is never passed to a callee that
        # might raise: the callee's frame would hold it too.)
        del result
    return out.getvalue(), media


def check(query: str) -> None:
    """Refuse what the endpoint never runs (see ``sparql_guard``)."""
    bad = forbidden_keywords(query)
    if BACKSLASH in bad:
        raise refused(f"{BACKSLASH} cannot be part of a query this endpoint runs")
    if bad:
        raise refused(f"{', '.join(sorted(bad))} is not allowed here: the endpoint reads the local graph only "
                      f"(refused keywords: {', '.join(sorted(FORBIDDEN))}, also inside other words)")


def evaluate(store: object, query: str, accept: str | None, *, deadline: float, max_bytes: int,
             slots: threading.BoundedSemaphore, timeout: float, memory_limit: int | None = None,
             pause: Callable[[float], AbstractContextManager[object]] = nullcontext) -> tuple[bytes, str]:
    """Check, run and serialise one query (in a worker thread); the body and its media type.

    With ``memory_limit``, a local store's query runs in a killable child process (see
    ``sparql_worker``); without it (or on a remote store, whose server does the work) it
    runs here, stopped only between result rows.
    """
    check(query)
    if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise timeout_error(timeout)
    try:
        work = partial(answer, store, query, accept, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
        if memory_limit is None or getattr(store, "remote", False):
            return work()
        return run_forked(work, Budget(deadline, timeout, max_bytes, memory_limit), pause)
    finally:
        slots.release()


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol query operation (GET and POST)."""
    kg, cfg = graph(request), settings(request)
    query = await read_query(request)
    timeout = cfg.sparql_timeout
    work = partial(evaluate, kg.store, query, request.headers.get("accept"), deadline=time.monotonic() + timeout,
                   max_bytes=cfg.sparql_max_result_bytes, slots=sparql_slots(request), timeout=timeout,
                   memory_limit=cfg.sparql_memory_limit if cfg.sparql_isolation else None, pause=kg.quiesced)
    try:
        # The worker stops a forked query at the deadline itself; this only guards
        # against a remote store or an in-thread query running on.
        with anyio.fail_after(timeout + GRACE):
            body, media = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        raise timeout_error(timeout) from None
    return Response(body, media_type=media, headers={"Vary": "Accept"})


ROUTES = [Route("/sparql", sparql, methods=["GET", "POST"])]

__all__ = ["ROUTES", "BoundedBuffer", "answer", "check", "evaluate", "read_query"]
