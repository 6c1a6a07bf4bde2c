"""The dates of a case's story: reading its steps, and correcting a date.

The story's steps are the `case_events` of `domain.story.STORY_KINDS`, read by effective
date, then in the order recorded. A correction changes when a thing happened, never
when the desk recorded it (`created_at` stays). Correcting the latest release also
corrects `released_on`, which is always that release's date. Every write runs inside the
caller's transaction, which checked the new date with `domain.story` first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import aiosqlite

from domain.story import STORY_KINDS
from domain.vocabulary import CaseEventKind
from storage.clock import Clock

_KINDS = tuple(sorted(kind.value for kind in STORY_KINDS))
_MARKS = ", ".join("?" for _ in _KINDS)


@dataclass(frozen=True, slots=True)
class StoredStep:
    """One step of a stored story: enough to place a date among its neighbours."""

    id: int
    kind: CaseEventKind
    event_date: dt.date


class CaseStory:
    """Named reads and writes of a case's story dates."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def steps(self, conn: aiosqlite.Connection, case_id: int) -> list[StoredStep]:
        async with conn.execute(
            "SELECT id, kind, event_date FROM case_events"  # noqa: S608 - ? marks only
            f" WHERE case_id = ? AND kind IN ({_MARKS})"
            " ORDER BY event_date, created_at, id",
            (case_id, *_KINDS),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            StoredStep(int(row[0]), CaseEventKind(row[1]), dt.date.fromisoformat(row[2]))
            for row in rows
        ]

    async def redate_detention(
        self, conn: aiosqlite.Connection, case_id: int, on: dt.date
    ) -> None:
        await conn.execute(
            "UPDATE cases SET detained_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            (on.isoformat(), self._clock.now_iso(), case_id),
        )

    async def redate_step(
        self, conn: aiosqlite.Connection, case_id: int, step: StoredStep, on: dt.date
    ) -> None:
        """Move one step to `on`; `released_on` follows the latest release."""
        await conn.execute(
            "UPDATE case_events SET event_date = ? WHERE id = ? AND case_id = ?",
            (on.isoformat(), step.id, case_id),
        )
        await conn.execute(
            "UPDATE cases SET version = version + 1, updated_at = ?, released_on = COALESCE(("
            " SELECT event_date FROM case_events WHERE case_id = cases.id AND kind = ?"
            " ORDER BY event_date DESC, created_at DESC, id DESC LIMIT 1), released_on)"
            " WHERE id = ?",
            (self._clock.now_iso(), CaseEventKind.RELEASE.value, case_id),
        )
