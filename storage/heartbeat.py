"""The running bot's heartbeat, and the health command's read-only look at it.

A job of the running bot rewrites one row every 30 seconds (`Heartbeat.beat`); a
container's health check then tells a live bot from a stopped or wedged one by its age.
The health check must never create, migrate or lock a database, so `read_health`
opens the file through SQLite's URI with `mode=ro` and only reads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.clock import Clock, from_iso
from storage.database import Database


class Heartbeat:
    """Written by the bot's heartbeat job."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def beat(self) -> None:
        await self._db.execute(
            "INSERT INTO heartbeat (id, beat_at) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at",
            (self._clock.now_iso(),),
        )


@dataclass(frozen=True, slots=True)
class HealthReading:
    """What the health command needs from the database."""

    schema_version: int
    last_beat: dt.datetime | None


def read_health(path: Path) -> HealthReading:
    """Schema version and last heartbeat of an existing database, opened read-only.

    Raises FileNotFoundError when there is no database file (SQLite would create one
    without `mode=ro`), and sqlite3.Error when the file is no database of ours."""
    if not path.is_file():
        raise FileNotFoundError(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        (version,) = conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
        ).fetchone()
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'heartbeat'"
        ).fetchone()
        row = (
            conn.execute("SELECT beat_at FROM heartbeat WHERE id = 1").fetchone()
            if (has_table)
            else None
        )
    finally:
        conn.close()
    return HealthReading(int(version), from_iso(row[0]) if row else None)
