"""python-telegram-bot persistence on Vigía's own SQLite database.

A family that loses connection, or a bot that crashes and is redeployed, must not
cost anyone their answers: persistent conversations and `user_data` (where the intake
draft lives) are written here every `update_interval` seconds and on shutdown. Both
hold unconfirmed personal answers, so keys and values are sealed like every other
personal field; rows are found through keyed hashes.

PTB calls the `get_*` methods from `Application.initialize()`, before `post_init`
opens the database, hence the idempotent `connect()` there. Writes of one round
(PTB gathers one coroutine per user and conversation) are batched into a single
transaction. `chat_data`, `bot_data` and callback data are not stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiosqlite
from telegram.ext import BasePersistence, PersistenceInput

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

logger = logging.getLogger(__name__)

DEFAULT_UPDATE_INTERVAL = 2.0
_SEAL_SLICE = 64  # rows sealed between two yields to the event loop
USER_PURPOSE = "persistence_user_data"
CONV_KEY_PURPOSE = "conv_key"
_USER_ID_CONTEXT = "persistence_user_data.user_id"
_USER_DATA_CONTEXT = "persistence_user_data.data"
_CONV_KEY_CONTEXT = "persistence_conversations.conv_key"
_STATE_CONTEXT = "persistence_conversations.state"

UserData = dict[Any, Any]
# The shapes PTB passes (its own aliases live in a private module).
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class SQLitePersistence(BasePersistence[UserData, UserData, Any]):
    """Conversations and user data, sealed, in the bot's database (module docstring)."""

    def __init__(
        self,
        db: Database,
        cipher: FieldCipher,
        clock: Clock,
        update_interval: float = DEFAULT_UPDATE_INTERVAL,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._users: dict[int, UserData | None] = {}  # None: delete the row
        self._conversations: dict[tuple[str, str], object | None] = {}  # (name, key json)
        self._write_lock = asyncio.Lock()
        # What has a row: PTB hands over every user who sent anything, mostly with
        # empty data; those need no statement at all.
        self._stored_users: set[int] = set()
        self._stored_conversations: set[tuple[str, str]] = set()

    # Loading (once, during Application.initialize) ----------------------------------

    async def get_user_data(self) -> dict[int, UserData]:
        await self._db.connect()
        rows = await self._db.fetch_all("SELECT user_id_enc, data_enc FROM persistence_user_data")
        loaded: dict[int, UserData] = {}
        for row in rows:
            user_id = self._cipher.decrypt(row["user_id_enc"], context=_USER_ID_CONTEXT)
            data = self._cipher.decrypt(row["data_enc"], context=_USER_DATA_CONTEXT)
            if user_id is not None and data is not None:
                loaded[int(user_id)] = json.loads(data)
        self._stored_users.update(loaded)
        return loaded

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._db.connect()
        rows = await self._db.fetch_all(
            "SELECT conv_key_enc, state_enc FROM persistence_conversations WHERE name = ?",
            (name,),
        )
        conversations: ConversationDict = {}
        for row in rows:
            key = self._cipher.decrypt(row["conv_key_enc"], context=_CONV_KEY_CONTEXT)
            state = self._cipher.decrypt(row["state_enc"], context=_STATE_CONTEXT)
            if key is not None and state is not None:
                conversations[tuple(json.loads(key))] = json.loads(state)
                self._stored_conversations.add((name, key))
        return conversations

    async def get_chat_data(self) -> dict[int, UserData]:
        return {}

    async def get_bot_data(self) -> Any:
        """Never called: bot_data holds the live services, which are not data."""
        raise NotImplementedError("bot_data is not persisted")

    async def get_callback_data(self) -> CDCData | None:
        return None

    # Saving (every update_interval seconds and on shutdown) ------------------------

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        if data or user_id in self._stored_users or user_id in self._users:
            self._users[user_id] = data
            await self._write_soon()

    async def drop_user_data(self, user_id: int) -> None:
        if user_id in self._stored_users or user_id in self._users:
            self._users[user_id] = None
            await self._write_soon()

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        conversation = (name, json.dumps(list(key)))
        known = conversation in self._stored_conversations or conversation in self._conversations
        if new_state is not None or known:
            self._conversations[conversation] = new_state
            await self._write_soon()

    async def flush(self) -> None:
        await self._write_pending()

    async def update_chat_data(self, chat_id: int, data: UserData) -> None:
        """chat_data is not persisted."""

    async def update_bot_data(self, data: Any) -> None:
        """bot_data is not persisted."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not persisted."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """chat_data is not persisted."""

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """The in-memory copy is always the newest: nothing to refresh."""

    async def refresh_chat_data(self, chat_id: int, chat_data: UserData) -> None:
        """chat_data is not persisted."""

    async def refresh_bot_data(self, bot_data: Any) -> None:
        """bot_data is not persisted."""

    async def _write_soon(self) -> None:
        # PTB starts every update of a round together; yielding once lets the others
        # queue theirs, so the first one writes the whole round in one transaction.
        await asyncio.sleep(0)
        await self._write_pending()

    async def _write_pending(self) -> None:
        async with self._write_lock:
            users, self._users = self._users, {}
            conversations, self._conversations = self._conversations, {}
            if not users and not conversations:
                return
            try:
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
                        "DELETE FROM persistence_conversations"
                        " WHERE name = ? AND conv_key_hash IN",
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
            except BaseException:
                # Keep what could not be written for the next round (newer values win).
                for user_id, data in users.items():
                    self._users.setdefault(user_id, data)
                for conversation, state in conversations.items():
                    self._conversations.setdefault(conversation, state)
                raise

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
            self._stored_users.discard(user_id)
            if not data:
                continue
            try:
                encoded = json.dumps(data, ensure_ascii=False)
            except (TypeError, ValueError):
                logger.error("persistence_user_data_not_serialisable")
                continue
            self._stored_users.add(user_id)
            rows.append(
                (
                    self._cipher.lookup_hash(user_id, purpose=USER_PURPOSE),
                    self._cipher.encrypt(str(user_id), context=_USER_ID_CONTEXT),
                    self._cipher.encrypt(encoded, context=_USER_DATA_CONTEXT),
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
            self._stored_conversations.discard((name, key))
            if state is None:
                continue
            self._stored_conversations.add((name, key))
            rows.append(
                (
                    name,
                    self._cipher.lookup_hash(key, purpose=CONV_KEY_PURPOSE),
                    self._cipher.encrypt(key, context=_CONV_KEY_CONTEXT),
                    self._cipher.encrypt(json.dumps(state), context=_STATE_CONTEXT),
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
