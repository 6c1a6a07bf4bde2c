"""Writing a batch of the outbox worker's results: one statement per kind of result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from storage.clock import to_iso

# A new-report notice that went out inside a merged one ("12 new reports").
MERGED = "merged"


class Result(StrEnum):
    """What happened to one delivery attempt."""

    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    RETRY = "retry"  # back to pending until next_attempt_at
    REQUEUE = "requeue"  # back to pending at once: the request never went out
    MERGED = "merged"  # sent, as part of one merged notice


@dataclass(frozen=True, slots=True)
class Outcome:
    row_id: int
    result: Result
    error: str | None = None
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None


async def record_group(
    conn: aiosqlite.Connection, result: Result, group: list[Outcome], now: str
) -> None:
    if result in (Result.SENT, Result.MERGED):
        error = MERGED if result is Result.MERGED else None
        await conn.executemany(
            "UPDATE outbox SET state = 'sent', sent_at = ?, error = ? WHERE id = ?",
            [(now, error, outcome.row_id) for outcome in group],
        )
    elif result in (Result.BLOCKED, Result.FAILED):
        await conn.executemany(
            "UPDATE outbox SET state = ?, sent_at = ?, error = ?, attempts = ? WHERE id = ?",
            [
                (result.value, now, outcome.error, outcome.attempts, outcome.row_id)
                for outcome in group
            ],
        )
    elif result is Result.RETRY:
        await conn.executemany(
            "UPDATE outbox SET state = 'pending', error = ?, attempts = ?,"
            " next_attempt_at = ? WHERE id = ?",
            [
                (
                    outcome.error,
                    outcome.attempts,
                    to_iso(outcome.next_attempt_at) if outcome.next_attempt_at else None,
                    outcome.row_id,
                )
                for outcome in group
            ],
        )
    else:
        await conn.executemany(
            "UPDATE outbox SET state = 'pending' WHERE id = ?",
            [(outcome.row_id,) for outcome in group],
        )
