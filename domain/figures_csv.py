"""The figures' tally read back from a case file: anyone can recompute /cifras.

A public export has a row for every verified case, and each row keeps what the figures
need (docs/EXPORTS.md, "Rows without consent"): the state and the breakdowns, the
detention date, the dated releases, re-arrests and deaths of its story, and the day it
was last verified. Read into a `domain.figures.Tally`, the file gives the same figures
as the database it came from, through the same code (`domain.figures.compute`). A full
export works too: its merged cases are left out, as the figures leave them out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from domain.csv_format import FULL_COLUMNS, read_csv
from domain.figures import BREAKDOWNS, DAY_KINDS, DETENTION, Tally
from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseState

_TRUE = frozenset({"1", "true"})


class FigureFileError(ValueError):
    """The file cannot give figures: `row` is its spreadsheet row (the header is 1)."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(f"row {row}: {reason}" if row else reason)
        self.row = row
        self.reason = reason


def tally_csv(data: bytes) -> Tally:
    """The tally of a CSV case file (public or full); `FigureFileError` if unreadable."""
    try:
        rows = read_csv(data, FULL_COLUMNS)
    except ValueError as exc:
        raise FigureFileError(0, str(exc)) from exc
    return tally_rows(rows)


def tally_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> Tally:
    tally = Tally()
    for number, cells in rows:
        try:
            _count(tally, cells)
        except (KeyError, TypeError, ValueError, RecursionError) as exc:
            raise FigureFileError(number, str(exc) or type(exc).__name__) from exc
    return tally


def _count(tally: Tally, cells: dict[str, str]) -> None:
    if cells.get("merged_into"):
        return  # a duplicate: its person is counted in the case it joined
    state = CaseState(cells["state"])
    if state in DEPRIVED_OF_LIBERTY:
        codes = {name: cells.get(name) or None for name in BREAKDOWNS}
        tally.count_deprived(state, codes, minor=cells.get("is_minor", "") in _TRUE)
        if cells.get("last_verified_on"):
            tally.saw_verified(state, dt.date.fromisoformat(cells["last_verified_on"]))
    if cells.get("detained_on"):
        tally.daily[DETENTION][dt.date.fromisoformat(cells["detained_on"])] += 1
    for step in json.loads(cells.get("events") or "[]"):
        kind = step["kind"]
        if kind in DAY_KINDS and kind != DETENTION:
            tally.daily[kind][dt.date.fromisoformat(step["date"])] += 1
