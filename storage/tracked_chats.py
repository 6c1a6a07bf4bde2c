"""Per private chat: the expiry the family chose, and how many messages are left.

`tracked_chats` shares the chat key of `tracked_messages` (purpose 'tracking'), so the
expiry job joins them without knowing any chat id. A row exists only while it says
something: a choice other than the default, or messages the bot could not delete.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.tracking import CHAT_PURPOSE, CHATS_CONTEXT


@dataclass(frozen=True, slots=True)
class ExpiryChoice:
    """What a chat chose in /privacidad: its own minutes, keeping, or neither (default)."""

    minutes: int | None = None
    keep: bool = False

    @property
    def is_default(self) -> bool:
        return self.minutes is None and not self.keep


DEFAULT_CHOICE = ExpiryChoice()
KEEP = ExpiryChoice(keep=True)


class TrackedChats:
    """Reads and writes a chat's expiry choice and its count of messages left."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _keys(self, chat_id: int) -> list[str]:
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=CHAT_PURPOSE)

    async def choice(self, chat_id: int) -> ExpiryChoice:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        # The row under the current key first: an older one is a rotation's leftover.
        row = await self._db.fetch_one(
            "SELECT expiry_minutes, keep FROM tracked_chats"  # noqa: S608 - only ? marks
            f" WHERE chat_key IN ({marks}) AND (keep = 1 OR expiry_minutes IS NOT NULL)"
            " ORDER BY chat_key = ? DESC LIMIT 1",
            (*keys, keys[0]),
        )
        if row is None:
            return DEFAULT_CHOICE
        return ExpiryChoice(row["expiry_minutes"], bool(row["keep"]))

    async def set_choice(self, chat_id: int, choice: ExpiryChoice) -> None:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE tracked_chats SET expiry_minutes = NULL, keep = 0"  # noqa: S608
                f" WHERE chat_key IN ({marks})",
                keys,
            )
            if not choice.is_default:
                await conn.execute(
                    "INSERT INTO tracked_chats"
                    " (chat_key, chat_id_enc, expiry_minutes, keep, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_key) DO UPDATE SET"
                    " expiry_minutes = excluded.expiry_minutes, keep = excluded.keep,"
                    " updated_at = excluded.updated_at",
                    (
                        keys[0],
                        self._cipher.encrypt(str(chat_id), context=CHATS_CONTEXT, row=keys[0]),
                        choice.minutes,
                        int(choice.keep),
                        self._clock.now_iso(),
                    ),
                )
            await _drop_empty(conn, keys)

    async def left_count(self, chat_id: int) -> int:
        """Messages of this chat the bot could not delete and the family has not."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT SUM(left_count) FROM tracked_chats WHERE chat_key IN ({marks})",  # noqa: S608
            keys,
        )
        return int(row[0] or 0) if row else 0

    async def clear_left(self, chat_id: int) -> int:
        """The family deleted the chat on its phone: nothing is left to count."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE tracked_chats SET left_count = 0"  # noqa: S608 - only ? marks
                f" WHERE chat_key IN ({marks}) AND left_count > 0",
                keys,
            )
            await _drop_empty(conn, keys)
            return cursor.rowcount


async def _drop_empty(conn: aiosqlite.Connection, keys: list[str]) -> None:
    """A row that no longer says anything is only a trace of the chat: it goes."""
    marks = ", ".join("?" for _ in keys)
    await conn.execute(
        "DELETE FROM tracked_chats"  # noqa: S608 - only ? marks
        f" WHERE chat_key IN ({marks}) AND keep = 0 AND expiry_minutes IS NULL"
        " AND left_count = 0",
        keys,
    )
