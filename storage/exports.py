"""Reading every case for `/export`: opened (decrypted), with its story and records.

Every unmerged case is read for the public file (the caller keeps, for each, the public
columns, or only what the figures need when the family did not consent); the full file
reads every case. Reads go in id-ordered batches so the database lock is free between
them while a large archive is assembled. How a file column is stored (its table column,
sealed or not) is said here once, for the import too.

A case's `events` are its story (docs/EXPORTS.md): the detention (`detained_on`, in the
state the case was verified in), then each stored step of `domain.story.STORY_KINDS`, by
effective date, then in the order recorded. The desk's records are columns instead:
`verified_at`, `last_verified_at`, and `closed_on` (the day of closing or merging).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import aiosqlite

from domain.csv_format import CASE_COLUMNS, CaseColumn, Kind
from domain.story import DETENTION, is_story
from domain.vocabulary import CaseEventKind
from storage.cases import (
    CEDULA_CONTEXT,
    EVENT_DETAILS_CONTEXT,
    MUNICIPALITY_CONTEXT,
    NAME_CONTEXT,
    PLACE_OTHER_CONTEXT,
)
from storage.clock import from_iso
from storage.crypto import FieldCipher
from storage.database import Database

BATCH_ROWS = 5_000
# Case ids bound in one `IN (...)` (SQLite allows 32,766 variables).
_IDS_PER_QUERY = 500
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


# The file columns read from `case_events` (the story, the day of closing) or computed.
FROM_EVENTS = frozenset({"events", "closed_on"})
_STORED = tuple(
    column for column in CASE_COLUMNS if column.name not in FROM_EVENTS and not column.derived
)
_CASE_COLUMNS = ", ".join(stored_name(column) for column in _STORED)
_ENDINGS = (CaseEventKind.CLOSED.value, CaseEventKind.MERGED.value)


@dataclass(frozen=True, slots=True)
class ArchivedEvent:
    """One step of the story; `event_date` is when it happened (None: a detention whose
    date was not recorded), `recorded` when the desk wrote it down (UTC)."""

    kind: str
    event_date: str | None
    state_before: str | None
    state_after: str | None
    details: str | None
    recorded: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The shape of one event in the full file's `events` column and JSON export."""
        return {
            "kind": self.kind,
            "date": self.event_date,
            "recorded": self.recorded,
            "before": self.state_before,
            "after": self.state_after,
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class _Records:
    """What `case_events` holds for one case, read."""

    story: list[ArchivedEvent] = field(default_factory=list)
    initial: str | None = None
    verified_recorded: str | None = None
    closed_on: str | None = None


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
    closed_on: str | None = None
    last_verified_on: str | None = None


def _shown(row: aiosqlite.Row, column: CaseColumn) -> bool:
    """Whether the public file shows this sealed column of this row: the name, with consent."""
    return column.name == "person_name" and bool(row["publish_consent"])


class CaseExports:
    """Named read queries of the exports; `timezone` is the deployment's, for the
    calendar day of `last_verified_at` (`last_verified_on`, as /cifras shows it)."""

    def __init__(self, db: Database, cipher: FieldCipher, timezone: dt.tzinfo) -> None:
        self._db = db
        self._cipher = cipher
        self._timezone = timezone

    def public_ref(self, case_id: int, label: str) -> str:
        """A stable reference to one thing of a case in a published file (the site's
        feed entries): the same while the key is, and linking nothing to the case's
        number without the key."""
        return self._cipher.lookup_hash(f"{case_id}:{label}", purpose="public")[:24]

    async def cases(self, *, public: bool) -> list[ArchivedCase]:
        """Every case (public: every unmerged one), oldest first, with its story."""
        return [case async for batch in self.batches(public=public) for case in batch]

    async def batches(self, *, public: bool) -> AsyncIterator[list[ArchivedCase]]:
        """The same cases in id-ordered batches, for a file written as it is read (the
        site's open data over a million cases).

        For the public file nothing is decrypted that it would not show: the name of a
        case whose family consented, and no other sealed value (cédula, municipality,
        the "other" place, the desk's notes), so those stay empty here."""
        where = "merged_into IS NULL AND " if public else ""
        after = 0
        while True:
            rows = await self._db.fetch_all(
                f"SELECT {_CASE_COLUMNS} FROM cases"  # noqa: S608 - constant fragments
                f" WHERE {where}id > ? ORDER BY id LIMIT ?",
                (after, BATCH_ROWS),
            )
            if not rows:
                return
            events = await self._events(int(rows[0]["id"]), int(rows[-1]["id"]), public)
            yield [self._open(row, events.get(int(row["id"]), _Records()), public) for row in rows]
            after = int(rows[-1]["id"])

    async def public_cases(self, ids: Sequence[int]) -> list[ArchivedCase]:
        """The unmerged cases among `ids`, opened as `batches(public=True)` opens them, in
        id order (the site rewrites only the rows of cases that changed)."""
        wanted = sorted(set(ids))
        found: list[ArchivedCase] = []
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            rows = await self._db.fetch_all(
                f"SELECT {_CASE_COLUMNS} FROM cases"  # noqa: S608 - constant fragments
                f" WHERE merged_into IS NULL AND id IN ({marks}) ORDER BY id",
                chunk,
            )
            if not rows:
                continue
            events = await self._events_where(f"case_id IN ({marks})", chunk, True)
            found.extend(
                self._open(row, events.get(int(row["id"]), _Records()), True) for row in rows
            )
        return found

    async def _events(self, first: int, last: int, public: bool) -> dict[int, _Records]:
        return await self._events_where("case_id BETWEEN ? AND ?", (first, last), public)

    async def _events_where(
        self, condition: str, params: Sequence[int], public: bool
    ) -> dict[int, _Records]:
        """The records of the cases `condition` (a constant fragment) selects."""
        rows = await self._db.fetch_all(
            "SELECT id, case_id, kind, event_date, state_before, state_after, details_enc,"  # noqa: S608
            f" created_at FROM case_events WHERE {condition}"
            " ORDER BY case_id, event_date, created_at, id",
            tuple(params),
        )
        grouped: dict[int, _Records] = {}
        for row in rows:
            case_id, kind = int(row["case_id"]), CaseEventKind(row["kind"])
            found = grouped.get(case_id) or grouped.setdefault(case_id, _Records())
            if is_story(kind):
                found.story.append(self._step(row, public))
            elif kind is CaseEventKind.VERIFIED and row["state_before"] is None:
                grouped[case_id] = replace(
                    found, initial=row["state_after"], verified_recorded=row["created_at"]
                )
            elif row["kind"] in _ENDINGS and row["state_after"] != row["state_before"]:
                grouped[case_id] = replace(found, closed_on=row["event_date"])
        return grouped

    def _step(self, row: aiosqlite.Row, public: bool) -> ArchivedEvent:
        return ArchivedEvent(
            kind=str(row["kind"]),
            event_date=str(row["event_date"]),
            state_before=row["state_before"],
            state_after=row["state_after"],
            details=None
            if public
            else self._cipher.decrypt(
                row["details_enc"], context=EVENT_DETAILS_CONTEXT, row=row["id"]
            ),
            recorded=str(row["created_at"]),
        )

    def _open(self, row: aiosqlite.Row, records: _Records, public: bool) -> ArchivedCase:
        values: dict[str, Any] = {
            column.name: None
            if column.name in SEALED and public and not _shown(row, column)
            else open_column(row, column, self._cipher)
            for column in _STORED
        }
        # Every case has a name; an unreadable one is exported empty.
        values["person_name"] = values["person_name"] or ""
        detention = ArchivedEvent(
            kind=DETENTION,
            event_date=values["detained_on"],
            state_before=None,
            state_after=records.initial,
            details=None,
            recorded=records.verified_recorded,
        )
        last = values["last_verified_at"]
        return ArchivedCase(
            events=(detention, *records.story),
            closed_on=records.closed_on,
            last_verified_on=(
                from_iso(last).astimezone(self._timezone).date().isoformat() if last else None
            ),
            **values,
        )
