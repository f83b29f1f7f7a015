"""The ``chipkg`` command line: export, validate, load, ingest, stats, and (from ``serve.py``)
serve and query.

Every user error is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..graph import ChipKGError, KnowledgeGraph, ParseError, ValidationFailed
from ..graph.terms import parse_file, to_rdflib_graph
from ..graph.validation import Validator
from ..graph.vocab import compact
from .serve import add_parsers, cmd_query, cmd_serve

DEFAULT_STORE = "memory"


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default=os.environ.get("CHIPKG_STORE", DEFAULT_STORE),
                        help="'memory' (default, seeded), 'oxigraph:PATH' (on disk) or "
                             "'sparql:QUERY_URL[,UPDATE_URL[,GRAPH_STORE_URL]]' (a SPARQL 1.1 server); "
                             "env CHIPKG_STORE")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chipkg", description="A knowledge graph of AI-chip news.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    export = commands.add_parser("export", help="write the graph, the ontology or a neighbourhood as RDF")
    export.add_argument("--format", default="turtle", choices=["turtle", "nt", "jsonld", "trig", "rdfxml"])
    export.add_argument("--entity", metavar="ID", help="export only this entity's neighbourhood")
    export.add_argument("--depth", type=int, default=1, help="neighbourhood depth with --entity (default 1)")
    export.add_argument("--ontology", action="store_true", help="export the ontology alone")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _store_arg(export)

    validate = commands.add_parser("validate", help="check RDF files against the ontology and shapes")
    validate.add_argument("files", nargs="+", metavar="FILE")

    load = commands.add_parser("load", help="check RDF files and add them to a persistent store")
    load.add_argument("files", nargs="+", metavar="FILE")
    _store_arg(load)

    ingest = commands.add_parser("ingest",
                                 help="add an article's text and the facts taken from it, in one checked write")
    ingest.add_argument("article", metavar="ARTICLE.txt", help="the text, UTF-8: one paragraph a line, the title first")
    ingest.add_argument("--facts", metavar="FACTS.ttl", help="the article, entities, facts and statements (Turtle)")
    ingest.add_argument("--id", help="the article's id, if the facts describe none or several")
    ingest.add_argument("--lang", help="the text's language (default: the article's dcterms:language)")
    _store_arg(ingest)

    stats = commands.add_parser("stats", help="count triples, entities by class and facts by predicate")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _store_arg(stats)

    add_parsers(commands, _store_arg)
    return parser


def cmd_export(args: argparse.Namespace) -> int:
    kg = KnowledgeGraph.open(args.store, lazy=True)
    try:
        if args.output:
            with open(args.output, "wb") as handle:
                kg.export(args.format, entity=args.entity, depth=args.depth, ontology_only=args.ontology,
                          out=handle)
        else:
            kg.export(args.format, entity=args.entity, depth=args.depth, ontology_only=args.ontology,
                      out=sys.stdout.buffer)
    finally:
        kg.close()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the files together, as one graph; report every problem found."""
    validator = Validator.from_files()
    triples, failed = [], False
    for path in args.files:
        try:
            triples += parse_file(path, blank_nodes=True)
        except ParseError as exc:
            where = f":{exc.line}:{exc.column}" if exc.line else ""
            print(f"{path}{where}: syntax error: {exc.message.removeprefix(path + ': ')}", file=sys.stderr)
            failed = True
    if failed:
        return 1
    if not triples:
        print("chipkg: the files hold no triples; nothing was validated", file=sys.stderr)
        return 1
    violations = validator.check_vocabulary(triples) + validator.validate(to_rdflib_graph(triples))
    for v in violations:
        print(v, file=sys.stderr)
    if violations:
        print(f"{len(violations)} violation{'s' if len(violations) != 1 else ''} in {len(triples)} triples",
              file=sys.stderr)
        return 1
    print(f"ok: {len(triples)} triples conform to the chipkg ontology and shapes")
    return 0


def _progress(message: str, fraction: float | None) -> None:
    """A bar on a terminal while a file streams in; plain lines otherwise (logs, CI)."""
    if fraction is not None:
        if sys.stderr.isatty():
            filled = int(30 * fraction)
            print(f"\r[{'#' * filled}{' ' * (30 - filled)}] {fraction:4.0%} {message}", end="", file=sys.stderr)
        return
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    print(message, file=sys.stderr)


def cmd_load(args: argparse.Namespace) -> int:
    if not args.store.startswith("oxigraph:"):
        print("chipkg: load needs a persistent store: --store oxigraph:PATH (or CHIPKG_STORE)", file=sys.stderr)
        return 2
    kg = KnowledgeGraph.open(args.store, lazy=True)
    try:
        result = kg.bulk_load(args.files, progress=_progress)
    finally:
        kg.close()
    print(f"loaded {result.added} new triples into {args.store} ({len(kg.store)} in all)")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.store == "memory":
        print("chipkg: ingest needs a persistent store: --store oxigraph:PATH or sparql:URL (or CHIPKG_STORE)",
              file=sys.stderr)
        return 2
    try:
        text = Path(args.article).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        print(f"chipkg: {args.article}: not UTF-8 text", file=sys.stderr)
        return 1
    facts = parse_file(args.facts) if args.facts else []
    kg = KnowledgeGraph.open(args.store, lazy=True)
    try:
        before = len(kg.store)
        article = kg.add_article(text, facts, article_id=args.id, lang=args.lang)
        added = len(kg.store) - before
    finally:
        kg.close()
    print(f"ingested {compact(article.iri)}: {added} new triples into {args.store}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    kg = KnowledgeGraph.open(args.store, lazy=True)
    stats = kg.stats()
    kg.close()
    if args.json:
        print(json.dumps({"triples": stats.triples, "entities": stats.entities, "statements": stats.statements,
                          "byClass": {compact(k): v for k, v in stats.by_class.items()},
                          "byPredicate": {compact(k): v for k, v in stats.by_predicate.items()}}, indent=2))
        return 0
    print(f"{stats.triples} triples, {stats.entities} entities, {stats.statements} statements with evidence")
    for title, counts in (("class", stats.by_class), ("predicate", stats.by_predicate)):
        print(f"\n{title:<28} count")
        for key, count in counts.items():
            print(f"{compact(key):<28} {count:>5}")
    return 0


COMMANDS = {"export": cmd_export, "validate": cmd_validate, "load": cmd_load, "ingest": cmd_ingest, "stats": cmd_stats,
            "serve": cmd_serve, "query": cmd_query}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationFailed as exc:
        for v in exc.violations:
            print(v, file=sys.stderr)
        print(f"chipkg: refused: {len(exc.violations)} violation(s); nothing was changed", file=sys.stderr)
        return 1
    except ParseError as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
        print(f"chipkg: syntax error{where}: {exc.message}", file=sys.stderr)
        return 1
    except ChipKGError as exc:
        print(f"chipkg: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `chipkg export | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"chipkg: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
