"""Rolling chat expiry: every message of a private chat goes once older than its expiry.

A family's chat expires after CHAT_EXPIRY_MINUTES, a staff member's after
STAFF_CHAT_EXPIRY_MINUTES, unless the chat chose otherwise in /privacidad (1 hour, 46
hours, or keep). `ChatExpiry.run` is one pass of the expiry job:

1. ids past Telegram's 48 hours become the chat's count of messages left (the bot can
   no longer delete them, and says so in /borrar and /privacidad);
2. chats with due messages are read a page at a time, and each chat's due ids go in
   `deleteMessages` calls of 100, one chat after another;
3. a chat in the middle of a conversation (a report being told, a question being
   answered, a PIN being typed: `busy`) is left for a later pass, so nothing is cut
   under the family's fingers; its messages go once the conversation ends or times out.

The calls go through the bot's own rate limiter, the budget every call shares, and
this pass takes at most `EXPIRY_SHARE` of it, one call at a time: an answer to a family
never queues behind a burst of deletions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiolimiter import AsyncLimiter
from telegram import Bot

from services.deletion import DELETE_BATCH, delete_messages
from services.tracking import MessageTracker
from storage.clock import Clock
from storage.roles import Role, Roles
from storage.tracked_chats import ExpiryChoice, TrackedChats
from storage.tracking import ExpiryRules, Settled, TrackingStore

logger = logging.getLogger(__name__)

# The part of TELEGRAM_RATE_LIMIT the expiry job may use; the rest stays free for answers.
EXPIRY_SHARE = 0.5
# Chats settled in one transaction.
SETTLE_EVERY = 100

Busy = Callable[[int], Awaitable[bool]]


@dataclass(slots=True)
class ExpiryRun:
    """Counts of one pass, for the log and the benchmark (never ids)."""

    chats: int = 0
    deleted: int = 0
    left: int = 0
    stranded: int = 0
    deferred: int = 0
    calls: int = 0


class ChatExpiry:
    """Knows each chat's expiry and runs the passes that delete what is due."""

    def __init__(
        self,
        tracker: MessageTracker,
        chats: TrackedChats,
        roles: Roles,
        clock: Clock,
        *,
        family_minutes: int,
        staff_minutes: int,
        rate_limit: float,
    ) -> None:
        self.tracker = tracker
        self.chats = chats
        self._roles = roles
        self._clock = clock
        self.family = dt.timedelta(minutes=family_minutes)
        self.staff = dt.timedelta(minutes=staff_minutes)
        rate = rate_limit * EXPIRY_SHARE
        self._pace = AsyncLimiter(max(rate, 1.0), 1) if rate_limit > 0 else None
        self._running = asyncio.Lock()

    @property
    def store(self) -> TrackingStore:
        return self.tracker.store

    async def _staff_ids(self) -> list[int]:
        return await self._roles.staff_ids(Role.MODERATOR, Role.BROADCASTER)

    async def default_for(self, chat_id: int) -> dt.timedelta:
        """The expiry of a chat that chose none: by the role of its user."""
        return self.staff if chat_id in await self._staff_ids() else self.family

    async def expiry_of(
        self, chat_id: int, choice: ExpiryChoice | None = None
    ) -> dt.timedelta | None:
        """How long this chat's messages live; None when the family keeps its chat."""
        choice = choice if choice is not None else await self.chats.choice(chat_id)
        if choice.keep:
            return None
        if choice.minutes is not None:
            return dt.timedelta(minutes=choice.minutes)
        return await self.default_for(chat_id)

    async def run(self, bot: Bot, busy: Busy) -> ExpiryRun:
        """One pass; a pass already running makes this one return at once."""
        result = ExpiryRun()
        if self._running.locked():
            return result
        async with self._running:
            await self.tracker.flush()
            result.stranded = await self.store.strand_expired()
            rules = ExpiryRules(self.family, self.staff, await self._staff_ids())
            after = ""
            halted = False
            while not halted:
                page = await self.store.due_chats(rules, after=after)
                if not page:
                    break
                after = page[-1].key
                due = await self.store.due_messages(page)
                settled: list[Settled] = []
                for chat in page:
                    ids = due.get(chat.key) or []
                    if not ids:
                        continue
                    if await busy(chat.chat_id):
                        result.deferred += 1
                        continue
                    if self._pace is not None:
                        calls = -(-len(ids) // DELETE_BATCH)
                        await self._pace.acquire(min(calls, self._pace.max_rate))
                    outcome = await delete_messages(bot, chat.chat_id, ids)
                    result.chats += 1
                    result.calls += outcome.calls
                    result.deleted += len(outcome.deleted)
                    result.left += len(outcome.refused)
                    settled.append(
                        Settled(
                            chat.key,
                            chat.chat_id,
                            [*outcome.deleted, *outcome.refused],
                            len(outcome.refused),
                        )
                    )
                    if len(settled) >= SETTLE_EVERY:
                        await self.store.settle(settled)
                        settled = []
                    if outcome.throttled:
                        # Telegram asked the bot to slow down: the rest waits for a later pass.
                        halted = True
                        break
                await self.store.settle(settled)
        if result.chats or result.stranded or result.deferred:
            logger.info(
                "chat_expiry_run chats=%d deleted=%d left=%d stranded=%d deferred=%d calls=%d",
                result.chats,
                result.deleted,
                result.left,
                result.stranded,
                result.deferred,
                result.calls,
            )
        return result
