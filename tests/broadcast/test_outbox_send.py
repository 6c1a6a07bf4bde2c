"""One row's send when the outbox stops while it waits out a 429."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from telegram import Bot
from telegram.error import RetryAfter

from services.outbox_send import Gate, Message, RetryPolicy, send_row
from storage.clock import Clock
from storage.outbox import Kind, OutboxRow, Result


class FloodedBot:
    """Telegram answering 429 "retry after 30 s" to every request."""

    def __init__(self) -> None:
        self.requests = 0

    async def send_message(self, *args: Any, **kwargs: Any) -> None:
        self.requests += 1
        raise RetryAfter(30)


ROW = OutboxRow(1, Kind.NOTIFICATION, None, "key", 2001, "es", "Hola", None, 0)


async def test_a_stop_during_a_429_wait_puts_the_row_back_unsent() -> None:
    gate = Gate()
    bot = FloodedBot()
    sending = asyncio.create_task(
        send_row(
            cast(Bot, bot),
            ROW,
            Message("Hola"),
            gate=gate,
            clock=Clock(),
            policy=RetryPolicy(),
            paid=False,
        )
    )
    await asyncio.sleep(0.01)
    gate.stop.set()
    outcome = await asyncio.wait_for(sending, 1)
    assert outcome.result is Result.REQUEUE
    assert bot.requests == 1
