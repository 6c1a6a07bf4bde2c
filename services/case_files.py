"""The case files: a case as CSV cells or JSON values, full or public (docs/EXPORTS.md).

One code path for every public copy of the data: `/export … public` and the site's open
data are both written by `render`. The public file has a row for every verified case
(every unmerged one), so anyone can recompute the figures from it
(`python -m bot figures --from-csv`):

- a case whose publication was consented shows every public column, and its story
  without the desk's notes;
- any other case keeps only what the figures need (`COUNTED_COLUMNS`): no name, no
  cédula, no place below the state, no free text and no number that links it to
  anything else (no case number, no time of day, and no place among the numbered rows:
  such rows come last, sorted by their cells), and of its story only the dated steps
  the figures count, each as a kind and a date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.csv_format import (
    CASE_COLUMNS,
    COLUMNS,
    COUNTED_COLUMNS,
    FULL_COLUMNS,
    PUBLIC_COLUMNS,
    Cell,
    Kind,
    to_csv,
    to_json,
)
from domain.story import COUNTED_KINDS
from storage.exports import ArchivedCase, ArchivedEvent

FULL = "full"
PUBLIC = "public"
_COUNTED_KINDS = frozenset(kind.value for kind in COUNTED_KINDS)
_PUBLIC_STEP = ("kind", "date", "before", "after")


def full_events(case: ArchivedCase) -> list[dict[str, str | None]]:
    return [event.to_dict() for event in case.events]


def public_events(case: ArchivedCase) -> list[dict[str, str | None]]:
    """The story as the public file tells it: no notes, no times of recording; for a case
    whose family did not consent, only the steps the figures count, as kind and date."""
    if case.publish_consent:
        return [_public_step(event) for event in case.events]
    return [
        {"kind": event.kind, "date": event.event_date}
        for event in case.events
        if event.kind in _COUNTED_KINDS
    ]


def _public_step(event: ArchivedEvent) -> dict[str, str | None]:
    step = event.to_dict()
    return {key: step[key] for key in _PUBLIC_STEP}


def values(case: ArchivedCase, scope: str) -> dict[str, Any]:
    """The case's value of each column of the scope, lists as lists (JSON)."""
    if scope == PUBLIC:
        kept = PUBLIC_COLUMNS if case.publish_consent else COUNTED_COLUMNS
        events = public_events(case)
    else:
        kept, events = FULL_COLUMNS, full_events(case)
    found: dict[str, Any] = {}
    for column in CASE_COLUMNS:
        if column.name not in kept:
            found[column.name] = None
        elif column.kind is Kind.EVENTS:
            found[column.name] = events
        elif column.kind is Kind.CONDITIONS:
            found[column.name] = list(getattr(case, column.name))
        else:
            found[column.name] = getattr(case, column.name)
    return found


def cells(case: ArchivedCase, scope: str) -> dict[str, Cell]:
    """The same values as CSV cells: lists joined, events as a compact JSON array."""
    found: dict[str, Cell] = {}
    for name, value in values(case, scope).items():
        kind = COLUMNS[name].kind
        if kind is Kind.CONDITIONS:
            found[name] = ",".join(value or ()) or None
        elif kind is Kind.EVENTS:
            found[name] = (
                json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else None
            )
        else:
            found[name] = value
    return found


def render(
    cases: Sequence[ArchivedCase], *, file_format: str, scope: str, generated_at: str
) -> bytes:
    """The file `/export` sends (and the site publishes, for the public scope)."""
    columns = PUBLIC_COLUMNS if scope == PUBLIC else FULL_COLUMNS
    if scope == PUBLIC:
        cases = public_order([case for case in cases if case.merged_into is None])
    if file_format == "csv":
        return to_csv(columns, [cells(case, scope) for case in cases])
    return to_json(
        columns, [values(case, scope) for case in cases], scope=scope, generated_at=generated_at
    )


def public_order(cases: Sequence[ArchivedCase]) -> list[ArchivedCase]:
    """Consented rows in case order, then the others sorted by what they show.

    A row without consent has no case number, but in case order its place between two
    numbered rows would give the number away; sorted by its own cells, its place says
    nothing the row does not, and the file stays the same for the same data.
    """
    named = [case for case in cases if case.publish_consent]
    unnamed = [case for case in cases if not case.publish_consent]
    unnamed.sort(key=_shown)
    return named + unnamed


def _shown(case: ArchivedCase) -> list[str]:
    """The row's cells as the CSV shows them, in column order (a sort key)."""
    shown = []
    for cell in cells(case, PUBLIC).values():
        if isinstance(cell, bool):
            cell = int(cell)
        shown.append("" if cell is None else str(cell))
    return shown
