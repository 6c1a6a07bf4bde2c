"""The outbox's pace: never above the configured rate, in chunks at high rates."""

from __future__ import annotations

import asyncio

from services.outbox_pacing import pace, take


async def test_unthrottled_takes_everything_at_once() -> None:
    assert pace(None) is None
    assert await take(None, 500) == 500
    assert await take(None, 0) == 0


async def test_a_high_rate_releases_a_chunk_not_one_message_per_tick() -> None:
    limiter = pace(1000)
    taken = await take(limiter, 500)
    # About a twentieth of a second of sends (a little more drains while it is taken).
    assert 1 < taken < 100


async def test_the_rate_is_never_exceeded() -> None:
    limiter = pace(20)
    loop = asyncio.get_running_loop()
    started = loop.time()
    sent = 0
    while sent < 11:
        sent += await take(limiter, 11 - sent)
    # Eleven messages at 20 a second: at least ten intervals of 50 ms between them.
    assert loop.time() - started >= 0.45
