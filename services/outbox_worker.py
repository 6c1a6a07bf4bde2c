"""The outbox worker: delivers queued rows at the configured rate, exactly as recorded.

One background task (started in `on_startup`, stopped in `on_stop` before the bot's
HTTP client closes) loops: drain everything due, then sleep until woken by
`Outbox.wake()` or until the next retry is due. Tests and benchmarks call
`await services.outbox_worker.drain()`: it sends everything due now (at the
configured rate) and returns once each result is on disk and each finished broadcast
has had its final report. Set `rate = None` before draining for an unthrottled run.

Sending is a bounded pipeline, never a gather over thousands: rows are read in
batches in id order; a chunk of rows is taken when the rate limiter and the
concurrency limit allow, marked `sending` in one statement committed *before* their
requests start, and sent concurrently (one chat never has two requests in flight, so
a chat's messages keep their order). Results are written in batches of a few hundred
or every quarter second. What a crash means for rows in flight is decided in
`storage.outbox.Outbox.recover_interrupted`; what each Telegram answer means, in
`services.outbox_send`. A 403 also unsubscribes the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot

from services.outbox_pacing import pace, take
from services.outbox_progress import DeliveryObserver, ProgressMonitor
from services.outbox_send import Gate, Message, RetryPolicy, markup_from, send_row
from storage.broadcasts import Broadcast, Broadcasts
from storage.clock import Clock
from storage.outbox import Kind, Outbox, OutboxRow, Outcome, Result

logger = logging.getLogger(__name__)

# Above Telegram's free ~30 messages/s, broadcasts must be paid ones.
FREE_RATE = 30.0

__all__ = ["FREE_RATE", "DeliveryObserver", "OutboxWorker", "WorkerTuning"]


@dataclass(frozen=True, slots=True)
class WorkerTuning:
    batch_rows: int = 500
    max_in_flight: int = 64
    flush_rows: int = 200
    flush_seconds: float = 0.25
    progress_seconds: float = 2.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    idle_poll_seconds: float = 30.0
    error_pause_seconds: float = 5.0
    stop_timeout_seconds: float = 10.0
    purge_every_seconds: float = 3600.0


@dataclass(slots=True)
class _Pass:
    """One batch being sent: what is in flight and which results wait to be written."""

    in_flight: dict[asyncio.Task[Outcome], OutboxRow] = field(default_factory=dict)
    done: list[tuple[OutboxRow, Outcome]] = field(default_factory=list)
    last_flush: float = 0.0


class OutboxWorker:
    """Owns the sending; `rate` may be changed between drains (`None`: unthrottled)."""

    def __init__(
        self,
        outbox: Outbox,
        broadcasts: Broadcasts,
        clock: Clock,
        *,
        rate: float | None,
        tuning: WorkerTuning | None = None,
    ) -> None:
        self.rate = rate
        self._outbox = outbox
        self._broadcasts = broadcasts
        self._clock = clock
        self._tuning = tuning or WorkerTuning()
        self._progress = ProgressMonitor(outbox, broadcasts, self._tuning.progress_seconds)
        self._gate = Gate()
        self._bot: Bot | None = None
        self._on_blocked: Callable[[int], Awaitable[object]] | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._texts: dict[int, Broadcast] = {}
        self._last_purge = -math.inf

    # Lifecycle --------------------------------------------------------------------

    async def start(
        self,
        bot: Bot,
        observer: DeliveryObserver,
        on_blocked: Callable[[int], Awaitable[object]],
        *,
        background: bool = True,
    ) -> None:
        """Settle what a crash left behind, then start the loop.

        `observer` shows a broadcast's progress to its sender; `on_blocked(chat_id)`
        unsubscribes a chat that answered 403. `background=False` starts no loop: only
        `drain()` sends.
        """
        self._bot = bot
        self._progress.observer = observer
        self._on_blocked = on_blocked
        self._gate.stop.clear()
        recovered = await self._outbox.recover_interrupted()
        if recovered:
            logger.warning("outbox_recovered_unconfirmed rows=%d", recovered)
        self._outbox.set_waker(self.wake)
        if background and self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox_worker")

    async def stop(self) -> None:
        """Finish requests in flight, write their results, stop. Idempotent."""
        self._gate.stop.set()
        self._wake.set()
        self._outbox.set_waker(None)
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(task, self._tuning.stop_timeout_seconds)
        except TimeoutError:
            # Rows still in flight stay `sending`: the next start settles them.
            logger.warning("outbox_stop_timed_out")

    def wake(self) -> None:
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._gate.stop.is_set()

    async def _run(self) -> None:
        while not self.stopping:
            self._wake.clear()
            try:
                await self.drain()
                await self._purge_if_due()
                delay = await self._idle_delay()
            except Exception as exc:
                # A database hiccup must not end delivery for good.
                logger.error("outbox_loop_failed error=%s", type(exc).__name__)
                delay = self._tuning.error_pause_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _idle_delay(self) -> float:
        due = await self._outbox.next_due_at()
        if due is None:
            return self._tuning.idle_poll_seconds
        seconds = (due - self._clock.now()).total_seconds()
        return min(self._tuning.idle_poll_seconds, max(0.05, seconds))

    async def _purge_if_due(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._last_purge >= self._tuning.purge_every_seconds:
            self._last_purge = now
            purged = await self._outbox.purge_finished()
            if purged:
                logger.info("outbox_purged rows=%d", purged)

    # Draining ---------------------------------------------------------------------

    async def drain(self) -> int:
        """Send everything due now; returns how many rows got a result."""
        bot = self._bot
        if bot is None:
            raise RuntimeError("the outbox worker is not started")
        async with self._lock:
            handled = 0
            bucket = pace(self.rate)
            try:
                while not self.stopping:
                    rows = await self._outbox.due(self._tuning.batch_rows)
                    if not rows:
                        break
                    handled += await self._send_batch(bot, rows, bucket)
                await self._progress.finish_completed(bot)
            finally:
                self._texts.clear()
            return handled

    async def _send_batch(
        self, bot: Bot, rows: list[OutboxRow], bucket: AsyncLimiter | None
    ) -> int:
        state = _Pass(last_flush=asyncio.get_running_loop().time())
        queue = deque(rows)
        handled = 0
        while queue and not self.stopping:
            self._harvest(state)
            chunk = self._next_chunk(queue, state)
            if not chunk:
                await asyncio.wait(state.in_flight, return_when=asyncio.FIRST_COMPLETED)
                handled += await self._flush_if_due(bot, state)
                continue
            await self._gate.wait_if_paused()
            chunk = chunk[: await take(bucket, len(chunk))]
            for _ in chunk:
                queue.popleft()
            messages = [await self._message(row) for row in chunk]
            await self._outbox.mark_sending([row.id for row in chunk])
            for row, message in zip(chunk, messages, strict=True):
                state.in_flight[asyncio.create_task(self._send(bot, row, message))] = row
            handled += await self._flush_if_due(bot, state)
        if state.in_flight:
            await asyncio.wait(state.in_flight)
        self._harvest(state)
        return handled + await self._flush(bot, state)

    def _next_chunk(self, queue: deque[OutboxRow], state: _Pass) -> list[OutboxRow]:
        """Rows that may start now, in id order, stopping at a chat already in flight."""
        free = self._tuning.max_in_flight - len(state.in_flight)
        busy = {row.chat_key for row in state.in_flight.values()}
        chunk: list[OutboxRow] = []
        for row in queue:
            if len(chunk) >= free or row.chat_key in busy:
                break
            busy.add(row.chat_key)
            chunk.append(row)
        return chunk

    async def _message(self, row: OutboxRow) -> Message:
        if row.kind is Kind.NOTIFICATION or row.broadcast_id is None:
            return Message(row.text, markup_from(row.reply_markup))
        broadcast = self._texts.get(row.broadcast_id)
        if broadcast is None:
            broadcast = await self._broadcasts.get(row.broadcast_id)
            if broadcast is None:
                return Message(None)
            self._texts[row.broadcast_id] = broadcast
        return Message(broadcast.text_for(row.language))

    def _send(self, bot: Bot, row: OutboxRow, message: Message) -> Coroutine[Any, Any, Outcome]:
        paid = self.rate is not None and self.rate > FREE_RATE
        policy = self._tuning.retry
        return send_row(
            bot, row, message, gate=self._gate, clock=self._clock, policy=policy, paid=paid
        )

    def _harvest(self, state: _Pass) -> None:
        for task in [task for task in state.in_flight if task.done()]:
            state.done.append((state.in_flight.pop(task), task.result()))

    async def _flush_if_due(self, bot: Bot, state: _Pass) -> int:
        self._harvest(state)
        elapsed = asyncio.get_running_loop().time() - state.last_flush
        if len(state.done) >= self._tuning.flush_rows or (
            state.done and elapsed >= self._tuning.flush_seconds
        ):
            return await self._flush(bot, state)
        return 0

    async def _flush(self, bot: Bot, state: _Pass) -> int:
        done, state.done = state.done, []
        state.last_flush = asyncio.get_running_loop().time()
        if not done:
            return 0
        await self._outbox.record([outcome for _, outcome in done])
        for row, outcome in done:
            if outcome.result is Result.BLOCKED and isinstance(row.chat_id, int):
                await self._unsubscribe(row.chat_id)
        for broadcast_id in sorted({row.broadcast_id for row, _ in done if row.broadcast_id}):
            await self._progress.written(bot, broadcast_id, self.rate)
        return len(done)

    async def _unsubscribe(self, chat_id: int) -> None:
        if self._on_blocked is None:
            return
        try:
            await self._on_blocked(chat_id)
        except Exception as exc:
            # The row is already `blocked`; a failed unsubscribe must not undo that.
            logger.error("outbox_unsubscribe_failed error=%s", type(exc).__name__)
