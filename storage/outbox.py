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
from enum import IntEnum, StrEnum
from typing import Any

import aiosqlite

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database, next_row_id
from storage.outbox_results import Outcome, Result, record_group

CHAT_PURPOSE = "outbox"
CHAT_CONTEXT = "outbox.chat_id"
PAYLOAD_CONTEXT = "outbox.payload"
UNCONFIRMED = "unconfirmed"
__all__ = [
    "ChatId",
    "DeliveryCounts",
    "Kind",
    "Lane",
    "Outbox",
    "OutboxRow",
    "Outcome",
    "Recipient",
    "Result",
    "parse_chat_id",
]
# Rows in a final state are a trace of who was written to; they go after this long.
FINISHED_ROWS_KEPT = dt.timedelta(days=2)

ChatId = int | str
_DUE_COLUMNS = (
    "id, kind, broadcast_id, chat_key, chat_id_enc, language, payload_enc, attempts,"
    " lane, report_id, urgent"
)


class Kind(StrEnum):
    BROADCAST = "broadcast"
    NOTIFICATION = "notification"


class Lane(IntEnum):
    """Which rows go first when Telegram's budget is short (lower first)."""

    FAMILY = 0  # a family's own notifications
    STAFF = 1  # new-report notices, digests, answers relayed to moderators
    BROADCAST = 2


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
    lane: Lane = Lane.FAMILY
    # A new-report notice: the report it announces (its text is written when sent).
    report_id: int | None = None
    urgent: bool = False


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
        text: str | None,
        reply_markup: dict[str, Any] | None = None,
        lane: Lane = Lane.FAMILY,
        report: tuple[int, bool] | None = None,
    ) -> int:
        """Queue one message inside the caller's transaction; call `wake()` after commit.

        `text` is HTML (escape what users typed); `reply_markup` is a Bot API markup
        dict, e.g. `InlineKeyboardMarkup(...).to_dict()`. A new-report notice has no
        text but `report` (its id, whether urgent): the worker's staff renderer writes
        it when it goes, alone or merged with others waiting for the same chat.
        """
        row_id = await next_row_id(conn, "outbox")
        payload = None
        if text is not None:
            opened = json.dumps({"text": text, "reply_markup": reply_markup}, ensure_ascii=False)
            payload = self._cipher.encrypt(opened, context=PAYLOAD_CONTEXT, row=row_id)
        report_id, urgent = report if report is not None else (None, False)
        cursor = await conn.execute(
            "INSERT INTO outbox (id, kind, chat_key, chat_id_enc, language, payload_enc,"
            " created_at, lane, report_id, urgent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row_id,
                Kind.NOTIFICATION.value,
                self.chat_key(chat_id),
                self._cipher.encrypt(str(chat_id), context=CHAT_CONTEXT, row=row_id),
                language,
                payload,
                self._clock.now_iso(),
                int(lane),
                report_id,
                int(urgent),
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
            " language, created_at, lane) VALUES (?, ?, ?, ?, ?, ?, ?, 2)",
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

    async def due(self, limit: int, skip: Sequence[str] = ()) -> list[OutboxRow]:
        """Pending rows whose time has come, lane by lane, oldest first; none for the
        chats in `skip` (keys of chats out of budget now, so they hold nobody up)."""
        marks = ", ".join("?" for _ in skip)
        rows = await self._db.fetch_all(
            f"SELECT {_DUE_COLUMNS} FROM outbox WHERE state = 'pending'"  # noqa: S608
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            f" AND chat_key NOT IN ({marks}) ORDER BY lane, id LIMIT ?",
            (self._clock.now_iso(), *skip, limit),
        )
        return await self._opened(rows)

    async def staff_backlog(self, chat_key: str, limit: int) -> list[OutboxRow]:
        """A chat's pending new-report notices, oldest first (to merge when behind)."""
        rows = await self._db.fetch_all(
            f"SELECT {_DUE_COLUMNS} FROM outbox WHERE state = 'pending'"  # noqa: S608
            " AND lane = 1 AND report_id IS NOT NULL AND chat_key = ? ORDER BY id LIMIT ?",
            (chat_key, limit),
        )
        return await self._opened(rows)

    async def _opened(self, rows: Sequence[aiosqlite.Row]) -> list[OutboxRow]:
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
            lane=Lane(int(row["lane"])),
            report_id=row["report_id"],
            urgent=bool(row["urgent"]),
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
                await record_group(conn, result, group, now)

    async def recover_interrupted(self) -> int:
        """At startup: settle rows left in `sending` by a crash; how many were settled.

        Telegram offers no idempotency key, so a row whose request had started when the
        bot died cannot be known to be delivered or not. For what families and
        subscribers read, Vigía chooses at-most-once (at most the worker's concurrency
        rows, none after a clean stop): they count as sent and are marked
        `unconfirmed`, which a broadcast's final report shows. A staff notice is sent
        again instead: moderators reading a notice twice is better than a report
        nobody was told of. Rows never started are still `pending` and always sent.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND lane = ?",
                (int(Lane.STAFF),),
            )
            resent = cursor.rowcount
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'sent', error = ?, sent_at = ? WHERE state = 'sending'",
                (UNCONFIRMED, self._clock.now_iso()),
            )
            return resent + cursor.rowcount

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
