"""What a benchmark returns, the table printed at the end and `bench/results.json`."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

README_START = "<!-- bench-table:start -->"
README_END = "<!-- bench-table:end -->"


@dataclass(frozen=True, slots=True)
class Target:
    """A limit the figure must stay under (`at_most`) or reach (`at_least`)."""

    limit: float
    at_most: bool = True

    def met(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit

    def describe(self, unit: str) -> str:
        sign = "≤" if self.at_most else "≥"
        return f"{sign} {_number(self.limit)}{_unit_suffix(unit)}"


@dataclass(frozen=True, slots=True)
class Figure:
    metric: str
    value: float
    unit: str
    target: Target | None = None

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value)


@dataclass(slots=True)
class BenchResult:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, metric: str, value: float, unit: str, target: Target | None = None) -> Figure:
        figure = Figure(metric, value, unit, target)
        self.figures.append(figure)
        return figure

    @property
    def ok(self) -> bool:
        return all(figure.ok is not False for figure in self.figures)


def _number(value: float) -> str:
    if isinstance(value, int):  # a count
        return f"{value:,}"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _unit_suffix(unit: str) -> str:
    if unit in ("×", "%"):
        return unit
    return f" {unit}" if unit else ""


def table_rows(results: list[BenchResult]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for result in results:
        for index, figure in enumerate(result.figures):
            rows.append(
                (
                    result.title if index == 0 else "",
                    figure.metric,
                    _number(figure.value) + _unit_suffix(figure.unit),
                    figure.target.describe(figure.unit) if figure.target else "",
                    {True: "yes", False: "NO", None: ""}[figure.ok],
                )
            )
    return rows


def render_table(results: list[BenchResult]) -> str:
    """A Markdown table: readable in a terminal and pasted as is into the README."""
    header = ("benchmark", "figure", "value", "target", "met")
    rows = [header, *table_rows(results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(cells) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows[1:])])


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
    }


def write_json(path: Path, results: list[BenchResult], *, mode: str) -> None:
    document = {
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": mode,
        "machine": machine(),
        "all_targets_met": all(result.ok for result in results),
        "results": [{**asdict(result), "ok": result.ok} for result in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def update_readme(readme: Path, results: list[BenchResult]) -> bool:
    """Replace the table between the markers of `bench/README.md`; False if no markers."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    info = machine()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    block = (
        f"{README_START}\n"
        f"Last full run: {stamp}, Python {info['python']}, {info['cpus']} CPUs.\n\n"
        f"{render_table(results)}\n"
    )
    readme.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return True
