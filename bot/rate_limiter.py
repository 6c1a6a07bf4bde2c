"""The Bot API rate limiter: Telegram's budgets by lane and by chat, and /wipe's tracker.

python-telegram-bot's `AIORateLimiter` has one overall queue and, on any 429, holds
every request of the bot until the wait is over: a group out of budget would stall
the families' answers. This limiter spends `services.send_budget.SendBudget` instead:
the overall budget serves a family's answer before staff notices before broadcasts,
each chat has its own budget, and a 429 pauses only the chat it came for. It also
notes every message the bot creates in a private chat, for /wipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from services.outbox_send import retry_after_seconds
from services.send_budget import SendBudget, from_queue
from services.tracking import MessageTracker

logger = logging.getLogger(__name__)

_COUNTED_PREFIXES = ("send", "copy", "forward", "edit")
_NOT_MESSAGES = frozenset({"sendchataction"})

Result = bool | dict[str, Any] | list[dict[str, Any]]


def counts_as_message(endpoint: str) -> bool:
    """Requests that put a message into a chat: what Telegram's budgets count."""
    name = endpoint.lower()
    return name.startswith(_COUNTED_PREFIXES) and name not in _NOT_MESSAGES


def chat_of(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    with contextlib.suppress(ValueError, TypeError):
        return int(chat_id)
    return str(chat_id)


class TrackingRateLimiter(BaseRateLimiter[int]):
    """Budgets from `budget`; `rate_limit_args` may lower the retries of one request."""

    def __init__(self, tracker: MessageTracker, budget: SendBudget, *, max_retries: int) -> None:
        self._tracker = tracker
        self._budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        if from_queue():
            retries = 0
        chat_id = chat_of(data)
        counted = counts_as_message(endpoint)
        paid = bool(data.get("allow_paid_broadcast"))
        for attempt in range(retries + 1):
            if counted:
                await self._budget.acquire(chat_id, paid=paid)
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                logger.warning("telegram_retry_after seconds=%.1f", seconds)
                if chat_id is not None:
                    self._budget.pause(chat_id, seconds)
                if attempt == retries:
                    raise
                if chat_id is None or not counted:
                    await asyncio.sleep(seconds)
                continue
            self._tracker.note_result(endpoint, data, result)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")
