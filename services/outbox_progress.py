"""A broadcast's progress as the worker writes results: throttled edits, then the end.

The sender's progress message is edited at most once per interval (2 seconds), and
once more when no row of the broadcast is left; then the broadcast is `done` and its
final report is sent. What the messages say is the observer's business
(handlers/broadcast/progress.py); when to say it is decided here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from telegram import Bot

from storage.broadcasts import Broadcast, Broadcasts, BroadcastState
from storage.outbox import DeliveryCounts, Outbox

logger = logging.getLogger(__name__)


class DeliveryObserver(Protocol):
    """What the sender of a broadcast sees."""

    async def progress(
        self, bot: Bot, broadcast: Broadcast, counts: DeliveryCounts, seconds_left: float | None
    ) -> None: ...

    async def finished(self, bot: Bot, broadcast: Broadcast, counts: DeliveryCounts) -> None: ...


class ProgressMonitor:
    def __init__(self, outbox: Outbox, broadcasts: Broadcasts, interval: float) -> None:
        self.observer: DeliveryObserver | None = None
        self._outbox = outbox
        self._broadcasts = broadcasts
        self._interval = interval
        self._last: dict[int, float] = {}

    async def written(self, bot: Bot, broadcast_id: int, rate: float | None) -> None:
        """Results of this broadcast reached the database; `rate` is the sending pace."""
        counts = await self._outbox.broadcast_counts(broadcast_id)
        if counts.finished:
            await self._finish(bot, broadcast_id, counts)
            return
        now = asyncio.get_running_loop().time()
        last = self._last.get(broadcast_id)
        if last is None:
            # The first edit waits a full interval too: the sender just read "0 sent".
            self._last[broadcast_id] = now
            return
        if now - last < self._interval or self.observer is None:
            return
        broadcast = await self._broadcasts.get(broadcast_id)
        if broadcast is None:
            return
        self._last[broadcast_id] = now
        seconds_left = counts.remaining / rate if rate else None
        await self.observer.progress(bot, broadcast, counts, seconds_left)

    async def finish_completed(self, bot: Bot) -> None:
        """Broadcasts whose last rows were settled elsewhere (a crash, no recipients)."""
        for broadcast in await self._broadcasts.in_state(BroadcastState.SENDING):
            counts = await self._outbox.broadcast_counts(broadcast.id)
            if counts.finished:
                await self._finish(bot, broadcast.id, counts)

    async def _finish(self, bot: Bot, broadcast_id: int, counts: DeliveryCounts) -> None:
        if not await self._broadcasts.finish(broadcast_id):
            return
        self._last.pop(broadcast_id, None)
        logger.info(
            "broadcast_done broadcast=%d sent=%d failed=%d blocked=%d unconfirmed=%d",
            broadcast_id,
            counts.sent,
            counts.failed,
            counts.blocked,
            counts.unconfirmed,
        )
        broadcast = await self._broadcasts.get(broadcast_id)
        if broadcast is not None and self.observer is not None:
            await self.observer.finished(bot, broadcast, counts)
