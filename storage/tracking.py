"""Ids of recent messages in private chats, kept 48 hours so /wipe can delete them.

Only ids are stored: the chat as a keyed hash (to find its rows) and sealed (so a
maintenance job could still reach it), the message id and the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from storage.clock import Clock, to_iso
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id

TRACKING_WINDOW = dt.timedelta(hours=48)
CHAT_PURPOSE = "tracking"
CHAT_CONTEXT = "tracked_messages.chat_id"


@dataclass(frozen=True, slots=True)
class TrackedMessage:
    """One message seen in a private chat (the bot's or the user's)."""

    chat_id: int
    message_id: int
    at: dt.datetime


class TrackingStore:
    """Writes batches of tracked ids and reads them back for one chat."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _keys(self, chat_id: int) -> list[str]:
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
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    async def message_ids(self, chat_id: int) -> list[int]:
        """Ids still deletable (younger than 48 hours), oldest first, without repeats."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        since = to_iso(self._clock.now() - TRACKING_WINDOW)
        rows = await self._db.fetch_all(
            "SELECT DISTINCT message_id FROM tracked_messages"  # noqa: S608 - only ? marks
            f" WHERE chat_key IN ({marks}) AND sent_at >= ? ORDER BY message_id",
            (*keys, since),
        )
        return [int(row["message_id"]) for row in rows]

    async def forget_chat(self, chat_id: int) -> int:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            f"DELETE FROM tracked_messages WHERE chat_key IN ({marks})",  # noqa: S608
            keys,
        )

    async def forget_messages(self, chat_id: int, message_ids: Sequence[int]) -> int:
        keys = self._keys(chat_id)
        if not message_ids:
            return 0
        key_marks = ", ".join("?" for _ in keys)
        id_marks = ", ".join("?" for _ in message_ids)
        return await self._db.execute(
            "DELETE FROM tracked_messages"  # noqa: S608 - only ? marks are interpolated
            f" WHERE chat_key IN ({key_marks}) AND message_id IN ({id_marks})",
            (*keys, *message_ids),
        )

    async def purge_expired(self) -> int:
        """Rows past 48 hours are useless (Telegram refuses the deletion) and only a trace."""
        cutoff = to_iso(self._clock.now() - TRACKING_WINDOW)
        return await self._db.execute("DELETE FROM tracked_messages WHERE sent_at < ?", (cutoff,))
