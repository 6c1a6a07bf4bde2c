"""Cases: one person deprived of liberty, verified by the NGO, and its dated events.

A case is born from a verified report (its person fields copied and re-sealed for
this table), moves through `domain.transitions` and records each move as a dated
`case_events` row. Writes are conditional on `version`, like reports: two moderators
recording a release at once cannot both win. `release_conditions` holds the
comma-separated condition codes of `domain.vocabulary.RELEASE_CONDITIONS`;
`presentation_days` the court-presentation interval ("every N days"), if known.
"""

from __future__ import annotations

import datetime as dt

import aiosqlite

from domain.conditions import COURT_PRESENTATION
from domain.transitions import CaseMove
from domain.vocabulary import PLACES, CaseEventKind, CaseState, codes
from storage.case_models import (
    CEDULA_CONTEXT,
    EVENT_DETAILS_CONTEXT,
    MUNICIPALITY_CONTEXT,
    NAME_CONTEXT,
    OTHER_PLACE,
    PLACE_OTHER_CONTEXT,
    REPORT_CONTEXTS,
    UNKNOWN_PLACE,
    Case,
    CaseChanged,
    CaseEvent,
    Change,
    Missing,
)
from storage.clock import Clock, from_iso
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id

__all__ = [
    "CEDULA_CONTEXT",
    "EVENT_DETAILS_CONTEXT",
    "MUNICIPALITY_CONTEXT",
    "NAME_CONTEXT",
    "OTHER_PLACE",
    "PLACE_OTHER_CONTEXT",
    "REPORT_CONTEXTS",
    "UNKNOWN_PLACE",
    "Case",
    "CaseChanged",
    "CaseEvent",
    "Cases",
    "Change",
    "Missing",
]

_CASE = (
    "id, state, person_name_enc, cedula_enc, sex, age, is_minor, affiliation, detained_on,"
    " federal_entity, municipality_enc, detaining_body, place, place_other_enc, released_on,"
    " release_conditions, publish_consent, merged_into, version, verified_at, created_at,"
    " updated_at, presentation_days"
)


class Cases:
    """The cases repository; every write runs inside the caller's transaction."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def get(self, case_id: int) -> Case | None:
        row = await self._db.fetch_one(
            f"SELECT {_CASE} FROM cases WHERE id = ?",  # noqa: S608
            (case_id,),
        )
        return self._case(row) if row else None

    async def load(self, conn: aiosqlite.Connection, case_id: int) -> Case | None:
        async with conn.execute(
            f"SELECT {_CASE} FROM cases WHERE id = ?",  # noqa: S608
            (case_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return self._case(row) if row else None

    async def create_from_report(
        self,
        conn: aiosqlite.Connection,
        report_id: int,
        state: CaseState,
        *,
        verified_on: dt.date,
        actor_key: str,
    ) -> int:
        """A new case with the report's person fields; its first event is `verified`."""
        async with conn.execute(
            "SELECT person_name_enc, cedula_enc, cedula_hash, sex, age, is_minor, affiliation,"
            " detained_on, federal_entity, municipality_enc, detaining_body, whereabouts,"
            " whereabouts_other_enc, publish_consent_at FROM reports WHERE id = ?",
            (report_id,),
        ) as cursor:
            report = await cursor.fetchone()
        if report is None:
            raise LookupError(f"report {report_id} not found")
        whereabouts = report["whereabouts"]
        place = whereabouts if whereabouts in codes(PLACES) else None
        now = self._clock.now_iso()
        case_id = await next_row_id(conn, "cases")

        def reseal(field: str, context: str) -> str | None:
            """The report's value, sealed again for the case's column and row."""
            plain = self._cipher.decrypt(
                report[f"{field}_enc"], context=REPORT_CONTEXTS[field], row=report_id
            )
            return self._cipher.encrypt(plain, context=context, row=case_id)

        await conn.execute(
            "INSERT INTO cases (id, state, person_name_enc, cedula_enc, cedula_hash, sex, age,"
            " is_minor, affiliation, detained_on, federal_entity, municipality_enc,"
            " detaining_body, place, place_other_enc, publish_consent, verified_at,"
            " last_verified_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                state.value,
                reseal("person_name", NAME_CONTEXT) or "",
                reseal("cedula", CEDULA_CONTEXT),
                report["cedula_hash"],
                report["sex"],
                report["age"],
                int(report["is_minor"] or 0),
                report["affiliation"],
                report["detained_on"],
                report["federal_entity"],
                reseal("municipality", MUNICIPALITY_CONTEXT),
                report["detaining_body"],
                place,
                reseal("whereabouts_other", PLACE_OTHER_CONTEXT),
                int(report["publish_consent_at"] is not None),
                now,
                now,
                now,
                now,
            ),
        )
        await self._event(
            conn, case_id, CaseEventKind.VERIFIED, verified_on, None, state, None, actor_key
        )
        return case_id

    async def attach_report(
        self,
        conn: aiosqlite.Connection,
        case: Case,
        report_id: int,
        *,
        verified_on: dt.date | None,
        actor_key: str,
    ) -> None:
        """Link another report's weight to the case: its consent to publish counts,
        and when it verifies the case (not a mere duplicate) the case is verified
        again on `verified_on`, with its own `verified` event."""
        now = self._clock.now_iso()
        await conn.execute(
            "UPDATE cases SET updated_at = ?, version = version + 1,"
            " last_verified_at = CASE WHEN ? THEN ? ELSE last_verified_at END,"
            " publish_consent = MAX(publish_consent, (SELECT publish_consent_at IS NOT NULL"
            " FROM reports WHERE id = ?)) WHERE id = ?",
            (now, verified_on is not None, now, report_id, case.id),
        )
        if verified_on is not None:
            await self._event(
                conn,
                case.id,
                CaseEventKind.VERIFIED,
                verified_on,
                case.state,
                case.state,
                None,
                actor_key,
            )

    async def apply(
        self,
        conn: aiosqlite.Connection,
        case: Case,
        move: CaseMove,
        change: Change,
        *,
        actor_key: str,
    ) -> Case:
        """Move the case as the moderator saw it (`case.version`), or `CaseChanged`.

        A release stamps its date, conditions and court-presentation interval, which
        stay after a re-arrest (`released_on` is the date of the latest release; the
        re-arrest has its own dated event); a re-arrest makes the place the new one.
        """
        released_on = case.released_on
        conditions = case.release_conditions
        days = case.presentation_days
        place, place_other = case.place, case.place_other
        if move.event is CaseEventKind.RELEASE:
            released_on, conditions = change.event_date, change.conditions
            days = change.presentation_days if COURT_PRESENTATION in conditions else None
        elif move.event is CaseEventKind.REARREST:
            place, place_other = change.place, change.place_other
        elif change.place is not None:
            place, place_other = change.place, change.place_other
        cursor = await conn.execute(
            "UPDATE cases SET state = ?, version = version + 1, updated_at = ?,"
            " released_on = ?, release_conditions = ?, presentation_days = ?, place = ?,"
            " place_other_enc = ? WHERE id = ? AND version = ? AND merged_into IS NULL",
            (
                move.state.value,
                self._clock.now_iso(),
                released_on.isoformat() if released_on else None,
                ",".join(conditions) or None,
                days,
                place,
                self._cipher.encrypt(place_other, context=PLACE_OTHER_CONTEXT, row=case.id),
                case.id,
                case.version,
            ),
        )
        if cursor.rowcount != 1:
            raise CaseChanged(await self._reload(conn, case.id))
        await self._event(
            conn,
            case.id,
            move.event,
            change.event_date,
            case.state,
            move.state,
            change.details,
            actor_key,
        )
        return await self._reload(conn, case.id)

    async def merge(
        self,
        conn: aiosqlite.Connection,
        source: Case,
        target: Case,
        move: CaseMove,
        *,
        on: dt.date,
        actor_key: str,
    ) -> Case:
        """Close `source` into `target`; either one having moved is `CaseChanged`."""
        now = self._clock.now_iso()
        cursor = await conn.execute(
            "UPDATE cases SET state = ?, merged_into = ?, version = version + 1,"
            " updated_at = ? WHERE id = ? AND version = ? AND merged_into IS NULL",
            (move.state.value, target.id, now, source.id, source.version),
        )
        if cursor.rowcount != 1:
            raise CaseChanged(await self._reload(conn, source.id))
        cursor = await conn.execute(
            "UPDATE cases SET version = version + 1, updated_at = ?,"
            " publish_consent = MAX(publish_consent, ?)"
            " WHERE id = ? AND version = ? AND merged_into IS NULL",
            (now, int(source.publish_consent), target.id, target.version),
        )
        if cursor.rowcount != 1:
            raise CaseChanged(await self._reload(conn, target.id))
        # Each side names the other by `related_case_id`, never in a note: an import
        # renumbers cases and maps that column with them.
        for case, after, other in ((source, move.state, target), (target, target.state, source)):
            await self._event(
                conn, case.id, move.event, on, case.state, after, None, actor_key, related=other.id
            )
        return await self._reload(conn, target.id)

    async def events(self, case_id: int) -> list[CaseEvent]:
        """Every dated event, by effective date, then in the order recorded."""
        rows = await self._db.fetch_all(
            "SELECT id, kind, event_date, state_before, state_after, details_enc, created_at,"
            " related_case_id FROM case_events WHERE case_id = ?"
            " ORDER BY event_date, created_at, id",
            (case_id,),
        )
        return [
            CaseEvent(
                id=int(row["id"]),
                kind=CaseEventKind(row["kind"]),
                event_date=dt.date.fromisoformat(row["event_date"]),
                state_before=CaseState(row["state_before"]) if row["state_before"] else None,
                state_after=CaseState(row["state_after"]) if row["state_after"] else None,
                details=self._cipher.decrypt(
                    row["details_enc"], context=EVENT_DETAILS_CONTEXT, row=row["id"]
                ),
                created_at=from_iso(row["created_at"]),
                related_case_id=row["related_case_id"],
            )
            for row in rows
        ]

    async def missing(self) -> list[Missing]:
        """Every disappeared case, with the latest day its whereabouts were lost."""
        rows = await self._db.fetch_all(
            "SELECT c.id, COALESCE((SELECT MAX(e.event_date) FROM case_events e"
            " WHERE e.case_id = c.id AND e.kind = ?), c.detained_on) AS since"
            " FROM cases c WHERE c.state = ? AND c.merged_into IS NULL ORDER BY since, c.id",
            (CaseEventKind.DISAPPEARED.value, CaseState.DISAPPEARED.value),
        )
        return [
            Missing(int(row["id"]), dt.date.fromisoformat(row["since"]) if row["since"] else None)
            for row in rows
        ]

    async def _reload(self, conn: aiosqlite.Connection, case_id: int) -> Case:
        case = await self.load(conn, case_id)
        if case is None:
            raise LookupError(f"case {case_id} not found")
        return case

    async def _event(
        self,
        conn: aiosqlite.Connection,
        case_id: int,
        kind: CaseEventKind,
        on: dt.date,
        before: CaseState | None,
        after: CaseState | None,
        details: str | None,
        actor_key: str,
        *,
        related: int | None = None,
    ) -> None:
        event_id = await next_row_id(conn, "case_events")
        await conn.execute(
            "INSERT INTO case_events (id, case_id, kind, event_date, state_before, state_after,"
            " details_enc, actor_key, created_at, related_case_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                case_id,
                kind.value,
                on.isoformat(),
                before.value if before else None,
                after.value if after else None,
                self._cipher.encrypt(details, context=EVENT_DETAILS_CONTEXT, row=event_id),
                actor_key,
                self._clock.now_iso(),
                related,
            ),
        )

    def _case(self, row: aiosqlite.Row) -> Case:
        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        conditions = row["release_conditions"]
        bound = int(row["id"])
        return Case(
            id=bound,
            state=CaseState(row["state"]),
            person_name=self._cipher.decrypt(
                row["person_name_enc"], context=NAME_CONTEXT, row=bound
            )
            or "",
            cedula=self._cipher.decrypt(row["cedula_enc"], context=CEDULA_CONTEXT, row=bound),
            sex=row["sex"],
            age=row["age"],
            is_minor=bool(row["is_minor"]),
            affiliation=row["affiliation"],
            detained_on=day(row["detained_on"]),
            federal_entity=row["federal_entity"],
            municipality=self._cipher.decrypt(
                row["municipality_enc"], context=MUNICIPALITY_CONTEXT, row=bound
            ),
            detaining_body=row["detaining_body"],
            place=row["place"],
            place_other=self._cipher.decrypt(
                row["place_other_enc"], context=PLACE_OTHER_CONTEXT, row=bound
            ),
            released_on=day(row["released_on"]),
            release_conditions=tuple(conditions.split(",")) if conditions else (),
            publish_consent=bool(row["publish_consent"]),
            merged_into=row["merged_into"],
            version=int(row["version"]),
            verified_at=from_iso(row["verified_at"]) if row["verified_at"] else None,
            created_at=from_iso(row["created_at"]),
            updated_at=from_iso(row["updated_at"]),
            presentation_days=row["presentation_days"],
        )
