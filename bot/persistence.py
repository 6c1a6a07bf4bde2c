"""python-telegram-bot persistence on Vigía's own SQLite database.

A family that loses connection, or a bot that crashes and is redeployed, must not
cost anyone their answers: persistent conversations and `user_data` (where the intake
draft lives) are written every `update_interval` seconds and on shutdown, sealed, by
`storage.persistence.PersistenceStore`.

PTB calls the `get_*` methods from `Application.initialize()`, before `post_init`
opens the database, hence the idempotent `connect()` in the store. Writes of one round
(PTB gathers one coroutine per user and conversation) are batched into a single
transaction. `chat_data`, `bot_data` and callback data are not stored.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.persistence import PersistenceStore, UserData

DEFAULT_UPDATE_INTERVAL = 2.0

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
        self._store = PersistenceStore(db, cipher, clock)
        self._users: dict[int, UserData | None] = {}  # None: delete the row
        self._conversations: dict[tuple[str, str], object | None] = {}  # (name, key json)
        self._write_lock = asyncio.Lock()
        # What has a row: PTB hands over every user who sent anything, mostly with
        # empty data; those need no statement at all.
        self._stored_users: set[int] = set()
        self._stored_conversations: set[tuple[str, str]] = set()

    # Loading (once, during Application.initialize) ----------------------------------

    async def get_user_data(self) -> dict[int, UserData]:
        loaded = await self._store.load_user_data()
        self._stored_users.update(loaded)
        return loaded

    async def get_conversations(self, name: str) -> ConversationDict:
        conversations: ConversationDict = {}
        for key, state in (await self._store.load_conversations(name)).items():
            conversations[tuple(json.loads(key))] = state
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
                await self._store.write(users, conversations)
            except BaseException:
                # Keep what could not be written for the next round (newer values win).
                for user_id, data in users.items():
                    self._users.setdefault(user_id, data)
                for conversation, state in conversations.items():
                    self._conversations.setdefault(conversation, state)
                raise
            for user_id, data in users.items():
                if data:
                    self._stored_users.add(user_id)
                else:
                    self._stored_users.discard(user_id)
            for conversation, state in conversations.items():
                if state is None:
                    self._stored_conversations.discard(conversation)
                else:
                    self._stored_conversations.add(conversation)
