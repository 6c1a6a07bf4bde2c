"""Reading every case for `/export`: opened (decrypted), with its dated events.

`public` reads only unmerged cases whose publication was consented; the caller then
keeps only the public columns. Reads go in id-ordered batches so the database lock is
free between them while a large archive is assembled.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

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
_CASE_COLUMNS = (
    "id, state, person_name_enc, cedula_enc, sex, age, is_minor, affiliation, detained_on,"
    " federal_entity, municipality_enc, detaining_body, place, place_other_enc, released_on,"
    " release_conditions, publish_consent, merged_into, verified_at, last_verified_at,"
    " created_at, updated_at, presentation_days"
)


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
    """A case as stored, opened; dates and times as the ISO text the table holds."""

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
            "SELECT case_id, kind, event_date, state_before, state_after, details_enc"
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
                        row["details_enc"], context=EVENT_DETAILS_CONTEXT
                    ),
                )
            )
        return {case_id: tuple(events) for case_id, events in grouped.items()}

    def _open(self, row: aiosqlite.Row, events: tuple[ArchivedEvent, ...]) -> ArchivedCase:
        decrypt = self._cipher.decrypt
        conditions = row["release_conditions"]
        return ArchivedCase(
            case_id=int(row["id"]),
            state=str(row["state"]),
            person_name=decrypt(row["person_name_enc"], context=NAME_CONTEXT) or "",
            cedula=decrypt(row["cedula_enc"], context=CEDULA_CONTEXT),
            sex=row["sex"],
            age=row["age"],
            is_minor=bool(row["is_minor"]),
            affiliation=row["affiliation"],
            detained_on=row["detained_on"],
            federal_entity=row["federal_entity"],
            municipality=decrypt(row["municipality_enc"], context=MUNICIPALITY_CONTEXT),
            detaining_body=row["detaining_body"],
            place=row["place"],
            place_other=decrypt(row["place_other_enc"], context=PLACE_OTHER_CONTEXT),
            released_on=row["released_on"],
            release_conditions=tuple(conditions.split(",")) if conditions else (),
            publish_consent=bool(row["publish_consent"]),
            merged_into=row["merged_into"],
            verified_at=row["verified_at"],
            last_verified_at=row["last_verified_at"],
            created_at=str(row["created_at"]),
            updated_at=str(row["updated_at"]),
            events=events,
            presentation_days=row["presentation_days"],
        )
