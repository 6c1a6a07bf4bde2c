"""What a private chat was asked to type next: a receipt code, a follow-up answer, a PIN.

Kept in the database so that an answer typed after a restart still reaches the right
report, and mirrored in memory (see `ChatPrompts`) so that asking costs no query. A
prompt expires; a chat has at most one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database

PROMPT_PURPOSE = "prompt"


class PromptKind(StrEnum):
    STATUS_CODE = "status_code"
    FOLLOWUP_REPLY = "followup_reply"
    # A PIN or receipt code that opens an owner view (`target` names the view).
    SECRET = "secret"  # noqa: S105 - the name of a prompt, not a secret
    # A step of /pin (`target` names the step).
    PIN = "pin"


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    followup_id: int | None
    expires_at: dt.datetime
    target: str | None = None


class ChatPrompts:
    """At most one open prompt per chat, with every open prompt also held in memory.

    The router asks for the prompt of every private text, and nearly every answer is
    "none": a query each time would be a database round trip on the hot path. So the
    open prompts are read once (the first time any is needed) and the view is kept by
    this class's own writes, the only writes the table has. Expired rows are treated
    as absent and dropped when met.
    """

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._view: dict[str, Prompt] | None = None
        self._loading = asyncio.Lock()

    def _key(self, chat_id: int) -> str:
        return self._cipher.lookup_hash(chat_id, purpose=PROMPT_PURPOSE)

    async def _open_prompts(self) -> dict[str, Prompt]:
        """The in-memory view, read on first use (writes wait for it: none is lost)."""
        if self._view is not None:
            return self._view
        async with self._loading:
            if self._view is None:
                rows = await self._db.fetch_all(
                    "SELECT chat_key, kind, followup_id, target, expires_at FROM chat_prompts"
                    " WHERE expires_at > ?",
                    (self._clock.now_iso(),),
                )
                self._view = {
                    row["chat_key"]: Prompt(
                        PromptKind(row["kind"]),
                        row["followup_id"],
                        from_iso(row["expires_at"]),
                        row["target"],
                    )
                    for row in rows
                }
            return self._view

    async def open(
        self,
        chat_id: int,
        kind: PromptKind,
        lifetime: dt.timedelta,
        followup_id: int | None = None,
        target: str | None = None,
    ) -> None:
        view = await self._open_prompts()
        key = self._key(chat_id)
        now = self._clock.now()
        prompt = Prompt(kind, followup_id, now + lifetime, target)
        async with self._db.transaction() as conn:
            # Expired prompts of chats that never came back go too: they only leave a trace.
            await conn.execute("DELETE FROM chat_prompts WHERE expires_at <= ?", (to_iso(now),))
            await conn.execute(
                "INSERT INTO chat_prompts (chat_key, kind, followup_id, target, expires_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_key) DO UPDATE SET"
                " kind = excluded.kind, followup_id = excluded.followup_id,"
                " target = excluded.target, expires_at = excluded.expires_at",
                (key, kind.value, followup_id, target, to_iso(prompt.expires_at)),
            )
        for stale in [old for old, held in view.items() if held.expires_at <= now]:
            del view[stale]
        view[key] = prompt

    async def current(self, chat_id: int) -> Prompt | None:
        """The open prompt of this chat, or None (an expired one counts as none)."""
        view = self._view if self._view is not None else await self._open_prompts()
        if not view:
            return None
        prompt = view.get(self._key(chat_id))
        if prompt is not None and prompt.expires_at <= self._clock.now():
            await self.close(chat_id)
            return None
        return prompt

    async def close(self, chat_id: int) -> bool:
        """True if the chat had a prompt."""
        view = await self._open_prompts()
        key = self._key(chat_id)
        if key not in view:
            return False
        del view[key]
        changed = await self._db.execute("DELETE FROM chat_prompts WHERE chat_key = ?", (key,))
        return changed > 0
