"""Sending one outbox row and naming what happened, as the worker records it.

- 429 `RetryAfter`: the whole outbox pauses for the time Telegram asks and the same
  row is sent again (the bot's `AIORateLimiter` already retried it a few times);
- 403 `Forbidden` (blocked bot, deleted account): `blocked`;
- 400 `BadRequest`: `failed` at once (resending the same request cannot succeed);
- network errors, 5xx, anything else: retried with exponential backoff
  (`attempts`, `next_attempt_at`), `failed` after `max_attempts`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from storage.clock import Clock
from storage.outbox import OutboxRow, Outcome, Result

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


@dataclass(frozen=True, slots=True)
class Message:
    """What a row sends: HTML text and, for notifications, its keyboard."""

    text: str | None
    markup: Markup | None = None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_seconds: float = 5.0
    backoff_max_seconds: float = 600.0

    def delay(self, attempts: int) -> float:
        return min(self.backoff_max_seconds, self.backoff_seconds * 2.0 ** (attempts - 1))


class Gate:
    """Shared by every send of the outbox: a pause after a 429, and the stop signal."""

    def __init__(self) -> None:
        self.stop = asyncio.Event()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)

    async def wait_if_paused(self) -> None:
        wait = self._paused_until - asyncio.get_running_loop().time()
        if wait > 0:
            await self.sleep(wait)

    async def sleep(self, seconds: float) -> bool:
        """Sleep; False when a stop interrupted the sleep."""
        try:
            await asyncio.wait_for(self.stop.wait(), seconds)
        except TimeoutError:
            return True
        return False


async def send_row(
    bot: Bot,
    row: OutboxRow,
    message: Message,
    *,
    gate: Gate,
    clock: Clock,
    policy: RetryPolicy,
    paid: bool,
) -> Outcome:
    """One row to Telegram; never raises, every ending is an `Outcome`."""
    if not message.text:
        return Outcome(row.id, Result.FAILED, error="no_text", attempts=row.attempts)
    while True:
        try:
            await bot.send_message(
                row.chat_id,
                message.text,
                reply_markup=message.markup,
                protect_content=True,
                allow_paid_broadcast=paid or None,
            )
        except RetryAfter as exc:
            seconds = _retry_after_seconds(exc)
            logger.warning("outbox_retry_after seconds=%.1f", seconds)
            gate.pause(seconds)
            if not await gate.sleep(seconds):
                # Stopping: the request never went through, so the row is simply pending.
                return Outcome(row.id, Result.REQUEUE, attempts=row.attempts)
            continue
        except Forbidden:
            return Outcome(row.id, Result.BLOCKED, error="forbidden", attempts=row.attempts)
        except BadRequest as exc:
            return Outcome(
                row.id, Result.FAILED, error=_error_text(exc), attempts=row.attempts + 1
            )
        except TelegramError as exc:
            return _retry_or_fail(row, _error_text(exc), clock, policy)
        except Exception as exc:
            # Whatever broke, the row must come back to the queue, never stay in limbo.
            logger.error("outbox_send_crashed error=%s", type(exc).__name__)
            return _retry_or_fail(row, type(exc).__name__, clock, policy)
        return Outcome(row.id, Result.SENT, attempts=row.attempts)


def _retry_or_fail(row: OutboxRow, error: str, clock: Clock, policy: RetryPolicy) -> Outcome:
    attempts = row.attempts + 1
    if attempts >= policy.max_attempts:
        logger.warning("outbox_row_failed row=%d attempts=%d", row.id, attempts)
        return Outcome(row.id, Result.FAILED, error=error, attempts=attempts)
    return Outcome(
        row.id,
        Result.RETRY,
        error=error,
        attempts=attempts,
        next_attempt_at=clock.now() + dt.timedelta(seconds=policy.delay(attempts)),
    )


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that the attribute becomes a timedelta; both forms are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


def _error_text(exc: TelegramError) -> str:
    # Telegram's own description ("Bad Request: chat not found"): never user content.
    return f"{type(exc).__name__}: {exc.message}"[:200]


def markup_from(data: dict[str, Any] | None) -> Markup | None:
    """A stored Bot API markup dict back into PTB's object."""
    if not data:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.de_json(data, None)
    if "force_reply" in data:
        return ForceReply.de_json(data, None)
    raise ValueError("unknown reply markup")
