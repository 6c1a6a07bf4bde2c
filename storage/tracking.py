"""Ids of the messages in private chats, kept until the bot has deleted them.

Telegram gives a bot no way to list a chat's messages, so every id the bot sees in a
private chat (its own and the user's) is stored here with Telegram's date of the
message. A row leaves when the message was deleted, or when Telegram refused to delete
it or it passed the 48 hours after which Telegram refuses: then the chat's count of
messages left on the phone (`tracked_chats.left_count`) takes it, so the bot can tell
the family what is still there.

Only ids are stored: the chat as a keyed hash (to find its rows) and sealed (so the
expiry job can address the chat), the message id and the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.clock import Clock, to_iso
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id

# Telegram lets a bot delete a message in a private chat while it is less than 48
# hours old (`deleteMessage` in the Bot API documentation).
TELEGRAM_DELETE_WINDOW = dt.timedelta(hours=48)
CHAT_PURPOSE = "tracking"
CHAT_CONTEXT = "tracked_messages.chat_id"
CHATS_CONTEXT = "tracked_chats.chat_id"
# A chat's rows that the expiry job reads in one trip: deleteMessages takes 100 ids,
# and a page of chats is read at a time so no trip holds the database for long.
DUE_CHATS_PAGE = 2_000
_DUE_ROWS_SLICE = 200
_ISO_MINUS_MINUTES = "strftime('%Y-%m-%dT%H:%M:%SZ', ?, '-' || c.expiry_minutes || ' minutes')"


@dataclass(frozen=True, slots=True)
class TrackedMessage:
    """One message seen in a private chat (the bot's or the user's)."""

    chat_id: int
    message_id: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A tracked message of one chat, for a wipe to tell deletable from too old."""

    message_id: int
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ExpiryRules:
    """The expiry of a chat that chose none: by role. A chat's own choice comes first."""

    family: dt.timedelta
    staff: dt.timedelta
    staff_ids: Sequence[int]


@dataclass(frozen=True, slots=True)
class DueChat:
    """A chat with messages past its expiry, as stored (`key` is the row's chat_key)."""

    key: str
    chat_id: int
    cutoff: str


@dataclass(frozen=True, slots=True)
class Settled:
    """What became of a chat's due messages: gone (`removed`), `left` of them refused."""

    key: str
    chat_id: int
    removed: Sequence[int]
    left: int


class TrackingStore:
    """Writes batches of tracked ids; reads them per chat and by age; settles them."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def keys(self, chat_id: int) -> list[str]:
        # Old keys too: rows written before a key rotation finished must still be wiped.
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=CHAT_PURPOSE)

    async def add_many(self, messages: Sequence[TrackedMessage]) -> None:
        """One transaction per batch: the hot path never waits for a single-row insert."""
        if not messages:
            return
        keys: dict[int, str] = {}
        for message in messages:
            if message.chat_id not in keys:
                keys[message.chat_id] = self._cipher.lookup_hash(
                    message.chat_id, purpose=CHAT_PURPOSE
                )
        seal = self._cipher.encrypt
        async with self._db.transaction() as conn:
            # Each chat id is sealed for its own row (storage/crypto): ids first.
            first = await next_row_id(conn, "tracked_messages")
            rows = [
                (
                    row_id,
                    keys[message.chat_id],
                    seal(str(message.chat_id), context=CHAT_CONTEXT, row=row_id),
                    message.message_id,
                    to_iso(message.at),
                )
                for row_id, message in enumerate(messages, start=first)
            ]
            await conn.executemany(
                "INSERT INTO tracked_messages (id, chat_key, chat_id_enc, message_id, sent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_key, message_id) DO NOTHING",
                rows,
            )

    async def messages(self, chat_id: int) -> list[ChatMessage]:
        """Every tracked message of the chat, oldest id first."""
        keys = self.keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        rows = await self._db.fetch_all(
            "SELECT message_id, MIN(sent_at) AS sent_at FROM tracked_messages"  # noqa: S608
            f" WHERE chat_key IN ({marks}) GROUP BY message_id ORDER BY message_id",
            keys,
        )
        return [
            ChatMessage(int(row["message_id"]), dt.datetime.fromisoformat(row["sent_at"]))
            for row in rows
        ]

    async def message_ids(self, chat_id: int) -> list[int]:
        """Ids still deletable (younger than 48 hours), oldest first."""
        since = self._clock.now() - TELEGRAM_DELETE_WINDOW
        return [m.message_id for m in await self.messages(chat_id) if m.at > since]

    async def forget_chat(self, chat_id: int) -> int:
        """Every id of the chat and its row of choices and counts (for /olvidarme)."""
        keys = self.keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"DELETE FROM tracked_messages WHERE chat_key IN ({marks})",  # noqa: S608
                keys,
            )
            await conn.execute(
                f"DELETE FROM tracked_chats WHERE chat_key IN ({marks})",  # noqa: S608
                keys,
            )
            return cursor.rowcount

    async def forget_messages(self, chat_id: int, message_ids: Sequence[int]) -> int:
        """Ids the bot deleted: nothing is left of them to delete or to count."""
        return await self.settle_chat(chat_id, message_ids, left=())

    async def settle_chat(self, chat_id: int, deleted: Sequence[int], left: Sequence[int]) -> int:
        """A wipe's outcome: `deleted` ids go, `left` ids go into the chat's count."""
        keys = self.keys(chat_id)
        gone = [*deleted, *left]
        if not gone:
            return 0
        key_marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            removed = 0
            for start in range(0, len(gone), 500):
                part = gone[start : start + 500]
                id_marks = ", ".join("?" for _ in part)
                cursor = await conn.execute(
                    "DELETE FROM tracked_messages"  # noqa: S608 - only ? marks
                    f" WHERE chat_key IN ({key_marks}) AND message_id IN ({id_marks})",
                    (*keys, *part),
                )
                removed += cursor.rowcount
            if left:
                await self._add_left(conn, keys[0], chat_id, len(set(left)))
        return removed

    async def settle(self, outcomes: Sequence[Settled]) -> None:
        """The expiry job's outcome for a slice of chats, in one transaction."""
        rows = [(o.key, message_id) for o in outcomes for message_id in o.removed]
        if not rows and not any(o.left for o in outcomes):
            return
        async with self._db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM tracked_messages WHERE chat_key = ? AND message_id = ?", rows
            )
            for outcome in outcomes:
                if outcome.left:
                    await self._add_left(conn, outcome.key, outcome.chat_id, outcome.left)

    async def _add_left(
        self, conn: aiosqlite.Connection, key: str, chat_id: int, left: int
    ) -> None:
        await conn.execute(
            "INSERT INTO tracked_chats (chat_key, chat_id_enc, left_count, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (chat_key) DO UPDATE SET"
            " left_count = left_count + excluded.left_count, updated_at = excluded.updated_at",
            (
                key,
                # A hash-keyed row: its chat id is sealed for its key (storage/crypto).
                self._cipher.encrypt(str(chat_id), context=CHATS_CONTEXT, row=key),
                left,
                self._clock.now_iso(),
            ),
        )

    async def strand_expired(self) -> int:
        """Ids past Telegram's 48 hours can no longer be deleted: count them, drop the ids.

        Returns how many moved into the chats' counts."""
        cutoff = to_iso(self._clock.now() - TELEGRAM_DELETE_WINDOW)
        async with self._db.transaction() as conn:
            # With one MIN() SQLite takes the bare columns from that row: its sealed id.
            rows = await conn.execute_fetchall(
                "SELECT chat_key, MIN(id), chat_id_enc, COUNT(*) FROM tracked_messages"
                " WHERE sent_at <= ? GROUP BY chat_key",
                (cutoff,),
            )
            stranded = 0
            for key, row_id, chat_enc, count in rows:
                chat_id = self._cipher.decrypt(chat_enc, context=CHAT_CONTEXT, row=row_id)
                if chat_id is not None:
                    await self._add_left(conn, key, int(chat_id), int(count))
                stranded += int(count)
            if stranded:
                await conn.execute("DELETE FROM tracked_messages WHERE sent_at <= ?", (cutoff,))
            return stranded

    async def due_chats(
        self, rules: ExpiryRules, *, after: str = "", limit: int = DUE_CHATS_PAGE
    ) -> list[DueChat]:
        """Chats with messages past their expiry, by key after `after` (a page at a time).

        Three kinds of chats, each with its own cutoff: those with an expiry of their
        own (`tracked_chats`), staff without one, everyone else. A chat that keeps its
        messages has no cutoff: its ids stay until `strand_expired` counts them.
        """
        now = self._clock.now()
        staff_keys = [
            key
            for staff_id in rules.staff_ids
            for key in self._cipher.lookup_hash_with_old_keys(staff_id, purpose=CHAT_PURPOSE)
        ]
        staff_marks = ", ".join("?" for _ in staff_keys)
        chosen = "SELECT chat_key FROM tracked_chats WHERE keep = 1 OR expiry_minutes IS NOT NULL"
        family_cutoff = to_iso(now - rules.family)
        staff_cutoff = to_iso(now - rules.staff)
        branches = [
            f"SELECT chat_key, id, chat_id_enc, ? AS cutoff FROM tracked_messages"  # noqa: S608
            f" WHERE sent_at <= ? AND chat_key > ? AND chat_key NOT IN ({chosen})"
            f" AND chat_key NOT IN ({staff_marks})"
        ]
        params: list[object] = [family_cutoff, family_cutoff, after, *staff_keys]
        if staff_keys:
            branches.append(
                f"SELECT chat_key, id, chat_id_enc, ? AS cutoff FROM tracked_messages"  # noqa: S608
                f" WHERE chat_key IN ({staff_marks}) AND sent_at <= ? AND chat_key > ?"
                f" AND chat_key NOT IN ({chosen})"
            )
            params += [staff_cutoff, *staff_keys, staff_cutoff, after]
        branches.append(
            f"SELECT t.chat_key, t.id, t.chat_id_enc, {_ISO_MINUS_MINUTES} AS cutoff"  # noqa: S608
            " FROM tracked_chats c JOIN tracked_messages t ON t.chat_key = c.chat_key"
            f" WHERE c.keep = 0 AND c.expiry_minutes IS NOT NULL AND c.chat_key > ?"
            f" AND t.sent_at <= {_ISO_MINUS_MINUTES}"
        )
        now_iso = to_iso(now)
        params += [now_iso, after, now_iso]
        union = " UNION ALL ".join(branches)
        # A chat's rows all come from one branch, so share one cutoff; with one MIN()
        # SQLite takes the bare columns from that row, whose sealed id opens for its id.
        rows = await self._db.fetch_all(
            "SELECT chat_key, MIN(id) AS id, chat_id_enc, cutoff"  # noqa: S608
            f" FROM ({union}) GROUP BY chat_key ORDER BY chat_key LIMIT ?",
            (*params, limit),
        )
        due = []
        for row in rows:
            chat_id = self._cipher.decrypt(row["chat_id_enc"], context=CHAT_CONTEXT, row=row["id"])
            if chat_id is not None:
                due.append(DueChat(row["chat_key"], int(chat_id), row["cutoff"]))
        return due

    async def due_messages(self, chats: Sequence[DueChat]) -> dict[str, list[int]]:
        """The due ids of each chat (by key), oldest first, in few trips."""
        found: dict[str, list[int]] = {chat.key: [] for chat in chats}
        for start in range(0, len(chats), _DUE_ROWS_SLICE):
            part = chats[start : start + _DUE_ROWS_SLICE]
            values = ", ".join("(?, ?)" for _ in part)
            rows = await self._db.fetch_all(
                f"WITH due (chat_key, cutoff) AS (VALUES {values})"  # noqa: S608
                " SELECT t.chat_key, t.message_id FROM due JOIN tracked_messages t"
                " ON t.chat_key = due.chat_key AND t.sent_at <= due.cutoff"
                " ORDER BY t.chat_key, t.message_id",
                [value for chat in part for value in (chat.key, chat.cutoff)],
            )
            for row in rows:
                found[row["chat_key"]].append(int(row["message_id"]))
        return found
