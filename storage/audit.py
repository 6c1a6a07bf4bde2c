"""The append-only, hash-chained audit trail of every moderation action.

Triggers forbid UPDATE and DELETE through SQL; the chain catches whoever edits the
file some other way. Each row's `row_hash` is SHA-256 over the previous row's hash
and the canonical JSON of the row itself (id included), so changing, deleting or
reordering a row breaks the link of that row or the next one. The first row links
to `GENESIS`. Rows hold no personal data: actors are keyed hashes, details are codes.

A chain alone cannot show that its LAST rows were cut off: what remains still links
up. So `audit_head` (migration 0010) is kept by a trigger on every insert: the number
of events ever appended and the id and hash of the last one. `verify_chain` walks
the rows and then compares them with the head, so a truncated tail is reported as
missing events after the last row still there. Whoever can rewrite the file at will
could also rewind the head and rehash everything: the trail makes tampering
evident to someone who cuts or edits rows, it is not a signature; off-site backups
are what prove the older history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.clock import Clock, from_iso
from storage.crypto import FieldCipher
from storage.database import Database

GENESIS = "0" * 64
ACTOR_PURPOSE = "actor"
VERIFY_BATCH = 1000

_COLUMNS = (
    "id, at, actor_key, action, target_type, target_id, state_before, state_after,"
    " details, prev_hash, row_hash"
)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: dt.datetime
    actor_key: str | None
    action: str
    target_type: str
    target_id: int | None
    state_before: str | None
    state_after: str | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """Result of `verify_chain`: how many rows were read, the first broken one, and
    how many appended events are missing after the last row (a cut tail)."""

    rows: int
    first_broken: int | None
    missing_tail: int = 0
    last_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken is None and self.missing_tail == 0


def canonical_json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """The hash a row must carry; `row` holds every column but the two hashes."""
    return hashlib.sha256((prev_hash + canonical_json(row)).encode("utf-8")).hexdigest()


class AuditLog:
    """Appends inside the caller's transaction, so an action and its trail commit together."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def actor_key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose=ACTOR_PURPOSE)

    def actor_keys(self, user_id: int) -> list[str]:
        """The current key first, then the key under each old one: what a person
        wrote before a key change, not yet rehashed by rotate-key, is still theirs."""
        return self._cipher.lookup_hash_with_old_keys(user_id, purpose=ACTOR_PURPOSE)

    async def append(
        self,
        conn: aiosqlite.Connection,
        *,
        actor_id: int | None,
        action: str,
        target_type: str,
        target_id: int | None,
        state_before: str | None = None,
        state_after: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one event inside an open transaction; returns its id."""
        async with conn.execute(
            "SELECT id, row_hash FROM audit_events ORDER BY id DESC LIMIT 1"
        ) as cursor:
            last = await cursor.fetchone()
        prev_hash = str(last["row_hash"]) if last else GENESIS
        row: dict[str, Any] = {
            "id": int(last["id"]) + 1 if last else 1,
            "at": self._clock.now_iso(),
            "actor_key": self.actor_key(actor_id) if actor_id is not None else None,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "state_before": state_before,
            "state_after": state_after,
            "details": canonical_json(details) if details else None,
        }
        await conn.execute(
            f"INSERT INTO audit_events ({_COLUMNS})"  # noqa: S608 - fixed column names
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row.values(), prev_hash, row_hash(prev_hash, row)),
        )
        return int(row["id"])

    async def record(self, **event: Any) -> int:
        """`append` in a transaction of its own, for actions with nothing else to write."""
        async with self._db.transaction() as conn:
            return await self.append(conn, **event)

    async def verify_chain(self) -> ChainCheck:
        """Walk the chain in id order; the first row whose link or hash is wrong, else
        whether the head says events were appended after the last row found."""
        prev_hash = GENESIS
        after = 0
        rows = 0
        while True:
            batch = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",  # noqa: S608
                (after, VERIFY_BATCH),
            )
            if not batch:
                return await self._against_head(rows, after or None, prev_hash)
            for stored in batch:
                rows += 1
                body = {key: stored[key] for key in stored.keys() if not key.endswith("hash")}
                if stored["prev_hash"] != prev_hash or stored["row_hash"] != row_hash(
                    prev_hash, body
                ):
                    return ChainCheck(rows, int(stored["id"]))
                prev_hash = str(stored["row_hash"])
                after = int(stored["id"])

    async def _against_head(self, rows: int, last_id: int | None, last_hash: str) -> ChainCheck:
        """An intact chain of `rows` ending at `last_id`: is that all that was appended?"""
        head = await self._db.fetch_one(
            "SELECT event_count, last_id, last_digest FROM audit_head WHERE id = 1"
        )
        if head is None:
            # The head row is written by the migration and cannot be deleted through
            # SQL: without it nothing says how long the trail was.
            return ChainCheck(rows, None, missing_tail=max(rows, 1), last_id=last_id)
        expected = int(head["event_count"])
        matches = head["last_id"] == last_id and (
            head["last_digest"] == (last_hash if last_id is not None else None)
        )
        if expected == rows and matches:
            return ChainCheck(rows, None, last_id=last_id)
        return ChainCheck(rows, None, missing_tail=max(expected - rows, 1), last_id=last_id)

    async def events_for(self, target_type: str, target_id: int) -> list[AuditEvent]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM audit_events"  # noqa: S608
            " WHERE target_type = ? AND target_id = ? ORDER BY id",
            (target_type, target_id),
        )
        return [_event(row) for row in rows]

    async def events_of_type(self, target_type: str) -> list[AuditEvent]:
        """Events about one kind of target (`user`, `database`, ...), oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM audit_events WHERE target_type = ? ORDER BY id",  # noqa: S608
            (target_type,),
        )
        return [_event(row) for row in rows]

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) FROM audit_events")
        return int(row[0]) if row else 0


def _event(row: aiosqlite.Row) -> AuditEvent:
    return AuditEvent(
        id=int(row["id"]),
        at=from_iso(row["at"]),
        actor_key=row["actor_key"],
        action=str(row["action"]),
        target_type=str(row["target_type"]),
        target_id=row["target_id"],
        state_before=row["state_before"],
        state_after=row["state_after"],
        details=json.loads(row["details"]) if row["details"] else {},
    )
