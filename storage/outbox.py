"""The durable outbox: one row per recipient and message, delivered by the outbox worker.

Reporter notifications and broadcasts both go through here, so a restart never loses
a message and never sends a confirmed one twice. Row states:

- `pending`: waiting (a retry waits until `next_attempt_at`);
- `sending`: its request was started; written (committed) immediately before the
  request, so after a crash a row still in `sending` may have reached Telegram;
- `sent` (`error = 'unconfirmed'` when it was found in `sending` after a crash),
  `failed` (permanent error or retries exhausted), `blocked` (403: the user blocked
  the bot or deleted the account).

Chat ids and notification texts are sealed; `chat_key` is their keyed hash, so a
broadcast reaches each chat once (unique per broadcast and chat).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiosqlite

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database, next_row_id

CHAT_PURPOSE = "outbox"
CHAT_CONTEXT = "outbox.chat_id"
PAYLOAD_CONTEXT = "outbox.payload"
UNCONFIRMED = "unconfirmed"
# Rows in a final state are a trace of who was written to; they go after this long.
FINISHED_ROWS_KEPT = dt.timedelta(days=2)

ChatId = int | str


class Kind(StrEnum):
    BROADCAST = "broadcast"
    NOTIFICATION = "notification"


class Result(StrEnum):
    """What happened to one delivery attempt."""

    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    RETRY = "retry"  # back to pending until next_attempt_at
    REQUEUE = "requeue"  # back to pending at once: the request never went out


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: ChatId
    language: str


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A due row, opened: what the worker needs to send it."""

    id: int
    kind: Kind
    broadcast_id: int | None
    chat_key: str
    chat_id: ChatId
    language: str
    text: str | None
    reply_markup: dict[str, Any] | None
    attempts: int


@dataclass(frozen=True, slots=True)
class Outcome:
    row_id: int
    result: Result
    error: str | None = None
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class DeliveryCounts:
    """A broadcast's rows by state; `sent` includes the unconfirmed ones."""

    total: int = 0
    sent: int = 0
    unconfirmed: int = 0
    failed: int = 0
    blocked: int = 0
    remaining: int = 0

    @property
    def finished(self) -> bool:
        return self.remaining == 0


def parse_chat_id(value: str) -> ChatId:
    """Private chats and groups are numbers; a public channel may be `@name`."""
    try:
        return int(value)
    except ValueError:
        return value


class Outbox:
    """Queue operations; the sending itself is `services.outbox_worker.OutboxWorker`'s job."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._waker: Callable[[], None] | None = None

    # Enqueueing -------------------------------------------------------------------

    def chat_key(self, chat_id: ChatId) -> str:
        return self._cipher.lookup_hash(str(chat_id), purpose=CHAT_PURPOSE)

    async def add_notification(
        self,
        conn: aiosqlite.Connection,
        *,
        chat_id: int,
        language: str,
        text: str,
        reply_markup: dict[str, Any] | None = None,
    ) -> int:
        """Queue one message inside the caller's transaction; call `wake()` after commit.

        `text` is HTML (escape what users typed); `reply_markup` is a Bot API markup
        dict, e.g. `InlineKeyboardMarkup(...).to_dict()`.
        """
        payload = json.dumps({"text": text, "reply_markup": reply_markup}, ensure_ascii=False)
        row_id = await next_row_id(conn, "outbox")
        cursor = await conn.execute(
            "INSERT INTO outbox (id, kind, chat_key, chat_id_enc, language, payload_enc,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row_id,
                Kind.NOTIFICATION.value,
                self.chat_key(chat_id),
                self._cipher.encrypt(str(chat_id), context=CHAT_CONTEXT, row=row_id),
                language,
                self._cipher.encrypt(payload, context=PAYLOAD_CONTEXT, row=row_id),
                self._clock.now_iso(),
            ),
        )
        await cursor.close()
        return row_id

    def broadcast_rows(
        self, broadcast_id: int, recipients: Iterable[Recipient]
    ) -> list[tuple[int, str, ChatId, str]]:
        """Rows for `enqueue_broadcast`, hashed before its transaction takes the lock
        (sealing waits for the transaction: a value is sealed for its row's id)."""
        return [
            (
                broadcast_id,
                self.chat_key(recipient.chat_id),
                recipient.chat_id,
                recipient.language,
            )
            for recipient in recipients
        ]

    async def enqueue_broadcast(
        self, conn: aiosqlite.Connection, rows: list[tuple[int, str, ChatId, str]]
    ) -> int:
        """One row per recipient inside the caller's transaction; a chat at most once
        (a repeated chat's id is left unused)."""
        before = conn.total_changes
        first = await next_row_id(conn, "outbox")
        now = self._clock.now_iso()
        seal = self._cipher.encrypt
        await conn.executemany(
            "INSERT OR IGNORE INTO outbox (id, kind, broadcast_id, chat_key, chat_id_enc,"
            " language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    row_id,
                    Kind.BROADCAST.value,
                    broadcast_id,
                    chat_key,
                    seal(str(chat_id), context=CHAT_CONTEXT, row=row_id),
                    language,
                    now,
                )
                for row_id, (broadcast_id, chat_key, chat_id, language) in enumerate(
                    rows, start=first
                )
            ],
        )
        return conn.total_changes - before

    def set_waker(self, waker: Callable[[], None] | None) -> None:
        """The worker registers here to be nudged when rows are added."""
        self._waker = waker

    def wake(self) -> None:
        """Nudge the worker (after the transaction that added rows has committed)."""
        if self._waker is not None:
            self._waker()

    # The worker's side ------------------------------------------------------------

    async def due(self, limit: int) -> list[OutboxRow]:
        """Pending rows whose time has come, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT id, kind, broadcast_id, chat_key, chat_id_enc, language, payload_enc,"
            " attempts FROM outbox WHERE state = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            (self._clock.now_iso(), limit),
        )
        opened: list[OutboxRow] = []
        broken: list[int] = []
        for row in rows:
            try:
                opened.append(self._open(row))
            except (DecryptionError, ValueError):
                broken.append(int(row["id"]))
        if broken:
            # A row no key opens can never be sent; it must not block the ones after it.
            marks = ", ".join("?" for _ in broken)
            await self._db.execute(
                f"UPDATE outbox SET state = 'failed', error = 'unreadable' WHERE id IN ({marks})",  # noqa: S608
                broken,
            )
        return opened

    def _open(self, row: aiosqlite.Row) -> OutboxRow:
        bound = int(row["id"])
        chat = self._cipher.decrypt(row["chat_id_enc"], context=CHAT_CONTEXT, row=bound) or ""
        text: str | None = None
        markup: dict[str, Any] | None = None
        sealed = row["payload_enc"]
        if sealed is not None:
            opened = self._cipher.decrypt(sealed, context=PAYLOAD_CONTEXT, row=bound)
            payload = json.loads(opened or "{}")
            text = payload.get("text")
            markup = payload.get("reply_markup")
        return OutboxRow(
            id=int(row["id"]),
            kind=Kind(row["kind"]),
            broadcast_id=row["broadcast_id"],
            chat_key=str(row["chat_key"]),
            chat_id=parse_chat_id(chat),
            language=str(row["language"]),
            text=text,
            reply_markup=markup,
            attempts=int(row["attempts"]),
        )

    async def mark_sending(self, row_ids: Sequence[int]) -> None:
        """Committed before the requests start: the crash-recovery policy relies on it."""
        if not row_ids:
            return
        marks = ", ".join("?" for _ in row_ids)
        await self._db.execute(
            f"UPDATE outbox SET state = 'sending' WHERE id IN ({marks})",  # noqa: S608
            tuple(row_ids),
        )

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write a batch of results in one transaction."""
        if not outcomes:
            return
        now = self._clock.now_iso()
        by_result: dict[Result, list[Outcome]] = {}
        for outcome in outcomes:
            by_result.setdefault(outcome.result, []).append(outcome)
        async with self._db.transaction() as conn:
            for result, group in by_result.items():
                await _record_group(conn, result, group, now)

    async def recover_interrupted(self) -> int:
        """At startup: rows left in `sending` may have reached Telegram; never resend them.

        Telegram offers no idempotency key, so a row whose request had started when the
        bot died cannot be known to be delivered or not. Vigía chooses at-most-once for
        exactly those rows (at most the worker's concurrency, none after a clean stop):
        they count as sent and are marked `unconfirmed`, which the sender's final report
        shows. Rows never started are still `pending` and are always sent.
        """
        return await self._db.execute(
            "UPDATE outbox SET state = 'sent', error = ?, sent_at = ? WHERE state = 'sending'",
            (UNCONFIRMED, self._clock.now_iso()),
        )

    async def next_due_at(self) -> dt.datetime | None:
        row = await self._db.fetch_one(
            "SELECT MIN(COALESCE(next_attempt_at, created_at)) FROM outbox WHERE state = 'pending'"
        )
        return from_iso(row[0]) if row and row[0] else None

    async def pending_count(self) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
        )
        return int(row[0]) if row else 0

    async def broadcast_counts(self, broadcast_id: int) -> DeliveryCounts:
        rows = await self._db.fetch_all(
            "SELECT state, error = ? AS unconfirmed, COUNT(*) AS n FROM outbox"
            " WHERE broadcast_id = ? GROUP BY state, unconfirmed",
            (UNCONFIRMED, broadcast_id),
        )
        counts = {"sent": 0, "failed": 0, "blocked": 0, "remaining": 0}
        unconfirmed = 0
        for row in rows:
            state, n = str(row["state"]), int(row["n"])
            if state in ("pending", "sending"):
                counts["remaining"] += n
            else:
                counts[state] += n
            if state == "sent" and row["unconfirmed"]:
                unconfirmed += n
        return DeliveryCounts(total=sum(counts.values()), unconfirmed=unconfirmed, **counts)

    async def forget_chat(self, chat_id: ChatId) -> int:
        """Drop every row, sent or not, for a chat that asked to be forgotten."""
        keys = self._cipher.lookup_hash_with_old_keys(str(chat_id), purpose=CHAT_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            f"DELETE FROM outbox WHERE chat_key IN ({marks}) AND state != 'sending'",  # noqa: S608
            keys,
        )

    async def purge_finished(self) -> int:
        """Delete rows in a final state older than `FINISHED_ROWS_KEPT`."""
        before = to_iso(self._clock.now() - FINISHED_ROWS_KEPT)
        return await self._db.execute(
            "DELETE FROM outbox WHERE state IN ('sent', 'failed', 'blocked')"
            " AND COALESCE(sent_at, created_at) < ?",
            (before,),
        )


async def _record_group(
    conn: aiosqlite.Connection, result: Result, group: list[Outcome], now: str
) -> None:
    if result is Result.SENT:
        await conn.executemany(
            "UPDATE outbox SET state = 'sent', sent_at = ?, error = NULL WHERE id = ?",
            [(now, outcome.row_id) for outcome in group],
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
