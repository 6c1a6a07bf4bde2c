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

from domain.case_rows import ImportedCase, ImportedEvent
from domain.csv_format import COLUMNS, Kind
from domain.transitions import CUSTODY_STATES, CaseMove
from domain.vocabulary import CaseEventKind, CaseState
from storage.audit import AuditLog
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
        events = case.events or self._history(case, now.date())
        first_event = await next_row_id(conn, "case_events")
        await conn.executemany(
            "INSERT INTO case_events (id, case_id, kind, event_date, state_before, state_after,"
            " details_enc, actor_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self._event_row(event_id, case_id, event, actor_id)
                for event_id, event in enumerate(events, start=first_event)
            ],
        )
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
            elif update.move.event is CaseEventKind.REARREST:
                changes["released_on"] = None
                changes["release_conditions"] = ()
                changes["presentation_days"] = None
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
            event = ImportedEvent(
                update.move.event, update.move_date, update.state_before, update.move.state, None
            )
            await conn.execute(
                "INSERT INTO case_events (id, case_id, kind, event_date, state_before,"
                " state_after, details_enc, actor_key, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._event_row(
                    await next_row_id(conn, "case_events"), update.case_id, event, actor_id
                ),
            )
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

    def _history(self, case: ImportedCase, today: dt.date) -> tuple[ImportedEvent, ...]:
        """Events for a case from a list that has none: verified, then how it ended."""
        verified_on = case.verified_at.date() if case.verified_at else case.detained_on or today
        first = case.state if case.state in CUSTODY_STATES else CaseState.DETAINED
        events = [ImportedEvent(CaseEventKind.VERIFIED, verified_on, None, first, None)]
        if case.released_on is not None and case.state in (CaseState.RELEASED, CaseState.CLOSED):
            events.append(
                ImportedEvent(
                    CaseEventKind.RELEASE, case.released_on, first, CaseState.RELEASED, None
                )
            )
        last = events[-1].state_after
        ended_on = case.updated_at.date() if case.updated_at else today
        if case.state is CaseState.DECEASED:
            events.append(
                ImportedEvent(CaseEventKind.DEATH, ended_on, last, CaseState.DECEASED, None)
            )
        elif case.state is CaseState.CLOSED:
            events.append(
                ImportedEvent(CaseEventKind.CLOSED, ended_on, last, CaseState.CLOSED, None)
            )
        return tuple(events)

    def _event_row(
        self, event_id: int, case_id: int, event: ImportedEvent, actor_id: int
    ) -> tuple[Any, ...]:
        return (
            event_id,
            case_id,
            event.kind.value,
            event.event_date.isoformat(),
            event.state_before.value if event.state_before else None,
            event.state_after.value if event.state_after else None,
            self._cipher.encrypt(event.details, context=EVENT_DETAILS_CONTEXT, row=event_id),
            self._audit.actor_key(actor_id),
            self._clock.now_iso(),
        )

    def _cedula_hash(self, cedula: str | None) -> str | None:
        return self._cipher.lookup_hash(cedula, purpose=CEDULA_PURPOSE) if cedula else None


def _iso_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
