"""Broadcasts: drafts composed by the NGO, started into the outbox, finished by the worker.

States: `draft` → `sending` → `done`, or `draft` → `cancelled`. Starting is one
transaction (state change plus one outbox row per recipient), guarded by the state, so
a second tap on Confirm starts nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database, next_row_id
from storage.outbox import ChatId, Outbox, Recipient, parse_chat_id

TEXT_ES_CONTEXT = "broadcasts.text_es"
TEXT_EN_CONTEXT = "broadcasts.text_en"
SENDER_CONTEXT = "broadcasts.sender_chat"
STAFF_PURPOSE = "staff"


class BroadcastState(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    state: BroadcastState
    text_es: str
    text_en: str | None
    to_channel: bool
    sender_chat_id: ChatId | None
    sender_language: str
    progress_message_id: int | None
    recipients: int
    case_id: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None

    def text_for(self, language: str) -> str:
        """English subscribers get the English text when there is one; everyone else Spanish."""
        if language == "en" and self.text_en:
            return self.text_en
        return self.text_es


_COLUMNS = (
    "id, state, text_es_enc, text_en_enc, to_channel, sender_chat_enc, sender_language,"
    " progress_message_id, recipients, case_id, created_at, started_at, finished_at"
)


class Broadcasts:
    """Named queries on `broadcasts`; recipients rows go through `Outbox`."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock, outbox: Outbox) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._outbox = outbox

    async def create_draft(
        self,
        *,
        sender_id: int | None,
        sender_chat_id: int,
        sender_language: str,
        text_es: str,
        text_en: str | None = None,
        to_channel: bool = False,
        case_id: int | None = None,
    ) -> int:
        now = self._clock.now_iso()
        seal = self._cipher.encrypt
        async with self._db.transaction() as conn:
            broadcast_id = await next_row_id(conn, "broadcasts")
            await conn.execute(
                "INSERT INTO broadcasts (id, created_by_key, text_es, text_es_enc, text_en_enc,"
                " to_channel, sender_chat_enc, sender_language, case_id, created_at)"
                " VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
                (
                    broadcast_id,
                    self._staff_key(sender_id) if sender_id is not None else None,
                    seal(text_es, context=TEXT_ES_CONTEXT, row=broadcast_id),
                    seal(text_en, context=TEXT_EN_CONTEXT, row=broadcast_id),
                    int(to_channel),
                    seal(str(sender_chat_id), context=SENDER_CONTEXT, row=broadcast_id),
                    sender_language,
                    case_id,
                    now,
                ),
            )
        return broadcast_id

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?",  # noqa: S608 - constant
            (broadcast_id,),
        )
        return self._open(row) if row else None

    async def in_state(self, state: BroadcastState) -> list[Broadcast]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE state = ? ORDER BY id",  # noqa: S608
            (state.value,),
        )
        return [self._open(row) for row in rows]

    async def set_english(self, broadcast_id: int, text_en: str | None) -> bool:
        return await self._update_draft(
            broadcast_id,
            "text_en_enc = ?",
            (self._cipher.encrypt(text_en, context=TEXT_EN_CONTEXT, row=broadcast_id),),
        )

    async def set_channel(self, broadcast_id: int, to_channel: bool) -> bool:
        return await self._update_draft(broadcast_id, "to_channel = ?", (int(to_channel),))

    async def _update_draft(
        self, broadcast_id: int, assignment: str, params: tuple[object, ...]
    ) -> bool:
        changed = await self._db.execute(
            f"UPDATE broadcasts SET {assignment} WHERE id = ? AND state = 'draft'",  # noqa: S608
            (*params, broadcast_id),
        )
        return changed > 0

    async def cancel(self, broadcast_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE broadcasts SET state = 'cancelled', finished_at = ?"
            " WHERE id = ? AND state = 'draft'",
            (self._clock.now_iso(), broadcast_id),
        )
        return changed > 0

    async def start(
        self,
        broadcast_id: int,
        recipients: Sequence[Recipient],
        *,
        sender_language: str,
        progress_message_id: int | None,
    ) -> bool:
        """Draft → sending plus its outbox rows, in one transaction; False if not a draft."""
        rows = self._outbox.broadcast_rows(broadcast_id, recipients)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET state = 'sending', started_at = ?, sender_language = ?,"
                " progress_message_id = ?, recipients = ? WHERE id = ? AND state = 'draft'",
                (
                    self._clock.now_iso(),
                    sender_language,
                    progress_message_id,
                    len(recipients),
                    broadcast_id,
                ),
            )
            started = cursor.rowcount > 0
            await cursor.close()
            if started:
                await self._outbox.enqueue_broadcast(conn, rows)
        if started:
            self._outbox.wake()
        return started

    async def finish(self, broadcast_id: int) -> bool:
        """Sending → done; True only for the one caller that made the change."""
        changed = await self._db.execute(
            "UPDATE broadcasts SET state = 'done', finished_at = ?"
            " WHERE id = ? AND state = 'sending'",
            (self._clock.now_iso(), broadcast_id),
        )
        return changed > 0

    def _staff_key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose=STAFF_PURPOSE)

    async def latest_draft_by(self, user_id: int) -> Broadcast | None:
        """The composed (not release-news) draft this sender is working on."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE created_by_key = ?"  # noqa: S608
            " AND state = 'draft' AND case_id IS NULL ORDER BY id DESC LIMIT 1",
            (self._staff_key(user_id),),
        )
        return self._open(row) if row else None

    async def cancel_drafts_by(self, user_id: int) -> int:
        """A new /broadcast replaces whatever this sender left unfinished."""
        return await self._db.execute(
            "UPDATE broadcasts SET state = 'cancelled', finished_at = ?"
            " WHERE created_by_key = ? AND state = 'draft' AND case_id IS NULL",
            (self._clock.now_iso(), self._staff_key(user_id)),
        )

    def _open(self, row: aiosqlite.Row) -> Broadcast:
        bound = int(row["id"])
        sender = self._cipher.decrypt(row["sender_chat_enc"], context=SENDER_CONTEXT, row=bound)
        return Broadcast(
            id=bound,
            state=BroadcastState(row["state"]),
            text_es=self._cipher.decrypt(row["text_es_enc"], context=TEXT_ES_CONTEXT, row=bound)
            or "",
            text_en=self._cipher.decrypt(row["text_en_enc"], context=TEXT_EN_CONTEXT, row=bound),
            to_channel=bool(row["to_channel"]),
            sender_chat_id=parse_chat_id(sender) if sender is not None else None,
            sender_language=str(row["sender_language"]),
            progress_message_id=row["progress_message_id"],
            recipients=int(row["recipients"]),
            case_id=row["case_id"],
            created_at=str(row["created_at"]),
            started_at=row["started_at"],
            finished_at=row["finished_at"],
        )
