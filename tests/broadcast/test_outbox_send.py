"""One row's send when Telegram answers 429: back to the queue, that chat paused."""

from __future__ import annotations

from typing import Any, cast

from telegram import Bot
from telegram.error import RetryAfter

from services.outbox_send import Gate, Message, RetryPolicy, send_row
from storage.clock import Clock
from storage.outbox import ChatId, Kind, OutboxRow, Result


class FloodedBot:
    """Telegram answering 429 "retry after 30 s" to every request."""

    def __init__(self) -> None:
        self.requests = 0

    async def send_message(self, *args: Any, **kwargs: Any) -> None:
        self.requests += 1
        raise RetryAfter(30)


ROW = OutboxRow(1, Kind.NOTIFICATION, None, "key", 2001, "es", "Hola", None, 0)


async def test_a_429_puts_the_row_back_at_once_and_pauses_only_its_chat() -> None:
    paused: list[tuple[ChatId, float]] = []
    gate = Gate(lambda chat_id, seconds: paused.append((chat_id, seconds)))
    bot = FloodedBot()
    outcome = await send_row(
        cast(Bot, bot),
        ROW,
        Message("Hola"),
        gate=gate,
        clock=Clock(),
        policy=RetryPolicy(),
        paid=False,
    )
    assert outcome.result is Result.REQUEUE
    assert outcome.attempts == ROW.attempts
    assert bot.requests == 1
    assert paused == [(2001, 30.0)]
