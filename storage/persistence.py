"""Sealed rows of the bot's persistence: conversations and `user_data` (intake drafts).

Both hold unconfirmed personal answers, so keys and values are sealed like every other
personal field and rows are found through keyed hashes. The PTB adapter that decides
when to write lives in `bot/persistence.py`; this module only reads and writes rows.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiosqlite

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

logger = logging.getLogger(__name__)

_SEAL_SLICE = 64  # rows sealed between two yields to the event loop
USER_PURPOSE = "persistence_user_data"
CONV_KEY_PURPOSE = "conv_key"
_USER_ID_CONTEXT = "persistence_user_data.user_id"
_USER_DATA_CONTEXT = "persistence_user_data.data"
_CONV_KEY_CONTEXT = "persistence_conversations.conv_key"
_STATE_CONTEXT = "persistence_conversations.state"

UserData = dict[Any, Any]


class PersistenceStore:
    """Loads and writes the sealed persistence rows, one transaction per round."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def load_user_data(self) -> dict[int, UserData]:
        await self._db.connect()
        rows = await self._db.fetch_all(
            "SELECT user_key, user_id_enc, data_enc FROM persistence_user_data"
        )
        loaded: dict[int, UserData] = {}
        for row in rows:
            key = row["user_key"]
            user_id = self._cipher.decrypt(row["user_id_enc"], context=_USER_ID_CONTEXT, row=key)
            data = self._cipher.decrypt(row["data_enc"], context=_USER_DATA_CONTEXT, row=key)
            if user_id is not None and data is not None:
                loaded[int(user_id)] = json.loads(data)
        return loaded

    async def load_conversations(self, name: str) -> dict[str, object]:
        """Each stored conversation of handler `name`, by its key as JSON."""
        await self._db.connect()
        rows = await self._db.fetch_all(
            "SELECT conv_key_hash, conv_key_enc, state_enc FROM persistence_conversations"
            " WHERE name = ?",
            (name,),
        )
        conversations: dict[str, object] = {}
        for row in rows:
            bound = (name, row["conv_key_hash"])
            key = self._cipher.decrypt(row["conv_key_enc"], context=_CONV_KEY_CONTEXT, row=bound)
            state = self._cipher.decrypt(row["state_enc"], context=_STATE_CONTEXT, row=bound)
            if key is not None and state is not None:
                conversations[key] = json.loads(state)
        return conversations

    async def write(
        self,
        users: dict[int, UserData | None],
        conversations: dict[tuple[str, str], object | None],
    ) -> None:
        """Replace the rows of these users and conversations (None or empty: delete)."""
        # Sealed before the transaction, yielding now and then: the database
        # stays free and the loop answers others while a thousand drafts are sealed.
        user_rows = await self._user_rows(users)
        conversation_rows = await self._conversation_rows(conversations)
        async with self._db.transaction() as conn:
            await _delete_many(
                conn, "DELETE FROM persistence_user_data WHERE user_key IN", user_rows[0]
            )
            if user_rows[1]:
                await conn.executemany(
                    "INSERT INTO persistence_user_data"
                    " (user_key, user_id_enc, data_enc, updated_at) VALUES (?, ?, ?, ?)",
                    user_rows[1],
                )
            await _delete_many(
                conn,
                "DELETE FROM persistence_conversations WHERE name = ? AND conv_key_hash IN",
                conversation_rows[0],
                fixed=1,
            )
            if conversation_rows[1]:
                await conn.executemany(
                    "INSERT INTO persistence_conversations"
                    " (name, conv_key_hash, conv_key_enc, state_enc, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    conversation_rows[1],
                )

    async def _user_rows(
        self, users: dict[int, UserData | None]
    ) -> tuple[list[list[str]], list[tuple[str, str | None, str | None, str]]]:
        """The keys to delete and the rows to insert: one DELETE and one INSERT statement
        for the whole round (not two round trips per user)."""
        stale: list[list[str]] = []
        rows: list[tuple[str, str | None, str | None, str]] = []
        stamp = self._clock.now_iso()
        for count, (user_id, data) in enumerate(users.items(), start=1):
            if count % _SEAL_SLICE == 0:
                await asyncio.sleep(0)
            stale.append(self._cipher.lookup_hash_with_old_keys(user_id, purpose=USER_PURPOSE))
            if not data:
                continue
            try:
                encoded = json.dumps(data, ensure_ascii=False)
            except (TypeError, ValueError):
                logger.error("persistence_user_data_not_serialisable")
                continue
            user_key = self._cipher.lookup_hash(user_id, purpose=USER_PURPOSE)
            rows.append(
                (
                    user_key,
                    self._cipher.encrypt(str(user_id), context=_USER_ID_CONTEXT, row=user_key),
                    self._cipher.encrypt(encoded, context=_USER_DATA_CONTEXT, row=user_key),
                    stamp,
                )
            )
        return stale, rows

    async def _conversation_rows(
        self, conversations: dict[tuple[str, str], object | None]
    ) -> tuple[list[list[str]], list[tuple[str, str, str | None, str | None, str]]]:
        stale: list[list[str]] = []
        rows: list[tuple[str, str, str | None, str | None, str]] = []
        stamp = self._clock.now_iso()
        for count, ((name, key), state) in enumerate(conversations.items(), start=1):
            if count % _SEAL_SLICE == 0:
                await asyncio.sleep(0)
            hashes = self._cipher.lookup_hash_with_old_keys(key, purpose=CONV_KEY_PURPOSE)
            stale.append([name, *hashes])
            if state is None:
                continue
            bound = (name, self._cipher.lookup_hash(key, purpose=CONV_KEY_PURPOSE))
            rows.append(
                (
                    *bound,
                    self._cipher.encrypt(key, context=_CONV_KEY_CONTEXT, row=bound),
                    self._cipher.encrypt(json.dumps(state), context=_STATE_CONTEXT, row=bound),
                    stamp,
                )
            )
        return stale, rows


async def _delete_many(
    conn: aiosqlite.Connection, statement: str, params: list[list[str]], fixed: int = 0
) -> None:
    """`statement (?, ...)` once per parameter list, grouped by how many hashes each has
    (every configured key gives one; during a rotation there are several)."""
    by_length: dict[int, list[list[str]]] = {}
    for values in params:
        by_length.setdefault(len(values), []).append(values)
    for length, group in by_length.items():
        marks = ", ".join("?" for _ in range(length - fixed))
        await conn.executemany(f"{statement} ({marks})", group)
