"""How fast chipkg refuses (or validates) hostile GraphQL documents, in-process, one table.

    python bench/refusals.py [--repeats 5] [--json out.json]
    python bench/refusals.py --quick --repeats 1   # the smoke run: no anchor over 4,096 fields

Each row is one document run through ``build_schema().execute`` on the seed graph (the
median of ``--repeats`` runs, each with a distinct comment appended so no parse or
validation cache can answer), beside the anchor: the pipeline chipkg had before its
``BoundedValidation``, strawberry's depth and alias limiters plus graphql-core's rules
(``validate`` alone, no execution). Tests assert the codes; the milliseconds live here,
because a shared machine makes any timing assertion flaky.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/refusals.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import strawberry
from graphql import get_introspection_query, parse, specified_rules, validate
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from bench.report import Figure, Report
from chipkg import KnowledgeGraph, seed
from chipkg.schema import Context, DocumentLimits, build_schema
from chipkg.schema.classes import read as read_ontology
from chipkg.schema.generation import generate
from chipkg.schema.limits import measure, refusals
from chipkg.schema.mutation import Mutation

# The anchor is skipped above this many expanded fields: it doubles with every fragment level
# (1.1 s at 2^19 on an idle machine, 12 s measured over HTTP under load).
ANCHOR_MAX_EXPANSION = 1 << 20


def fragments(levels: int) -> str:
    """``levels`` fragments, each spreading the next twice: 2^levels fields, under 1 KB."""
    parts = ['query { entity(id: "h20") { ...F0 } }']
    for i in range(levels):
        body = f"...F{i + 1} ...F{i + 1}" if i < levels - 1 else "id"
        parts.append(f"fragment F{i} on Entity {{ {body} }}")
    return "\n".join(parts)


UNIT = ('id iri label(lang: "en") types description(lang: "en") labels { value lang } '
        'relations(first: 5) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { '
        'predicate predicateIri direction source { id } target { id label(lang: "ja") } '
        'evidence { text lang paragraph } } } }')


def widest_allowed(limits: DocumentLimits) -> str:
    """The costliest document within the limits found so far: every path asked ``max_repeats``
    times, identical arguments (so the overlap rule compares every pair to the leaves), as
    many copies as ``max_fields`` allows."""
    copies = limits.max_repeats
    per_root = 1 + measure(parse("{ %s }" % UNIT)).total.fields
    roots = max(1, -(-limits.max_fields // (copies * per_root)) - 1)
    fields = []
    for r in range(roots):
        fields += [f'r{r}: entity(id: "h20") {{ {UNIT} }}'] * copies
    return "{ " + " ".join(fields) + " }"


def documents(limits: DocumentLimits) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(key, title, document, variables)."""
    return [
        ("fragments_19", "19 fragments each spreading the next twice (2^19 fields)", fragments(19), None),
        ("fragments_16", "16 fragments each spreading the next twice (2^16 fields)", fragments(16), None),
        ("fields_450", "one field asked 450 times", '{ entity(id: "h20") { %s } }' % " ".join(["id"] * 450), None),
        ("label_450", "label(lang: \"en\") asked 450 times",
         '{ entity(id: "h20") { %s } }' % " ".join(['label(lang: "en")'] * 450), None),
        ("depth_2000", "2,000 nested selections",
         ('{ entity(id: "h20") { ' + "relations { edges { node { target { " * 500 + "id" + " } } } }" * 500 + " } }"),
         None),
        ("aliases_1000", "1,000 aliases", "{ " + " ".join(f'a{i}: entity(id: "h20") {{ id }}' for i in range(1000))
         + " }", None),
        ("tokens_20000", "20,000 tokens", "{ " + "__typename " * 20_000 + "}", None),
        ("two_operations", "two operations, no operationName",
         "query A { stats { triples } } query B { stats { entities } }", None),
        ("lone_surrogate", "a lone surrogate in a variable",
         "query($t: String!) { search(text: $t) { id } }", {"t": "\ud800"}),
        ("widest_allowed", f"wide document within the limits ({limits.max_repeats} repeats of each path)",
         widest_allowed(limits), None),
        ("introspection", "GraphiQL's introspection query (answered)", get_introspection_query(descriptions=True),
         None),
    ]


def anchor_schema() -> strawberry.Schema:
    generated = generate(read_ontology(seed.ONTOLOGY))
    return strawberry.Schema(query=generated.query, mutation=Mutation, types=generated.types)


def time_anchor(schema: strawberry.Schema, document: str, limits: DocumentLimits, repeats: int) -> float | None:
    """graphql-core's rules plus strawberry's limiters on the parsed document, in ms."""
    rules = [*QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules]
    try:
        parsed = parse(document, max_tokens=limits.max_tokens)
    except Exception:  # noqa: BLE001 - refused by the parser: nothing to validate
        return None
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        validate(schema._schema, parsed, [*specified_rules, *rules])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def time_chipkg_validation(schema: strawberry.Schema, document: str, limits: DocumentLimits, repeats: int) -> float:
    """For a document that is answered: chipkg's parse, refusals and graphql-core rules, in ms
    (what runs on the event loop before execution), without the resolvers' time."""
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        parsed = parse(f"{document}\n# run {i}", max_tokens=limits.max_tokens)
        if not refusals(parsed, limits):
            validate(schema._schema, parsed, specified_rules)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true", help="skip the anchor where it takes seconds")
    args = parser.parse_args(argv)
    limits = DocumentLimits()
    schema = build_schema()
    anchor = anchor_schema()
    kg = KnowledgeGraph()
    report = Report(meta={"python": sys.version.split()[0], "repeats": args.repeats, "limits": str(limits)})
    for key, title, document, variables in documents(limits):
        times, codes = [], set()
        for i in range(args.repeats):
            text = f"{document}\n# run {i}"
            started = time.perf_counter()
            result = asyncio.run(schema.execute(text, variable_values=variables,
                                                context_value=Context.for_request(kg)))
            times.append((time.perf_counter() - started) * 1000)
            codes |= {e.extensions["code"] for e in result.errors or ()}
        try:
            expansion = measure(parse(document, max_tokens=limits.max_tokens)).total.fields
        except Exception:  # noqa: BLE001
            expansion = 0
        anchor_max = 1 << 12 if args.quick else ANCHOR_MAX_EXPANSION
        anchor_ms = (time_anchor(anchor, document, limits, 1 if expansion > 1 << 12 else args.repeats)
                     if expansion <= anchor_max and variables is None else None)
        report.checks[key] = sorted(codes)
        outcome = ", ".join(sorted(codes)) or "answered (parse and validation timed, not execution)"
        chipkg_ms = statistics.median(times) if codes else time_chipkg_validation(schema, document, limits,
                                                                                         args.repeats)
        report.add(Figure(key=f"refusal.{key}", title=title, unit="ms", chipkg=chipkg_ms,
                          anchor=anchor_ms, anchor_name="strawberry limiters + graphql-core validate",
                          target="chipkg <= 100", note=f"{outcome}; {len(document):,} bytes, "
                                                       f"{expansion:,} fields expanded"))
    print(report.table())
    if args.json:
        report.write_json(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
