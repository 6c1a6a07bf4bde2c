"""Planning an import: match each row to a stored case and decide create, update or keep.

A row matches a case by cédula (its keyed hash, under current and old keys), else by
the person's normalised name and detention date; a row naming a merged case
(`merged_into`) is matched among merged cases only. A changed state must be a legal
move (`domain.transitions`). Planning only reads; storage/case_import.py runs it in the
import's transaction and writes the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from domain.case_rows import ImportedCase, RowProblem, normalised_name
from domain.csv_format import COLUMNS, UPDATABLE_COLUMNS, CaseColumn, Kind
from domain.i18n import N_
from domain.story import check_detention_date, check_event_date
from domain.transitions import (
    CUSTODY_STATES,
    CaseAction,
    CaseMove,
    IllegalTransition,
    case_transition,
)
from domain.vocabulary import CaseEventKind, CaseState
from storage.case_story import CaseStory, StoredStep
from storage.case_writes import PlannedUpdate
from storage.cases import NAME_CONTEXT
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.exports import open_column, stored_name
from storage.reports import CEDULA_PURPOSE

CHUNK = 400
# Columns an update may change; state moves separately, through a transition.
UPDATABLE = UPDATABLE_COLUMNS
# What planning reads of a stored case: its state and what an update may change.
_COMPARED = tuple(COLUMNS[name] for name in ("state", *UPDATABLE))
_LOAD = ", ".join(("id", "merged_into", *(stored_name(column) for column in _COMPARED)))
_CANNOT_MOVE = N_("state cannot change from {before} to {after}")
# An import may withdraw consent to publish, never give it: a list exported before a
# family withdrew would otherwise republish the name. Consent comes from the family.
_CONSENT_KEPT = N_(
    "publish_consent stays at 0: only the family can give consent to publish again "
    "(the rest of the row is applied)"
)
_ACTIONS = {
    CaseState.RELEASED: CaseAction.RELEASE,
    CaseState.HOUSE_ARREST: CaseAction.HOUSE_ARREST,
    CaseState.DECEASED: CaseAction.DEATH,
    CaseState.CLOSED: CaseAction.CLOSE,
    CaseState.DISAPPEARED: CaseAction.TRANSFER,
}


@dataclass(slots=True)
class ImportPlan:
    creates: list[ImportedCase] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    # Rows applied, or left alone, with part of them refused (consent never rises).
    notes: list[RowProblem] = field(default_factory=list)
    # The file's case ids of rows matched to a stored case (updated or unchanged).
    matched: dict[int, int] = field(default_factory=dict)
    # Stored ids of the cases `apply` created or changed, for the caller's indexes.
    written: list[int] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.creates) + len(self.updates)

    @property
    def skipped_notes(self) -> int:
        """Merge notes of an older export left out: they named the other deployment's
        case numbers (`domain.story.ParsedStory.skipped_notes`)."""
        rows = [*self.creates, *(update.case for update in self.updates)]
        return sum(row.skipped_notes for row in rows)


@dataclass(slots=True)
class _Matching:
    """What the planning of one file has seen so far."""

    by_cedula: dict[str, list[tuple[int, bool]]]
    by_name: dict[tuple[str, str], list[tuple[int, bool]]]
    claimed: dict[int, int] = field(default_factory=dict)  # case id -> row
    seen: dict[tuple[str, str], int] = field(default_factory=dict)  # identity -> row


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    merged: bool
    values: dict[str, Any]
    steps: list[StoredStep]


class ImportPlanner:
    """Plans an import inside the caller's transaction (reads only)."""

    def __init__(self, cipher: FieldCipher, clock: Clock) -> None:
        self._cipher = cipher
        self._clock = clock
        self._story = CaseStory(clock)

    async def plan(
        self,
        conn: aiosqlite.Connection,
        rows: Sequence[ImportedCase],
        problems: Sequence[RowProblem],
    ) -> ImportPlan:
        plan = ImportPlan(rejected=list(problems))
        matching = _Matching(
            await self._by_cedula(conn, [row.cedula for row in rows if row.cedula]),
            await self._by_name(conn, {row.detained_on for row in rows if row.detained_on}),
        )
        await self._plan_rows(
            conn, [row for row in rows if row.merged_into is None], plan, matching
        )
        # A merged case is imported only with the case it was merged into (which may
        # itself be merged into another): resolved in waves, targets first.
        present = {case.file_case_id for case in plan.creates} | set(plan.matched)
        waiting = [row for row in rows if row.merged_into is not None]
        while True:
            wave = [row for row in waiting if row.merged_into in present]
            if not wave:
                break
            waiting = [row for row in waiting if row.merged_into not in present]
            await self._plan_rows(conn, wave, plan, matching)
            present = {case.file_case_id for case in plan.creates} | set(plan.matched)
        for row in waiting:
            plan.rejected.append(
                RowProblem(
                    row.row,
                    N_("merged_into: case {value} is not among the rows imported"),
                    (("value", str(row.merged_into)),),
                )
            )
        plan.rejected.sort(key=lambda problem: problem.row)
        plan.notes.sort(key=lambda problem: problem.row)
        plan.updates.sort(key=lambda update: update.case.row)
        plan.unchanged.sort()
        return plan

    async def _plan_rows(
        self,
        conn: aiosqlite.Connection,
        rows: Sequence[ImportedCase],
        plan: ImportPlan,
        matching: _Matching,
    ) -> None:
        for row in rows:
            case_id = self._match(row, plan, matching)
            if case_id is None:
                continue
            finished = self._changes(row, await self._load(conn, case_id))
            if isinstance(finished, RowProblem):
                plan.rejected.append(finished)
                continue
            if finished.changes.get("publish_consent") is True:
                del finished.changes["publish_consent"]
                plan.notes.append(RowProblem(row.row, _CONSENT_KEPT))
            if row.file_case_id is not None:
                plan.matched[row.file_case_id] = case_id
            if finished.changes or finished.move:
                plan.updates.append(finished)
            else:
                plan.unchanged.append(row.row)

    def _match(self, row: ImportedCase, plan: ImportPlan, matching: _Matching) -> int | None:
        """The stored case the row updates; None when it creates one or is rejected."""
        merged = row.merged_into is not None
        date = row.detained_on.isoformat() if row.detained_on else ""
        identities = [("name", f"{row.match_name}|{date}|{merged}")]
        candidates: list[int] = []
        if row.cedula:
            identities.insert(0, ("cedula", f"{row.cedula}|{merged}"))
            found = matching.by_cedula.get(row.cedula, [])
            candidates = [case for case, is_merged in found if is_merged == merged]
        if not candidates and row.detained_on:
            found = matching.by_name.get((row.match_name, date), [])
            candidates = [case for case, is_merged in found if is_merged == merged]
        if len(candidates) > 1:
            ids = ", ".join(str(case) for case in sorted(candidates))
            plan.rejected.append(
                RowProblem(row.row, N_("it matches several cases ({ids})"), (("ids", ids),))
            )
            return None
        if candidates:
            if candidates[0] in matching.claimed:
                plan.rejected.append(_same_as(row.row, matching.claimed[candidates[0]]))
                return None
            matching.claimed[candidates[0]] = row.row
            return candidates[0]
        for identity in identities:
            if identity in matching.seen:
                plan.rejected.append(_same_as(row.row, matching.seen[identity]))
                return None
        for identity in identities:
            matching.seen[identity] = row.row
        plan.creates.append(row)
        return None

    async def _by_cedula(
        self, conn: aiosqlite.Connection, cedulas: list[str]
    ) -> dict[str, list[tuple[int, bool]]]:
        hashes: dict[str, str] = {}
        for cedula in set(cedulas):
            for digest in self._cipher.lookup_hash_with_old_keys(cedula, purpose=CEDULA_PURPOSE):
                hashes[digest] = cedula
        found: dict[str, list[tuple[int, bool]]] = {}
        keys = list(hashes)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            async with conn.execute(
                "SELECT id, cedula_hash, merged_into FROM cases"  # noqa: S608 - ? marks only
                f" WHERE cedula_hash IN ({marks})",
                chunk,
            ) as cursor:
                for row in await cursor.fetchall():
                    cedula = hashes[str(row["cedula_hash"])]
                    found.setdefault(cedula, []).append(
                        (int(row["id"]), row["merged_into"] is not None)
                    )
        return found

    async def _by_name(
        self, conn: aiosqlite.Connection, dates: set[dt.date]
    ) -> dict[tuple[str, str], list[tuple[int, bool]]]:
        """Cases detained on the file's dates, by normalised name (only those are opened)."""
        found: dict[tuple[str, str], list[tuple[int, bool]]] = {}
        days = sorted(day.isoformat() for day in dates)
        for start in range(0, len(days), CHUNK):
            chunk = days[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            async with conn.execute(
                "SELECT id, person_name_enc, detained_on, merged_into FROM cases"  # noqa: S608
                f" WHERE detained_on IN ({marks})",
                chunk,
            ) as cursor:
                for row in await cursor.fetchall():
                    name = self._cipher.decrypt(
                        row["person_name_enc"], context=NAME_CONTEXT, row=row["id"]
                    )
                    key = (normalised_name(name or ""), str(row["detained_on"]))
                    found.setdefault(key, []).append(
                        (int(row["id"]), row["merged_into"] is not None)
                    )
        return found

    async def _load(self, conn: aiosqlite.Connection, case_id: int) -> _Stored:
        async with conn.execute(
            f"SELECT {_LOAD} FROM cases WHERE id = ?",  # noqa: S608 - constant fragments
            (case_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise LookupError(f"case {case_id} vanished")
        values = {column.name: _compared(row, column, self._cipher) for column in _COMPARED}
        steps = await self._story.steps(conn, case_id)
        return _Stored(int(row["id"]), row["merged_into"] is not None, values, steps)

    def _changes(self, row: ImportedCase, stored: _Stored) -> PlannedUpdate | RowProblem:
        changes = {
            column: getattr(row, column)
            for column in UPDATABLE
            if column in row.present and getattr(row, column) != stored.values[column]
        }
        current: CaseState = stored.values["state"]
        move: CaseMove | None = None
        move_date: dt.date | None = None
        redate: StoredStep | None = None
        today = self._clock.now().date()
        detained_on = changes.get("detained_on", stored.values["detained_on"])
        try:
            if "detained_on" in changes:
                first = stored.steps[0].event_date if stored.steps else None
                check_detention_date(detained_on, today=today, first_step=first)
            if row.state is not current:
                move, move_date = self._move(current, row)
                latest = stored.steps[-1].event_date if stored.steps else None
                check_event_date(move_date, today=today, detained_on=detained_on, previous=latest)
            elif "released_on" in changes:
                redate = _corrected_release(
                    stored.steps, changes["released_on"], detained_on, today
                )
        except IllegalTransition as refused:
            params = tuple((key, str(value)) for key, value in refused.params.items())
            return RowProblem(row.row, refused.reason, params)
        return PlannedUpdate(row, stored.id, current, changes, move, move_date, redate)

    def _move(self, current: CaseState, row: ImportedCase) -> tuple[CaseMove, dt.date]:
        today = self._clock.now().date()
        target = row.state
        if target is CaseState.DETAINED and current is CaseState.RELEASED:
            move = case_transition(current, CaseAction.REARREST)
        elif target is CaseState.DETAINED and current in CUSTODY_STATES:
            move = case_transition(current, CaseAction.TRANSFER, place=row.place or "other")
        elif target in _ACTIONS:
            place = "unknown" if target is CaseState.DISAPPEARED else row.place
            move = case_transition(
                current, _ACTIONS[target], place=place, conditions=row.release_conditions
            )
        else:
            raise IllegalTransition(_CANNOT_MOVE, before=current.value, after=target.value)
        if move.state is not target:
            raise IllegalTransition(_CANNOT_MOVE, before=current.value, after=target.value)
        if move.event is CaseEventKind.RELEASE and row.released_on is not None:
            return move, row.released_on
        return move, today


def _corrected_release(
    steps: list[StoredStep], on: dt.date | None, detained_on: dt.date | None, today: dt.date
) -> StoredStep:
    """The latest release, which a changed `released_on` moves, once the new date still
    falls between the steps around it."""
    index = max(
        (at for at, step in enumerate(steps) if step.kind is CaseEventKind.RELEASE), default=None
    )
    if index is None or on is None:
        raise IllegalTransition(N_("released_on: the case has no release whose date to correct"))
    previous = steps[index - 1].event_date if index > 0 else None
    following = steps[index + 1].event_date if index + 1 < len(steps) else None
    check_event_date(
        on, today=today, detained_on=detained_on, previous=previous, following=following
    )
    return steps[index]


def _same_as(row: int, other: int) -> RowProblem:
    return RowProblem(row, N_("it is the same person as row {other}"), (("other", str(other)),))


def _compared(row: aiosqlite.Row, column: CaseColumn, cipher: FieldCipher) -> Any:
    """A stored value as an imported row holds it, to tell what the row changes."""
    value = open_column(row, column, cipher)
    if column.kind is Kind.STATE:
        return CaseState(value)
    if column.kind is Kind.DAY:
        return _day(value)
    if column.kind is Kind.MOMENT:
        return _moment(value)
    return value


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
