"""Vigía as every benchmark runs it, beside the echo bot of `bench.echo`.

Both talk to the same in-process fake Bot API through the same `FakeRequest`, and
both are driven the same way (an update dict built by the fake, parsed by PTB, handed
to the Application), so what differs between them is Vigía's own work.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

from bench.cache import bench_settings
from bench.echo import AnyApp, Running, echo_bot, family
from bot.app import build_application
from bot.lifecycle import running
from fake_telegram import FakeRequest, FakeTelegram, Rig, TelegramLimits
from handlers.context import VigiaApp
from services.container import Services
from storage.clock import Clock

__all__ = [
    "AnyApp",
    "Running",
    "echo_bot",
    "echo_floor",
    "family",
    "services_of",
    "vigia_bot",
]


@contextlib.asynccontextmanager
async def vigia_bot(
    database: Path,
    *,
    clock: Clock | None = None,
    limits: TelegramLimits | None = None,
    **overrides: Any,
) -> AsyncIterator[Running]:
    """The real bot on `database`; the Bot API rate limiter is off unless overridden,
    the fake's Telegram limits off unless `limits` is given."""
    values: dict[str, Any] = {"telegram_rate_limit": 0}
    values.update(overrides)
    settings = bench_settings(database, **values)
    fake = FakeTelegram(limits=limits)
    app = build_application(
        settings, request=FakeRequest(fake), updates_request=FakeRequest(fake), clock=clock
    )
    async with running(app):
        yield Running(cast(AnyApp, app), fake, Rig(app, fake))


def services_of(bot: Running) -> Services:
    """Vigía's services, typed (a `Running` holds any Application)."""
    return cast(VigiaApp, bot.app).bot_data.services


async def echo_floor(samples: int = 300) -> float:
    """Median seconds the echo bot takes for one text update: a per-benchmark yardstick."""
    async with echo_bot() as bot:
        timings = []
        for index in range(samples):
            started = time.perf_counter()
            await bot.feed_text(family(index), "hello")
            timings.append(time.perf_counter() - started)
    timings.sort()
    return timings[len(timings) // 2]
