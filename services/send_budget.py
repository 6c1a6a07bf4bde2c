"""Telegram's budgets as the bot spends them: overall by lane, and chat by chat.

Telegram allows a bot about 30 messages a second overall, 20 a minute into one group
and about one a second into one private chat (short bursts pass), and answers 429
beyond them. One `SendBudget` is shared by the Bot API rate limiter (every request
passes it) and the outbox worker (which only picks rows whose chat has room, so a
group that is out of budget holds nobody else up):

- the overall budget serves lanes in order: a family's answer (the default lane of
  every handler) before staff notices before broadcasts. The outbox worker names the
  lane of what it sends with `sending_in(lane)`;
- each chat has its own budget; a 429 pauses that chat only (`pause`), never the bot.

Each budget is a leaky bucket written as GCRA (a "theoretical arrival time" per
chat): reserving a slot is one assignment, and waiters of one chat keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from storage.outbox import Lane

_lane: ContextVar[Lane] = ContextVar("vigia_send_lane", default=Lane.FAMILY)
_queued: ContextVar[bool] = ContextVar("vigia_send_queued", default=False)
# Chats whose bucket has been idle this long are forgotten (their bucket is empty).
_FORGET_AFTER_SECONDS = 120.0
_PRUNE_ABOVE = 2048
# Messages are spaced a little wider than Telegram's figures: a request reaches
# Telegram a few milliseconds after its slot, not always the same few, and a budget
# used to the full has no room for that jitter.
SPACING_MARGIN = 1.1


def current_lane() -> Lane:
    return _lane.get()


def from_queue() -> bool:
    """Whether the request is the outbox worker's: on a 429 it requeues the row and
    moves on to other chats, so the rate limiter must not wait and retry for it."""
    return _queued.get()


@contextlib.contextmanager
def sending_in(lane: Lane) -> Iterator[None]:
    """The outbox worker's requests: they spend the overall budget in `lane`."""
    lane_token = _lane.set(lane)
    queued_token = _queued.set(True)
    try:
        yield
    finally:
        _queued.reset(queued_token)
        _lane.reset(lane_token)


@dataclass(frozen=True, slots=True)
class Budgets:
    """The figures of Telegram's Bot FAQ; `overall_per_second = 0` turns that one off."""

    overall_per_second: float = 30.0
    group_per_minute: float = 20.0
    chat_per_second: float = 1.0
    chat_burst: int = 3

    def per_minute(self, chat_id: int | str) -> float:
        """What one chat's budget sends in a minute (the merging threshold; 0: none)."""
        if is_group(chat_id):
            return self.group_per_minute
        return self.chat_per_second * 60.0

    @classmethod
    def shipped(cls, overall_per_second: float) -> Budgets:
        """The bot's budgets for TELEGRAM_RATE_LIMIT; 0 turns off the overall and the
        private-chat budgets (unit tests), never the group one Telegram enforces."""
        if overall_per_second <= 0:
            return cls(overall_per_second=0.0, chat_per_second=0.0)
        return cls(overall_per_second=overall_per_second)


def is_group(chat_id: int | str) -> bool:
    """Groups and channels have negative ids (or an @name); private chats positive."""
    return isinstance(chat_id, str) or chat_id < 0


@dataclass(slots=True)
class _Cell:
    """One chat's bucket: the time its next message is due if sent evenly."""

    tat: float = 0.0
    paused_until: float = 0.0


# How much of the overall burst each lane may use. A lane below 1 leaves the rest as
# headroom for the lanes above it: a broadcast running at its own rate keeps the
# bucket at most a quarter full, so a wave of family answers still goes at once
# instead of queueing behind the broadcast's share of the burst.
LANE_BURST_SHARE = {Lane.FAMILY: 1.0, Lane.STAFF: 0.5, Lane.BROADCAST: 0.25}


class PriorityBucket:
    """The overall budget; when short, waiters are served lane by lane, then in order,
    and lower lanes leave part of the burst to the higher ones (`LANE_BURST_SHARE`)."""

    def __init__(self, rate: float) -> None:
        self._interval = SPACING_MARGIN / rate
        self._tolerance = (max(1.0, rate) - 1.0) * self._interval
        self._tat = 0.0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_due = 0.0

    async def acquire(self, lane: Lane) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        ahead = bool(self._waiting) and self._waiting[0][0] <= lane
        if not ahead and self._fits(now, lane):
            self._charge(now)
            return
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (int(lane), next(self._order), future))
        self._arm(loop)
        await future

    def _headroom(self, lane: int) -> float:
        return self._tolerance * LANE_BURST_SHARE.get(Lane(lane), 1.0)

    def _fits(self, now: float, lane: int) -> bool:
        return max(self._tat, now) - now <= self._headroom(lane)

    def _charge(self, now: float) -> None:
        self._tat = max(self._tat, now) + self._interval

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wake when the first waiter (the highest lane) fits; sooner if one arrived
        that fits sooner than the waiter the timer was set for."""
        now = loop.time()
        lane = self._waiting[0][0]
        due = now + max(0.0, max(self._tat, now) - self._headroom(lane) - now)
        if self._timer is not None:
            if self._timer_due <= due:
                return
            self._timer.cancel()
        self._timer_due = due
        self._timer = loop.call_at(due, self._release, loop)

    def _release(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        while self._waiting:
            lane, _, future = self._waiting[0]
            if future.done():
                heapq.heappop(self._waiting)
                continue  # its waiter was cancelled
            if not self._fits(now, lane):
                break
            heapq.heappop(self._waiting)
            self._charge(now)
            future.set_result(None)
        if self._waiting:
            self._arm(loop)


class SendBudget:
    """The bot's budgets, shared by the rate limiter and the outbox worker."""

    def __init__(self, budgets: Budgets | None = None) -> None:
        self.budgets = budgets or Budgets()
        rate = self.budgets.overall_per_second
        self._overall = PriorityBucket(rate) if rate > 0 else None
        self._cells: dict[int | str, _Cell] = {}

    def _shape(self, chat_id: int | str) -> tuple[float, float]:
        """(interval, tolerance) of a chat's bucket; (0, 0) when it is not limited."""
        budgets = self.budgets
        if is_group(chat_id):
            if budgets.group_per_minute <= 0:
                return 0.0, 0.0
            interval = SPACING_MARGIN * 60.0 / budgets.group_per_minute
            return interval, (budgets.group_per_minute - 1) * interval
        if budgets.chat_per_second <= 0:
            return 0.0, 0.0
        interval = SPACING_MARGIN / budgets.chat_per_second
        return interval, (budgets.chat_burst - 1) * interval

    def _cell(self, chat_id: int | str) -> _Cell:
        cell = self._cells.get(chat_id)
        if cell is None:
            if len(self._cells) > _PRUNE_ABOVE:
                self._prune()
            cell = self._cells[chat_id] = _Cell()
        return cell

    def _prune(self) -> None:
        now = asyncio.get_running_loop().time()
        for key, cell in list(self._cells.items()):
            if max(cell.tat, cell.paused_until) < now - _FORGET_AFTER_SECONDS:
                del self._cells[key]

    def wait_for(self, chat_id: int | str) -> float:
        """Seconds until one more message into `chat_id` fits (0: it fits now)."""
        cell = self._cells.get(chat_id)
        if cell is None:
            return 0.0
        now = asyncio.get_running_loop().time()
        _, tolerance = self._shape(chat_id)
        return max(0.0, cell.paused_until - now, cell.tat - tolerance - now)

    def reserve(self, chat_id: int | str) -> float:
        """Take the chat's next slot; returns the seconds to wait before using it."""
        cell = self._cell(chat_id)
        now = asyncio.get_running_loop().time()
        interval, tolerance = self._shape(chat_id)
        start = max(cell.tat, now, cell.paused_until + tolerance)
        wait = max(0.0, start - tolerance - now)
        cell.tat = start + interval
        return wait

    async def acquire(self, chat_id: int | str | None, *, paid: bool = False) -> None:
        """Wait for the chat's budget, then for the overall one in the current lane."""
        if chat_id is not None:
            wait = self.reserve(chat_id)
            while wait > 0:
                await asyncio.sleep(wait)
                # A 429 while this message waited its turn pauses it too.
                wait = self._cells[chat_id].paused_until - asyncio.get_running_loop().time()
        if self._overall is not None and chat_id is not None and not paid:
            await self._overall.acquire(current_lane())

    def pause(self, chat_id: int | str, seconds: float) -> None:
        """Telegram answered 429 for this chat: nothing more goes there for `seconds`."""
        cell = self._cell(chat_id)
        until = asyncio.get_running_loop().time() + seconds
        cell.paused_until = max(cell.paused_until, until)
