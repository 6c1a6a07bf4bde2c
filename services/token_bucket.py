"""A token bucket on the event loop's monotonic clock: the outbox's sending rate.

The bucket holds at most a twentieth of a second of tokens (at least one), so the
sender never bursts far above the configured rate, yet at high rates one wake-up
releases a whole chunk instead of one message per timer tick.
"""

from __future__ import annotations

import asyncio

BURST_SECONDS = 0.05


class TokenBucket:
    """`rate` tokens per second; `None` means unthrottled (benchmarks, tests)."""

    def __init__(self, rate: float | None) -> None:
        self._rate = rate
        self._capacity = max(1.0, (rate or 0) * BURST_SECONDS)
        self._tokens = 1.0
        self._stamp: float | None = None

    @property
    def rate(self) -> float | None:
        return self._rate

    def _refill(self, now: float) -> None:
        if self._rate is None:
            return
        if self._stamp is not None:
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    async def take(self, wanted: int) -> int:
        """Wait for at least one token, then take up to `wanted`; returns how many."""
        if wanted <= 0:
            return 0
        if self._rate is None:
            return wanted
        loop = asyncio.get_running_loop()
        self._refill(loop.time())
        while self._tokens < 1:
            await asyncio.sleep((1 - self._tokens) / self._rate)
            self._refill(loop.time())
        taken = min(wanted, int(self._tokens))
        self._tokens -= taken
        return taken
