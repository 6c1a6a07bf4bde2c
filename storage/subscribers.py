"""Subscribers to verified release updates: who receives the NGO's broadcasts.

A seized database must not list who follows the releases: the chat id is sealed and
looked up through its keyed hash (purpose 'subscriber'), so key rotation can
recompute `chat_key` from `chat_id_enc`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from storage.clock import Clock
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database

SUBSCRIBER_PURPOSE = "subscriber"
CHAT_CONTEXT = "subscribers.chat_id"
BATCH_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Subscriber:
    chat_id: int
    language: str


class Subscribers:
    """Named queries on `subscribers`; the broadcast reads them through `iterate()`."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _keys(self, chat_id: int) -> list[str]:
        """The current hash first, then those under old keys (rows not yet rotated)."""
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=SUBSCRIBER_PURPOSE)

    async def subscribe(self, chat_id: int, language: str) -> bool:
        """Subscribe (or refresh the language); True if the chat was not subscribed."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"DELETE FROM subscribers WHERE chat_key IN ({marks})",  # noqa: S608 - ? marks
                keys,
            )
            was_subscribed = cursor.rowcount > 0
            await cursor.close()
            chat_key = self._cipher.lookup_hash(chat_id, purpose=SUBSCRIBER_PURPOSE)
            await conn.execute(
                "INSERT INTO subscribers (chat_key, chat_id_enc, language, subscribed_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    chat_key,
                    self._cipher.encrypt(str(chat_id), context=CHAT_CONTEXT, row=chat_key),
                    language,
                    self._clock.now_iso(),
                ),
            )
        return not was_subscribed

    async def unsubscribe(self, chat_id: int) -> bool:
        """True if the chat was subscribed."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        changed = await self._db.execute(
            f"DELETE FROM subscribers WHERE chat_key IN ({marks})",  # noqa: S608 - ? marks
            keys,
        )
        return changed > 0

    async def is_subscribed(self, chat_id: int) -> bool:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT 1 FROM subscribers WHERE chat_key IN ({marks})",  # noqa: S608 - ? marks
            keys,
        )
        return row is not None

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) FROM subscribers")
        return int(row[0]) if row else 0

    async def count_by_language(self) -> dict[str, int]:
        rows = await self._db.fetch_all(
            "SELECT language, COUNT(*) AS n FROM subscribers GROUP BY language"
        )
        return {str(row["language"]): int(row["n"]) for row in rows}

    async def iterate(self, batch_rows: int = BATCH_ROWS) -> AsyncIterator[Subscriber]:
        """Every subscriber, read in batches so a large list never sits in one query.

        Keyset pagination on rowid: subscriptions added meanwhile come at the end.
        A row no configured key opens is skipped (it cannot be written to anyway).
        """
        last = 0
        while True:
            rows = await self._db.fetch_all(
                "SELECT rowid, chat_key, chat_id_enc, language FROM subscribers"
                " WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, batch_rows),
            )
            for row in rows:
                last = int(row["rowid"])
                try:
                    chat = self._cipher.decrypt(
                        row["chat_id_enc"], context=CHAT_CONTEXT, row=row["chat_key"]
                    )
                except DecryptionError:
                    continue
                if chat is not None:
                    yield Subscriber(int(chat), str(row["language"]))
            if len(rows) < batch_rows:
                return

    async def all(self) -> list[Subscriber]:
        return [subscriber async for subscriber in self.iterate()]
