"""The outbox worker: delivers queued rows at the configured rate, exactly as recorded.

One background task (started in `on_startup`, stopped in `on_stop` before the bot's
HTTP client closes) loops: drain everything due, then sleep until woken by
`Outbox.wake()` or until the next retry is due. Tests and benchmarks call
`await services.outbox_worker.drain()`: it sends everything due now (at the
configured rate) and returns once each result is on disk and each finished broadcast
has had its final report. Set `rate = None` before draining for an unthrottled run.

Sending is a bounded pipeline, never a gather over thousands: rows are read in
batches, lane by lane (a family's notifications, then staff notices, then broadcasts;
`storage.outbox.Lane`) and in id order within a lane; a chunk of rows is taken when the
rate limiter and the concurrency limit allow, marked `sending` in one statement
committed *before* their requests start, and sent concurrently (one chat never has
two requests in flight, so a chat's messages keep their order). A chat out of its
Telegram budget (`services.send_budget`) is skipped until it has room, so a busy group
holds nobody else up, and a 429 pauses only that chat. New rows interrupt a
broadcast batch, so they do not wait behind it. Staff notices merge when their chat is
behind (`services.outbox_staff`). Results are written in batches of a few hundred
or every quarter second. What a crash means for rows in flight is decided in
`storage.outbox.Outbox.recover_interrupted`; what each Telegram answer means, in
`services.outbox_send`. A 403 also unsubscribes the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter
from telegram import Bot

from services.outbox_pacing import pace, take
from services.outbox_progress import DeliveryObserver, ProgressMonitor
from services.outbox_send import Gate, Message, RetryPolicy, markup_from, send_row
from services.outbox_staff import StaffRenderer, is_report_notice, notices_for
from services.send_budget import SendBudget, sending_in
from storage.broadcasts import Broadcast, Broadcasts
from storage.clock import Clock
from storage.outbox import ChatId, Kind, Lane, Outbox, OutboxRow, Outcome, Result

logger = logging.getLogger(__name__)

# Above Telegram's free ~30 messages/s, broadcasts must be paid ones.
FREE_RATE = 30.0
# While every request in flight waits (for the overall budget, say), how often the
# worker looks whether new rows arrived that should go first.
FRESH_CHECK_SECONDS = 0.25

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
    # A merged notice's row id -> the rows it stands for besides itself.
    merged: dict[int, list[OutboxRow]] = field(default_factory=dict)
    handled: int = 0


class OutboxWorker:
    """Owns the sending; `rate` may be changed between drains (`None`: unthrottled)."""

    def __init__(
        self,
        outbox: Outbox,
        broadcasts: Broadcasts,
        clock: Clock,
        *,
        rate: float | None,
        budget: SendBudget | None = None,
        tuning: WorkerTuning | None = None,
    ) -> None:
        self.rate = rate
        self.budget = budget or SendBudget()
        self._outbox = outbox
        self._broadcasts = broadcasts
        self._clock = clock
        self._tuning = tuning or WorkerTuning()
        self._progress = ProgressMonitor(outbox, broadcasts, self._tuning.progress_seconds)
        self._gate = Gate(self.budget.pause)
        self._bot: Bot | None = None
        self._on_blocked: Callable[[int], Awaitable[object]] | None = None
        self._render_staff: StaffRenderer | None = None
        # Chats skipped because they are out of budget (key -> id), and whether rows
        # were added since the last read.
        self._waiting: dict[str, ChatId] = {}
        self._fresh = False
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
        render_staff: StaffRenderer | None = None,
        background: bool = True,
    ) -> None:
        """Settle what a crash left behind, then start the loop.

        `observer` shows a broadcast's progress to its sender; `on_blocked(chat_id)`
        unsubscribes a chat that answered 403; `render_staff` writes new-report
        notices. `background=False` starts no loop: only `drain()` sends.
        """
        self._bot = bot
        self._progress.observer = observer
        self._on_blocked = on_blocked
        self._render_staff = render_staff
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
        self._fresh = True
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
        idle = self._tuning.idle_poll_seconds
        budget_wait = self._budget_wait()
        due = await self._outbox.next_due_at()
        if due is None:
            return idle
        seconds = (due - self._clock.now()).total_seconds()
        if budget_wait is not None:
            # Rows already due belong to chats out of budget: wake when one has room.
            seconds = budget_wait if seconds <= 0 else min(seconds, budget_wait)
        return min(idle, max(0.05, seconds))

    def _budget_wait(self) -> float | None:
        """Seconds until the first skipped chat has room; None when none is skipped."""
        waits = [self.budget.wait_for(chat_id) for chat_id in self._waiting.values()]
        return min(waits) if waits else None

    def _skipped_keys(self) -> list[str]:
        """Keys of the chats still out of budget (the others are read again)."""
        for key, chat_id in list(self._waiting.items()):
            if self.budget.wait_for(chat_id) <= 0:
                del self._waiting[key]
        return list(self._waiting)

    async def _purge_if_due(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._last_purge >= self._tuning.purge_every_seconds:
            self._last_purge = now
            purged = await self._outbox.purge_finished()
            if purged:
                logger.info("outbox_purged rows=%d", purged)

    # Draining ---------------------------------------------------------------------

    async def drain(self) -> int:
        """Send everything due now, waiting out chats short of budget (new rows do not
        wait meanwhile: they wake the drain); returns how many rows got a result."""
        bot = self._bot
        if bot is None:
            raise RuntimeError("the outbox worker is not started")
        async with self._lock:
            bucket = pace(self.rate)
            # One pass for the whole drain: rows read after new ones arrived join the
            # requests still in flight instead of waiting for them to end.
            state = _Pass(last_flush=asyncio.get_running_loop().time())
            try:
                while not self.stopping:
                    # Results on disk first: a row put back (429) must be read again.
                    self._harvest(state)
                    await self._flush(bot, state)
                    self._fresh = False
                    rows = await self._outbox.due(self._tuning.batch_rows, self._skipped_keys())
                    if rows:
                        await self._send_batch(bot, rows, bucket, state)
                    elif state.in_flight:
                        await self._some_done(bot, state)
                    elif (wait := self._budget_wait()) is not None:
                        await self._progress.finish_completed(bot)
                        await self._wait_for_room(wait)
                    else:
                        break
                if state.in_flight:
                    await asyncio.wait(state.in_flight)
                self._harvest(state)
                await self._flush(bot, state)
                await self._progress.finish_completed(bot)
            finally:
                self._texts.clear()
            return state.handled

    async def _wait_for_room(self, seconds: float) -> None:
        """Until a skipped chat has room, or rows are added, or the worker stops."""
        self._wake.clear()
        if self._fresh or self.stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), max(seconds, 0.01))

    async def _some_done(self, bot: Bot, state: _Pass) -> None:
        """Until a request in flight ends, or a moment passes (new rows may be waiting)."""
        await asyncio.wait(
            state.in_flight, timeout=FRESH_CHECK_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        await self._flush_if_due(bot, state)

    async def _send_batch(
        self, bot: Bot, rows: list[OutboxRow], bucket: AsyncLimiter | None, state: _Pass
    ) -> None:
        queue = list(rows)
        while queue and not self.stopping:
            if self._fresh and queue[0].lane is Lane.BROADCAST:
                return  # rows added meanwhile may go first: read again (these stay pending)
            self._harvest(state)
            chunk = self._next_chunk(queue, state)
            if not chunk:
                if not state.in_flight:
                    return  # every row left is for a chat out of budget
                await self._some_done(bot, state)
                continue
            chunk = chunk[: await take(bucket, len(chunk))]
            taken = {row.id for row in chunk}
            messages = [await self._message(row, state, taken) for row in chunk]
            queue = [row for row in queue if row.id not in taken]
            await self._outbox.mark_sending(sorted(taken))
            for row, message in zip(chunk, messages, strict=True):
                state.in_flight[asyncio.create_task(self._send(bot, row, message))] = row
            await self._flush_if_due(bot, state)

    def _next_chunk(self, queue: list[OutboxRow], state: _Pass) -> list[OutboxRow]:
        """Rows that may start now, in order: one per chat, none for a chat in flight.

        A chat out of budget is set aside (`_waiting`) with every row of it in `queue`.
        """
        free = self._tuning.max_in_flight - len(state.in_flight)
        busy = {row.chat_key for row in state.in_flight.values()}
        chunk: list[OutboxRow] = []
        for row in queue:
            if len(chunk) >= free:
                break
            if row.chat_key in busy:
                continue
            busy.add(row.chat_key)
            if row.chat_key in self._waiting or self.budget.wait_for(row.chat_id) > 0:
                self._waiting[row.chat_key] = row.chat_id
                continue
            chunk.append(row)
        if self._waiting:
            queue[:] = [row for row in queue if row.chat_key not in self._waiting]
        return chunk

    async def _message(self, row: OutboxRow, state: _Pass, taken: set[int]) -> Message:
        if is_report_notice(row):
            return await self._notice(row, state, taken)
        if row.kind is Kind.NOTIFICATION or row.broadcast_id is None:
            return Message(row.text, markup_from(row.reply_markup))
        broadcast = self._texts.get(row.broadcast_id)
        if broadcast is None:
            broadcast = await self._broadcasts.get(row.broadcast_id)
            if broadcast is None:
                return Message(None)
            self._texts[row.broadcast_id] = broadcast
        return Message(broadcast.text_for(row.language))

    async def _notice(self, row: OutboxRow, state: _Pass, taken: set[int]) -> Message:
        """A new-report notice, standing for every one its chat is behind on (those
        rows are taken with it: `taken` grows)."""
        if self._render_staff is None:
            return Message(None)
        rows = await notices_for(self._outbox, self.budget.budgets, row)
        others = [other for other in rows if other.id != row.id]
        if others:
            state.merged[row.id] = others
            taken.update(other.id for other in others)
            logger.info("staff_notices_merged rows=%d", len(rows))
        return await self._render_staff(rows)

    async def _send(self, bot: Bot, row: OutboxRow, message: Message) -> Outcome:
        paid = row.lane is Lane.BROADCAST and self.rate is not None and self.rate > FREE_RATE
        policy = self._tuning.retry
        with sending_in(row.lane):
            return await send_row(
                bot, row, message, gate=self._gate, clock=self._clock, policy=policy, paid=paid
            )

    def _harvest(self, state: _Pass) -> None:
        for task in [task for task in state.in_flight if task.done()]:
            row, outcome = state.in_flight.pop(task), task.result()
            state.done.append((row, outcome))
            for other in state.merged.pop(row.id, []):
                state.done.append((other, _same_result(other, outcome)))

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
        state.handled += len(done)
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


def _same_result(row: OutboxRow, outcome: Outcome) -> Outcome:
    """What a merged notice's result means for a row it stood for."""
    result = Result.MERGED if outcome.result is Result.SENT else outcome.result
    return Outcome(
        row.id,
        result,
        error=outcome.error,
        attempts=outcome.attempts,
        next_attempt_at=outcome.next_attempt_at,
    )
