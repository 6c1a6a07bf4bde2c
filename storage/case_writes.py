"""The writes of an import: new cases with their history, changed cases, audit events.

Every method runs inside the caller's transaction (`storage.case_import.CaseImport.apply`),
so an import is written whole or not at all. Personal fields are sealed with the same
contexts as `storage.cases`, and the cédula hash is the one intake and moderation use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import aiosqlite

from domain.case_rows import ImportedCase
from domain.csv_format import COLUMNS, Kind
from domain.transitions import CaseMove
from domain.vocabulary import CaseEventKind, CaseState
from storage.audit import AuditLog
from storage.case_story import StoredStep
from storage.cases import (
    CEDULA_CONTEXT,
    EVENT_DETAILS_CONTEXT,
    MUNICIPALITY_CONTEXT,
    NAME_CONTEXT,
    PLACE_OTHER_CONTEXT,
)
from storage.clock import Clock, to_iso
from storage.crypto import FieldCipher
from storage.database import next_row_id
from storage.exports import SEALED, stored_name
from storage.reports import CEDULA_PURPOSE

AUDIT_CREATED = "case_imported"
AUDIT_UPDATED = "case_import_updated"


@dataclass(frozen=True, slots=True)
class PlannedUpdate:
    case: ImportedCase
    case_id: int
    state_before: CaseState
    changes: dict[str, Any]
    move: CaseMove | None
    move_date: dt.date | None
    # A corrected `released_on`: the latest release step moves to that date.
    redate: StoredStep | None = None


@dataclass(frozen=True, slots=True)
class _Event:
    kind: CaseEventKind
    on: dt.date
    before: CaseState | None
    after: CaseState | None
    details: str | None = None
    recorded: dt.datetime | None = None
    related: int | None = None


class CaseWriter:
    """Inserts and updates for the import, each with its events and one audit event."""

    def __init__(self, cipher: FieldCipher, clock: Clock, audit: AuditLog) -> None:
        self._cipher = cipher
        self._clock = clock
        self._audit = audit

    async def create(
        self,
        conn: aiosqlite.Connection,
        case: ImportedCase,
        merged_into: int | None,
        actor_id: int,
    ) -> int:
        now = self._clock.now()
        case_id = await next_row_id(conn, "cases")
        encrypt = self._cipher.encrypt
        await conn.execute(
            "INSERT INTO cases (id, state, person_name_enc, cedula_enc, cedula_hash, sex, age,"
            " is_minor, affiliation, detained_on, federal_entity, municipality_enc,"
            " detaining_body, place, place_other_enc, released_on, release_conditions,"
            " publish_consent, merged_into, verified_at, last_verified_at, created_at,"
            " updated_at, presentation_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                case.state.value,
                encrypt(case.person_name, context=NAME_CONTEXT, row=case_id),
                encrypt(case.cedula, context=CEDULA_CONTEXT, row=case_id),
                self._cedula_hash(case.cedula),
                case.sex,
                case.age,
                int(case.is_minor),
                case.affiliation,
                _iso_day(case.detained_on),
                case.federal_entity,
                encrypt(case.municipality, context=MUNICIPALITY_CONTEXT, row=case_id),
                case.detaining_body,
                case.place,
                encrypt(case.place_other, context=PLACE_OTHER_CONTEXT, row=case_id),
                _iso_day(case.released_on),
                ",".join(case.release_conditions) or None,
                int(case.publish_consent),
                merged_into,
                to_iso(case.verified_at or now),
                to_iso(case.last_verified_at or case.verified_at or now),
                to_iso(case.created_at or now),
                to_iso(case.updated_at or now),
                case.presentation_days,
            ),
        )
        events = self._history(case, merged_into, now)
        for event in events:
            await self._insert(conn, case_id, event, actor_id)
        if merged_into is not None:
            await self._merged_back(conn, merged_into, case_id, events[-1], actor_id)
        await self._audit.append(
            conn,
            actor_id=actor_id,
            action=AUDIT_CREATED,
            target_type="case",
            target_id=case_id,
            state_after=case.state.value,
            details={"row": case.row, "events": len(events)},
        )
        return case_id

    async def update(
        self, conn: aiosqlite.Connection, update: PlannedUpdate, actor_id: int
    ) -> None:
        changes = dict(update.changes)
        if update.move is not None:
            if update.move.event is CaseEventKind.RELEASE:
                changes.setdefault("released_on", update.move_date)
                changes.setdefault("release_conditions", update.case.release_conditions)
                changes.setdefault("presentation_days", update.case.presentation_days)
        if update.redate is not None:
            await conn.execute(
                "UPDATE case_events SET event_date = ? WHERE id = ? AND case_id = ?",
                (_iso_day(changes["released_on"]), update.redate.id, update.case_id),
            )
        columns, values = self._assignments(changes, update.case_id)
        if update.move is not None:
            columns.append("state = ?")
            values.append(update.move.state.value)
        columns += ["version = version + 1", "updated_at = ?"]
        values += [self._clock.now_iso(), update.case_id]
        await conn.execute(
            f"UPDATE cases SET {', '.join(columns)} WHERE id = ?",  # noqa: S608 - fixed names
            values,
        )
        if update.move is not None and update.move_date is not None:
            event = _Event(
                update.move.event, update.move_date, update.state_before, update.move.state
            )
            await self._insert(conn, update.case_id, event, actor_id)
        await self._audit.append(
            conn,
            actor_id=actor_id,
            action=AUDIT_UPDATED,
            target_type="case",
            target_id=update.case_id,
            state_before=update.state_before.value,
            state_after=(update.move.state if update.move else update.state_before).value,
            details={"row": update.case.row, "fields": sorted(update.changes)},
        )

    def _assignments(self, changes: dict[str, Any], case_id: int) -> tuple[list[str], list[Any]]:
        """`SET` terms of the changed columns, each stored as its kind is."""
        encrypt = self._cipher.encrypt
        columns: list[str] = []
        values: list[Any] = []
        for name, value in changes.items():
            column = COLUMNS[name]
            columns.append(f"{stored_name(column)} = ?")
            if name in SEALED:
                values.append(encrypt(value, context=SEALED[name], row=case_id))
                if name == "cedula":
                    columns.append("cedula_hash = ?")
                    values.append(self._cedula_hash(value))
            elif column.kind is Kind.DAY:
                values.append(_iso_day(value))
            elif column.kind is Kind.MOMENT:
                values.append(to_iso(value) if value else None)
            elif column.kind is Kind.CONDITIONS:
                values.append(",".join(value) or None)
            elif column.kind is Kind.FLAG:
                values.append(int(value))
            else:
                values.append(value)
        return columns, values

    def _history(
        self, case: ImportedCase, merged_into: int | None, now: dt.datetime
    ) -> list[_Event]:
        """The desk's verification (in the state the story starts in), the story's steps
        as the row's checks left them, then the closing or the merge, if any."""
        verified = case.verified_at or now
        events = [
            _Event(
                CaseEventKind.VERIFIED,
                verified.date(),
                None,
                case.initial_state,
                recorded=verified,
            )
        ]
        events += [
            _Event(
                step.kind,
                step.event_date,
                step.state_before,
                step.state_after,
                step.details,
                step.recorded,
            )
            for step in case.events
        ]
        last = events[-1].after
        if case.state is CaseState.CLOSED:
            ended = case.closed_on or min((case.updated_at or now).date(), now.date())
            kind = CaseEventKind.MERGED if merged_into is not None else CaseEventKind.CLOSED
            events.append(_Event(kind, ended, last, CaseState.CLOSED, related=merged_into))
        return events

    async def _merged_back(
        self,
        conn: aiosqlite.Connection,
        target_id: int,
        source_id: int,
        merge: _Event,
        actor_id: int,
    ) -> None:
        """The record on the case a merged row joined, naming it back (as /merge does)."""
        async with conn.execute("SELECT state FROM cases WHERE id = ?", (target_id,)) as cursor:
            row = await cursor.fetchone()
        state = CaseState(row[0]) if row else None
        back = _Event(CaseEventKind.MERGED, merge.on, state, state, related=source_id)
        await self._insert(conn, target_id, back, actor_id)

    async def _insert(
        self, conn: aiosqlite.Connection, case_id: int, event: _Event, actor_id: int
    ) -> None:
        event_id = await next_row_id(conn, "case_events")
        await conn.execute(
            "INSERT INTO case_events (id, case_id, kind, event_date, state_before, state_after,"
            " details_enc, actor_key, created_at, related_case_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                case_id,
                event.kind.value,
                event.on.isoformat(),
                event.before.value if event.before else None,
                event.after.value if event.after else None,
                self._cipher.encrypt(event.details, context=EVENT_DETAILS_CONTEXT, row=event_id),
                self._audit.actor_key(actor_id),
                to_iso(event.recorded) if event.recorded else self._clock.now_iso(),
                event.related,
            ),
        )

    def _cedula_hash(self, cedula: str | None) -> str | None:
        return self._cipher.lookup_hash(cedula, purpose=CEDULA_PURPOSE) if cedula else None


def _iso_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
