"""The benchmark's figures: one row per measurement with chipkg's value, the anchor's, the
ratio chipkg/anchor (all measured in the same run) and the issue's target; printed as
one table and written as JSON so runs can be compared across commits."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Figure:
    key: str
    title: str
    unit: str
    anchor_name: str
    chipkg: float | None = None
    anchor: float | None = None
    better: str = "lower"  # or "higher": which way a chipkg value is good
    target: str = ""  # e.g. "ratio <= 2", "ratio >= 0.5", "chipkg <= 2"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.chipkg is None or not self.anchor:
            return None
        return self.chipkg / self.anchor

    @property
    def met(self) -> bool | None:
        if not self.target:
            return None
        subject, op, bound = self.target.split()
        value = self.ratio if subject == "ratio" else self.chipkg
        if value is None:
            return None
        return value <= float(bound) if op == "<=" else value >= float(bound)


@dataclass
class Report:
    meta: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    checks: dict = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def to_json(self) -> dict:
        return {"meta": self.meta, "checks": self.checks,
                "figures": {f.key: {**{k: v for k, v in asdict(f).items() if k != "key"},
                                    "ratio": f.ratio, "met": f.met} for f in self.figures}}

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def table(self) -> str:
        rows = [("figure", "chipkg", "anchor", "ratio", "target", "met", "anchor is")]
        for f in self.figures:
            rows.append((f"{f.title} ({f.unit})", _num(f.chipkg), _num(f.anchor),
                         "n/a" if f.ratio is None else f"{f.ratio:.2f}", _target(f.target),
                         {True: "yes", False: "NO", None: ""}[f.met], f.anchor_name))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = []
        for n, row in enumerate(rows):
            cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:4], widths[1:4], strict=True)] \
                + [c.ljust(w) for c, w in zip(row[4:], widths[4:], strict=True)]
            lines.append("  ".join(cells).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        notes = [f"- {f.title}: {f.note}" for f in self.figures if f.note]
        return "\n".join(lines + (["", *notes] if notes else []))


def _num(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def _target(target: str) -> str:
    if not target:
        return ""
    subject, op, bound = target.split()
    op = {"<=": "≤", ">=": "≥"}[op]
    return f"{op} {bound}×" if subject == "ratio" else f"chipkg {op} {bound}"


__all__ = ["Figure", "Report"]
