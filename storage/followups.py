"""The anonymous follow-up thread of a report: the NGO asks, the reporter answers.

Like a GlobaLeaks receipt, the thread is tied to the report, never to a person: no
Telegram identity of either side is stored here, and every text is sealed. Writes
take the caller's `conn` because they belong to bigger transactions (a question is
stored and queued to the reporter in one commit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id

TEXT_CONTEXT = "followup_messages.text"
MAX_TEXT_LENGTH = 2000


class Direction(StrEnum):
    NGO = "ngo"
    REPORTER = "reporter"


@dataclass(frozen=True, slots=True)
class FollowUpMessage:
    direction: Direction
    text: str
    at: dt.datetime
    id: int = 0
    in_reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the NGO, with the report it was asked on."""

    id: int
    report_id: int
    text: str


class FollowUps:
    """Named queries on `followup_messages`."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def thread(self, report_id: int) -> list[FollowUpMessage]:
        """The whole thread of a report, oldest first (what `/case` shows moderators)."""
        rows = await self._db.fetch_all(
            "SELECT id, direction, text_enc, in_reply_to, created_at FROM followup_messages"
            " WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        return [
            FollowUpMessage(
                direction=Direction(row["direction"]),
                text=self._cipher.decrypt(row["text_enc"], context=TEXT_CONTEXT, row=row["id"])
                or "",
                at=from_iso(row["created_at"]),
                id=int(row["id"]),
                in_reply_to=row["in_reply_to"],
            )
            for row in rows
        ]

    async def add_question(self, conn: aiosqlite.Connection, report_id: int, text: str) -> int:
        return await self._add(conn, report_id, Direction.NGO, text, None)

    async def add_answer(self, conn: aiosqlite.Connection, question: Question, text: str) -> int:
        return await self._add(conn, question.report_id, Direction.REPORTER, text, question.id)

    async def question(self, conn: aiosqlite.Connection, question_id: int) -> Question | None:
        """An NGO question by id (answers are not questions)."""
        async with conn.execute(
            "SELECT id, report_id, text_enc FROM followup_messages"
            " WHERE id = ? AND direction = 'ngo'",
            (question_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return Question(
            id=int(row["id"]),
            report_id=int(row["report_id"]),
            text=self._cipher.decrypt(row["text_enc"], context=TEXT_CONTEXT, row=row["id"]) or "",
        )

    async def purge_rejected(self, older_than: dt.datetime) -> int:
        """Delete the threads of reports rejected before `older_than` (retention)."""
        return await self._db.execute(
            "DELETE FROM followup_messages WHERE report_id IN (SELECT id FROM reports"
            " WHERE state = 'rejected' AND COALESCE(closed_at, updated_at) < ?)",
            (to_iso(older_than),),
        )

    async def _add(
        self,
        conn: aiosqlite.Connection,
        report_id: int,
        direction: Direction,
        text: str,
        in_reply_to: int | None,
    ) -> int:
        row_id = await next_row_id(conn, "followup_messages")
        cursor = await conn.execute(
            "INSERT INTO followup_messages (id, report_id, direction, text_enc, in_reply_to,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                row_id,
                report_id,
                direction.value,
                self._cipher.encrypt(text[:MAX_TEXT_LENGTH], context=TEXT_CONTEXT, row=row_id),
                in_reply_to,
                self._clock.now_iso(),
            ),
        )
        await cursor.close()
        return row_id
