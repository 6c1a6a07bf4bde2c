"""Telegram's flood limits, as an optional mode of the fake Bot API.

Off by default, so unit tests send as fast as they like. Turn it on with
`FakeTelegram(limits=TelegramLimits())`, or later with `fake.limit(TelegramLimits())`
(`fake.limit(None)` turns it off again). `FakeTelegramServer(fake)` serves the same
limits over loopback.

With limits on, every message a bot puts into a chat (send*, copy*, forward*, edits;
not chat actions, callback answers or reads) must fit three budgets at once, as
Telegram's Bot FAQ describes them:
- about 30 messages a second overall (`allow_paid_broadcast` ones count against a
  separate 1,000 a second instead);
- 20 a minute into one group or channel (a negative chat id, or an `@username`);
- about one a second into one private chat, short bursts allowed.

Each budget is a leaky bucket: it holds up to its allowance and drains evenly over
its period (the model python-telegram-bot's own `AIORateLimiter` assumes; Telegram
does not publish its algorithm). A message that does not fit is refused with 429
and a truthful `retry_after`: the whole seconds after which that message would fit,
if nothing else is sent meanwhile. A refused message consumes nothing.
`refused` counts the refusals, per chat in `refused_by_chat`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fake_telegram.records import ApiError, Call, normalize_chat_id

_COUNTED_PREFIXES = ("send", "copy", "forward", "edit")
_NOT_MESSAGES = frozenset({"sendchataction"})


def counts_as_message(method: str) -> bool:
    """Whether a call puts a message into a chat, the thing Telegram's limits count."""
    name = method.lower()
    return name.startswith(_COUNTED_PREFIXES) and name not in _NOT_MESSAGES


@dataclass(frozen=True, slots=True)
class TelegramLimits:
    """The budgets; the defaults are the figures of Telegram's Bot FAQ."""

    overall_per_second: float = 30.0
    paid_per_second: float = 1000.0
    group_per_minute: float = 20.0
    chat_per_second: float = 1.0
    chat_burst: int = 3


@dataclass(slots=True)
class _Bucket:
    """A leaky bucket: `capacity` messages, draining `rate` a second."""

    capacity: float
    rate: float
    level: float = 0.0
    stamp: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds until one more message fits (0: it fits now)."""
        self.level = max(0.0, self.level - (now - self.stamp) * self.rate)
        self.stamp = now
        excess = self.level + 1 - self.capacity
        return 0.0 if excess <= 0 else excess / self.rate

    def take(self) -> None:
        self.level += 1


@dataclass(slots=True)
class RateLimits:
    """The live budgets of one fake Telegram; `check` runs under the fake's lock."""

    limits: TelegramLimits
    clock: Callable[[], float] = time.monotonic
    refused: int = 0
    refused_by_chat: dict[int | str, int] = field(default_factory=dict)
    _overall: _Bucket = field(init=False)
    _paid: _Bucket = field(init=False)
    _chats: dict[int | str, _Bucket] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        limits = self.limits
        self._overall = _Bucket(limits.overall_per_second, limits.overall_per_second)
        self._paid = _Bucket(limits.paid_per_second, limits.paid_per_second)

    def check(self, call: Call) -> ApiError | None:
        """None when the call may go ahead (its budgets are charged); else the 429."""
        if not counts_as_message(call.method):
            return None
        chat_id = normalize_chat_id(call.params.get("chat_id"))
        if chat_id is None:
            return None  # inline messages are edited by id: no chat to charge
        now = self.clock()
        overall = self._paid if call.params.get("allow_paid_broadcast") else self._overall
        chat = self._chat(chat_id)
        wait = max(overall.wait(now), chat.wait(now))
        if wait > 0:
            self.refused += 1
            self.refused_by_chat[chat_id] = self.refused_by_chat.get(chat_id, 0) + 1
            seconds = max(1, math.ceil(wait))
            return ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        overall.take()
        chat.take()
        return None

    def _chat(self, chat_id: int | str) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            if isinstance(chat_id, str) or chat_id < 0:
                bucket = _Bucket(limits.group_per_minute, limits.group_per_minute / 60.0)
            else:
                bucket = _Bucket(limits.chat_burst, limits.chat_per_second)
            bucket.stamp = self.clock()
            self._chats[chat_id] = bucket
        return bucket
