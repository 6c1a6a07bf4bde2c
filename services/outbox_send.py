"""Sending one outbox row and naming what happened, as the worker records it.

- 429 `RetryAfter`: that chat pauses for the time Telegram asks (only that chat: the
  worker goes on with the others) and the row goes back to the queue untouched;
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
from collections.abc import Callable
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
from storage.outbox import ChatId, OutboxRow, Outcome, Result

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
    """Shared by every send of the outbox: the stop signal, and who pauses a chat."""

    def __init__(self, pause: Callable[[ChatId, float], None]) -> None:
        self.stop = asyncio.Event()
        self.pause = pause


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
    try:
        await bot.send_message(
            row.chat_id,
            message.text,
            reply_markup=message.markup,
            protect_content=True,
            allow_paid_broadcast=paid or None,
        )
    except RetryAfter as exc:
        seconds = retry_after_seconds(exc)
        logger.warning("outbox_retry_after seconds=%.1f", seconds)
        gate.pause(row.chat_id, seconds)
        # The request never went through: the row is simply pending again.
        return Outcome(row.id, Result.REQUEUE, attempts=row.attempts)
    except Forbidden:
        return Outcome(row.id, Result.BLOCKED, error="forbidden", attempts=row.attempts)
    except BadRequest as exc:
        return Outcome(row.id, Result.FAILED, error=_error_text(exc), attempts=row.attempts + 1)
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


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked to wait."""
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
