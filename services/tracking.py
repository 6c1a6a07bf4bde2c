"""Message tracking for the chat expiry and /wipe: which messages exist in each private chat.

Telegram gives a bot no way to list a chat's messages, so the bot notes the id of
every message it sends in a private chat and of every message a user sends it, with
Telegram's own date of the message (the 48 hours in which Telegram lets a bot delete
it count from that date), and keeps them until they are deleted or counted as left
(`storage.tracking`).

Seeing the bot's own messages: every Bot API call of an `ExtBot` with a rate limiter
passes through `BaseRateLimiter.process_request`, together with the endpoint, its
parameters and the parsed result. That is PTB's one public hook that sees all sends
(`send_*`, `copy_*`, `forward_*`, media groups) whoever makes them — handlers, jobs,
the outbox — so `TrackingRateLimiter` extends the `AIORateLimiter` the bot already
uses instead of subclassing `ExtBot` and overriding its private `_post`
(`bot/rate_limiter.py`).

The hot path only appends `(chat, message, time)` to a list; rows reach SQLite in
batches (from the guard when the list is long, a job every few seconds, before a wipe
or an expiry run and at shutdown), so tracking costs a few microseconds per message.
A restart loses no id; a crash (kill -9) loses at most the ids of those few seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from typing import Any

from storage.clock import Clock
from storage.tracking import TrackedMessage, TrackingStore

logger = logging.getLogger(__name__)

FLUSH_BATCH = 256
MAX_PENDING = 50_000
_MESSAGE_ENDPOINT_PREFIXES = ("send", "copy", "forward")


class MessageTracker:
    """Buffers tracked ids in memory and writes them in batches."""

    def __init__(self, store: TrackingStore, clock: Clock) -> None:
        self.store = store
        self._clock = clock
        self._pending: list[TrackedMessage] = []

    @property
    def pending(self) -> int:
        return len(self._pending)

    def note(self, chat_id: int, message_id: int, at: dt.datetime | None = None) -> None:
        """`at` is Telegram's date of the message; the bot's clock when it has none."""
        if len(self._pending) >= MAX_PENDING:
            # The database has been unreachable for a while; keep the newest ids.
            del self._pending[:FLUSH_BATCH]
        self._pending.append(TrackedMessage(chat_id, message_id, at or self._clock.now()))

    def note_result(self, endpoint: str, data: dict[str, Any], result: object) -> None:
        """Note the messages a Bot API call created, if it created any in a private chat."""
        if not endpoint.startswith(_MESSAGE_ENDPOINT_PREFIXES):
            return
        if isinstance(result, list):
            for item in result:
                self._note_one(data, item)
        else:
            self._note_one(data, result)

    def _note_one(self, data: dict[str, Any], item: object) -> None:
        if not isinstance(item, dict):
            return
        message_id = item.get("message_id")
        if not isinstance(message_id, int):
            return
        date = item.get("date")
        at = dt.datetime.fromtimestamp(date, dt.UTC) if isinstance(date, int) else None
        chat = item.get("chat")
        if isinstance(chat, dict):
            if chat.get("type") == "private" and isinstance(chat.get("id"), int):
                self.note(chat["id"], message_id, at)
            return
        # copyMessage(s) and forwardMessages answer with bare ids: the target is the
        # request's chat_id, and private chats are the ones with positive ids.
        chat_id = data.get("chat_id")
        if isinstance(chat_id, int) and chat_id > 0:
            self.note(chat_id, message_id, at)

    async def flush_if_due(self) -> None:
        if len(self._pending) >= FLUSH_BATCH:
            await self.flush()

    async def flush(self) -> None:
        """Write what is pending; on failure keep it for the next attempt."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        try:
            await self.store.add_many(batch)
        except (sqlite3.Error, RuntimeError) as exc:
            # Tracking is best effort: a failed write (or a closed database at shutdown)
            # must never break a conversation.
            logger.warning(
                "tracking_flush_failed error=%s rows=%d", type(exc).__name__, len(batch)
            )
            self._pending = (batch + self._pending)[-MAX_PENDING:]
