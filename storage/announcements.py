"""Official announcements: release counts the authorities claimed, beside the verified ones.

The gap between "over 400 released" and what the NGOs could confirm case by case is
the story the figures tell, so each claim is kept with its date and its source.
"""

from __future__ import annotations

import datetime as dt

import aiosqlite

from domain.figures import Announcement
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id

SOURCE_CONTEXT = "announcements.source"
STAFF_PURPOSE = "staff"


class Announcements:
    """Named queries on `announcements`."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def record(
        self, *, claimed_count: int, since: dt.date, source: str, recorded_by: int
    ) -> Announcement:
        created_at = self._clock.now_iso()
        async with self._db.transaction() as conn:
            row_id = await next_row_id(conn, "announcements")
            cursor = await conn.execute(
                "INSERT INTO announcements"
                " (id, claimed_count, since_date, source_enc, created_by_key, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    row_id,
                    claimed_count,
                    since.isoformat(),
                    self._cipher.encrypt(source, context=SOURCE_CONTEXT, row=row_id),
                    self._cipher.lookup_hash(recorded_by, purpose=STAFF_PURPOSE),
                    created_at,
                ),
            )
            announcement_id = cursor.lastrowid
            await cursor.close()
        if announcement_id is None:
            raise RuntimeError("the announcement was not stored")
        return Announcement(announcement_id, claimed_count, since, source, created_at)

    async def recent(self, limit: int = 3) -> list[Announcement]:
        """The latest claims first (by the date they count from, then by entry)."""
        rows = await self._db.fetch_all(
            "SELECT id, claimed_count, since_date, source_enc, created_at FROM announcements"
            " ORDER BY since_date DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [self._from_row(row) for row in rows]

    async def every(self) -> list[Announcement]:
        """Every claim, the latest first (the site lists them all)."""
        rows = await self._db.fetch_all(
            "SELECT id, claimed_count, since_date, source_enc, created_at FROM announcements"
            " ORDER BY since_date DESC, id DESC"
        )
        return [self._from_row(row) for row in rows]

    async def between(self, first: dt.date, last: dt.date) -> list[Announcement]:
        """Claims counting from a day in [first, last], oldest first (for the chart)."""
        rows = await self._db.fetch_all(
            "SELECT id, claimed_count, since_date, source_enc, created_at FROM announcements"
            " WHERE since_date >= ? AND since_date <= ? ORDER BY since_date, id",
            (first.isoformat(), last.isoformat()),
        )
        return [self._from_row(row) for row in rows]

    def _from_row(self, row: aiosqlite.Row) -> Announcement:
        return Announcement(
            id=row["id"],
            claimed_count=row["claimed_count"],
            since=dt.date.fromisoformat(row["since_date"]),
            source=self._cipher.decrypt(row["source_enc"], context=SOURCE_CONTEXT, row=row["id"])
            or "",
            created_at=row["created_at"],
        )
