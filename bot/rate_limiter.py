"""The Bot API rate limiter, which also tells the message tracker what the bot sent."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

from services.tracking import MessageTracker


class TrackingRateLimiter(AIORateLimiter):
    """`AIORateLimiter` that also notes every message the bot creates in a private chat."""

    def __init__(
        self, tracker: MessageTracker, *, overall_max_rate: float, max_retries: int
    ) -> None:
        super().__init__(overall_max_rate=overall_max_rate, max_retries=max_retries)
        self._tracker = tracker

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        result = await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
        self._tracker.note_result(endpoint, data, result)
        return result
