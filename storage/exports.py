"""Reading every case for `/export`: opened (decrypted), with its dated events.

`public` reads only unmerged cases whose publication was consented; the caller then
keeps only the public columns. Reads go in id-ordered batches so the database lock is
free between them while a large archive is assembled. How a file column is stored
(its table column, sealed or not) is said here once, for the import too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from domain.csv_format import CASE_COLUMNS, CaseColumn, Kind
from storage.cases import (
    CEDULA_CONTEXT,
    EVENT_DETAILS_CONTEXT,
    MUNICIPALITY_CONTEXT,
    NAME_CONTEXT,
    PLACE_OTHER_CONTEXT,
)
from storage.crypto import FieldCipher
from storage.database import Database

BATCH_ROWS = 5_000
# The file columns sealed at rest, with their contexts (the table's `<name>_enc`).
SEALED = {
    "person_name": NAME_CONTEXT,
    "cedula": CEDULA_CONTEXT,
    "municipality": MUNICIPALITY_CONTEXT,
    "place_other": PLACE_OTHER_CONTEXT,
}


def stored_name(column: CaseColumn) -> str:
    """The `cases` table's column that holds a file column."""
    if column.name == "case_id":
        return "id"
    return f"{column.name}_enc" if column.name in SEALED else column.name


def open_column(row: aiosqlite.Row, column: CaseColumn, cipher: FieldCipher) -> Any:
    """A stored value as the case types hold it, dates and times still ISO text (`row`
    holds the case's `id`: sealed values are bound to it)."""
    value = row[stored_name(column)]
    if column.name in SEALED:
        return cipher.decrypt(value, context=SEALED[column.name], row=row["id"])
    if column.kind is Kind.CONDITIONS:
        return tuple(value.split(",")) if value else ()
    if column.kind is Kind.FLAG:
        return bool(value)
    return value


# Every file column but `events`, which comes from `case_events`.
_STORED = tuple(column for column in CASE_COLUMNS if column.kind is not Kind.EVENTS)
_CASE_COLUMNS = ", ".join(stored_name(column) for column in _STORED)


@dataclass(frozen=True, slots=True)
class ArchivedEvent:
    kind: str
    event_date: str
    state_before: str | None
    state_after: str | None
    details: str | None

    def to_dict(self) -> dict[str, str | None]:
        """The shape of one event in the `events` column and in JSON exports."""
        return {
            "kind": self.kind,
            "date": self.event_date,
            "before": self.state_before,
            "after": self.state_after,
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class ArchivedCase:
    """A case as stored, opened: a field per column of `CASE_COLUMNS`, dates and times
    as the ISO text the table holds (so the files show exactly what is stored)."""

    case_id: int
    state: str
    person_name: str
    cedula: str | None
    sex: str | None
    age: int | None
    is_minor: bool
    affiliation: str | None
    detained_on: str | None
    federal_entity: str | None
    municipality: str | None
    detaining_body: str | None
    place: str | None
    place_other: str | None
    released_on: str | None
    release_conditions: tuple[str, ...]
    publish_consent: bool
    merged_into: int | None
    verified_at: str | None
    last_verified_at: str | None
    created_at: str
    updated_at: str
    events: tuple[ArchivedEvent, ...]
    presentation_days: int | None = None


class CaseExports:
    """Named read queries of the exports."""

    def __init__(self, db: Database, cipher: FieldCipher) -> None:
        self._db = db
        self._cipher = cipher

    async def cases(self, *, public: bool) -> list[ArchivedCase]:
        """Every case (public: consented and unmerged), oldest first, with events."""
        where = "publish_consent = 1 AND merged_into IS NULL AND " if public else ""
        found: list[ArchivedCase] = []
        after = 0
        while True:
            rows = await self._db.fetch_all(
                f"SELECT {_CASE_COLUMNS} FROM cases"  # noqa: S608 - constant fragments
                f" WHERE {where}id > ? ORDER BY id LIMIT ?",
                (after, BATCH_ROWS),
            )
            if not rows:
                return found
            events = await self._events(int(rows[0]["id"]), int(rows[-1]["id"]))
            found.extend(self._open(row, events.get(int(row["id"]), ())) for row in rows)
            after = int(rows[-1]["id"])

    async def _events(self, first: int, last: int) -> dict[int, tuple[ArchivedEvent, ...]]:
        rows = await self._db.fetch_all(
            "SELECT id, case_id, kind, event_date, state_before, state_after, details_enc"
            " FROM case_events WHERE case_id BETWEEN ? AND ? ORDER BY case_id, event_date, id",
            (first, last),
        )
        grouped: dict[int, list[ArchivedEvent]] = {}
        for row in rows:
            grouped.setdefault(int(row["case_id"]), []).append(
                ArchivedEvent(
                    kind=str(row["kind"]),
                    event_date=str(row["event_date"]),
                    state_before=row["state_before"],
                    state_after=row["state_after"],
                    details=self._cipher.decrypt(
                        row["details_enc"], context=EVENT_DETAILS_CONTEXT, row=row["id"]
                    ),
                )
            )
        return {case_id: tuple(events) for case_id, events in grouped.items()}

    def _open(self, row: aiosqlite.Row, events: tuple[ArchivedEvent, ...]) -> ArchivedCase:
        values = {column.name: open_column(row, column, self._cipher) for column in _STORED}
        # Every case has a name; an unreadable one is exported empty.
        values["person_name"] = values["person_name"] or ""
        return ArchivedCase(events=events, **values)
