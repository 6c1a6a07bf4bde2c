"""Deterministic bulk data sets of verified cases, for tests and benchmarks.

`load_cases` inserts the N cases of a spec (storage/fixture_cases.py) and their dated
events in one transaction with `executemany`. Sealing a million distinct names is the
slow part: with `distinct_names=False` every case shares one sealed placeholder and has
no cédula, which is all the figures benchmark needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Iterable

from domain.vocabulary import (
    ReportState,
)
from storage.cases import CEDULA_CONTEXT
from storage.cases import NAME_CONTEXT as PERSON_NAME_CONTEXT
from storage.crypto import FieldCipher
from storage.database import Database
from storage.figures import rebuild_summaries
from storage.fixture_cases import (
    CHUNK_ROWS,
    MINOR_AGE,
    FixtureCase,
    FixtureEvent,
    FixtureSpec,
    FixtureSummary,
    _generate,
    _RawCase,
    _RawEvent,
    generate_cases,
)
from storage.reports import CEDULA_PURPOSE

__all__ = [
    "FixtureCase",
    "FixtureEvent",
    "FixtureSpec",
    "FixtureSummary",
    "generate_cases",
    "insert_cases",
    "insert_reports",
    "load_cases",
]


async def load_cases(db: Database, cipher: FieldCipher, spec: FixtureSpec) -> FixtureSummary:
    """Insert the cases of `spec` after any already stored, in one transaction.

    The indexes and triggers of both tables are dropped and created again at the end
    from their own stored SQL (so whatever migrations added is restored): sorting once
    beats a million random index inserts, and the figures summaries the triggers keep
    are recounted once instead. A failure rolls all of it back.
    """
    rows = _Rows(spec.first_day, spec.today, cipher)
    total_cases = total_events = 0
    async with db.transaction() as conn:
        async with conn.execute("SELECT COALESCE(MAX(id), 0) FROM cases") as cursor:
            found = await cursor.fetchone()
        first_id = int(found[0]) + 1 if found else 1
        async with conn.execute(_TABLE_SCHEMA) as cursor:
            schema = [(str(kind).upper(), str(name), str(sql)) for kind, name, sql in
                      await cursor.fetchall()]  # fmt: skip
        for kind, name, _ in schema:
            await conn.execute(f'DROP {kind} "{name}"')
        cases = _generate(spec, first_id)
        while chunk := list(itertools.islice(cases, CHUNK_ROWS)):
            event_rows = [rows.event(case.id, event) for case in chunk for event in case.events]
            await conn.executemany(_INSERT_CASE, [rows.case(case) for case in chunk])
            await conn.executemany(_INSERT_EVENT, event_rows)
            total_cases += len(chunk)
            total_events += len(event_rows)
        for _, _, sql in schema:
            await conn.execute(sql)
        await rebuild_summaries(conn)
    return FixtureSummary(first_id, first_id + total_cases - 1, total_cases, total_events)


async def insert_cases(db: Database, cipher: FieldCipher, cases: Iterable[FixtureCase]) -> None:
    """Insert hand-built cases with their ids and events, through every trigger."""
    cases = list(cases)
    days = [day for case in cases for day in _dates(case)]
    if not days:
        return
    first = min(days)
    rows = _Rows(first, max(days), cipher)

    def offset(day: dt.date) -> int:
        return (day - first).days

    async with db.transaction() as conn:
        for case in cases:
            raw = _RawCase(
                **{name: getattr(case, name) for name in _SAME_FIELDS},
                detained=offset(case.detained_on),
                entity=case.federal_entity,
                body=case.detaining_body,
                released=offset(case.released_on) if case.released_on else None,
                events=[
                    _RawEvent(e.kind, offset(e.event_date), e.state_before, e.state_after)
                    for e in case.events
                ],
            )
            await conn.execute(_INSERT_CASE, rows.case(raw))
            await conn.executemany(_INSERT_EVENT, [rows.event(case.id, e) for e in raw.events])


_SAME_FIELDS = ("id", "state", "name", "cedula", "sex", "age", "affiliation", "merged_into")


def _dates(case: FixtureCase) -> list[dt.date]:
    released = [case.released_on] if case.released_on else []
    return [case.detained_on, *released, *(event.event_date for event in case.events)]


async def insert_reports(
    db: Database, cipher: FieldCipher, states: Iterable[ReportState], *, quarantined: bool = False
) -> None:
    """Bare detention reports in the given states (what the awaiting count reads)."""
    async with db.transaction() as conn:
        for state in states:
            now = "2026-01-01T15:00:00Z"
            await conn.execute(
                "INSERT INTO reports (receipt_hash, kind, state, quarantined, created_at,"
                " updated_at) VALUES (?, 'detention', ?, ?, ?, ?)",
                (
                    cipher.lookup_hash(secrets.token_hex(8), purpose="receipt"),
                    state.value,
                    int(quarantined),
                    now,
                    now,
                ),
            )


_TABLE_SCHEMA = (
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
    " AND tbl_name IN ('cases', 'case_events') AND sql IS NOT NULL"
)
_INSERT_CASE = (
    "INSERT INTO cases (id, state, person_name_enc, cedula_enc, cedula_hash, sex, age,"
    " is_minor, affiliation, detained_on, federal_entity, detaining_body, place, released_on,"
    " merged_into, verified_at, last_verified_at, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    "INSERT INTO case_events (case_id, kind, event_date, state_before, state_after, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


class _Rows:
    """SQL rows of raw cases, with every day's ISO text computed once."""

    def __init__(self, first_day: dt.date, last_day: dt.date, cipher: FieldCipher) -> None:
        span = (last_day - first_day).days + 1
        self._days = [(first_day + dt.timedelta(days=n)).isoformat() for n in range(span)]
        self._stamps = [f"{day}T15:00:00Z" for day in self._days]
        self._cipher = cipher

    def case(self, case: _RawCase) -> tuple[object, ...]:
        cipher = self._cipher
        # Every value is sealed for its own row (storage/crypto), placeholders too.
        name_enc = cipher.encrypt(case.name, context=PERSON_NAME_CONTEXT, row=case.id)
        verified = self._stamps[case.events[0].day]
        last = self._stamps[max(event.day for event in case.events)]
        return (
            case.id,
            case.state.value,
            name_enc,
            cipher.encrypt(case.cedula, context=CEDULA_CONTEXT, row=case.id),
            cipher.lookup_hash(case.cedula, purpose=CEDULA_PURPOSE) if case.cedula else None,
            case.sex,
            case.age,
            int(case.age < MINOR_AGE),
            case.affiliation,
            self._days[case.detained],
            case.entity,
            case.body,
            "unknown",
            self._days[case.released] if case.released is not None else None,
            case.merged_into,
            verified,
            last,
            verified,
            last,
        )

    def event(self, case_id: int, event: _RawEvent) -> tuple[object, ...]:
        before = event.before.value if event.before else None
        day = event.day
        return (case_id, event.kind.value, self._days[day], before, event.after.value,
                self._stamps[day])  # fmt: skip
