"""What a private chat was asked to type next: a receipt code, or a follow-up answer.

Kept in the database (not in memory) so that an answer typed after a restart still
reaches the right report. A prompt expires; a chat has at most one. A small cache
spares a query on every message, as the bot is the only writer of this table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database

PROMPT_PURPOSE = "prompt"
_CACHE_LIMIT = 50_000


class PromptKind(StrEnum):
    STATUS_CODE = "status_code"
    FOLLOWUP_REPLY = "followup_reply"


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    followup_id: int | None
    expires_at: dt.datetime


class ChatPrompts:
    """At most one open prompt per chat."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._cache: dict[str, Prompt | None] = {}

    def _key(self, chat_id: int) -> str:
        return self._cipher.lookup_hash(chat_id, purpose=PROMPT_PURPOSE)

    async def open(
        self,
        chat_id: int,
        kind: PromptKind,
        lifetime: dt.timedelta,
        followup_id: int | None = None,
    ) -> None:
        key = self._key(chat_id)
        prompt = Prompt(kind, followup_id, self._clock.now() + lifetime)
        async with self._db.transaction() as conn:
            # Expired prompts of chats that never came back go too: they only leave a trace.
            await conn.execute(
                "DELETE FROM chat_prompts WHERE expires_at <= ?", (self._clock.now_iso(),)
            )
            await conn.execute(
                "INSERT INTO chat_prompts (chat_key, kind, followup_id, expires_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (chat_key) DO UPDATE SET"
                " kind = excluded.kind, followup_id = excluded.followup_id,"
                " expires_at = excluded.expires_at",
                (key, kind.value, followup_id, to_iso(prompt.expires_at)),
            )
        self._remember(key, prompt)

    async def current(self, chat_id: int) -> Prompt | None:
        """The open prompt of this chat, or None (an expired one counts as none)."""
        key = self._key(chat_id)
        if key in self._cache:
            prompt = self._cache[key]
        else:
            row = await self._db.fetch_one(
                "SELECT kind, followup_id, expires_at FROM chat_prompts WHERE chat_key = ?",
                (key,),
            )
            prompt = (
                Prompt(PromptKind(row["kind"]), row["followup_id"], from_iso(row["expires_at"]))
                if row
                else None
            )
            self._remember(key, prompt)
        if prompt is not None and prompt.expires_at <= self._clock.now():
            await self.close(chat_id)
            return None
        return prompt

    async def close(self, chat_id: int) -> bool:
        """True if the chat had a prompt."""
        key = self._key(chat_id)
        if self._cache.get(key, True) is None:
            return False
        changed = await self._db.execute("DELETE FROM chat_prompts WHERE chat_key = ?", (key,))
        self._remember(key, None)
        return changed > 0

    def _remember(self, key: str, prompt: Prompt | None) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = prompt
