"""The outbox's sending rate, on `aiolimiter.AsyncLimiter` (a leaky bucket).

The bucket holds a twentieth of a second of sends (at least one), so the sender never
bursts far above the configured rate, yet at high rates one wake-up releases a whole
chunk instead of one message per timer tick.
"""

from __future__ import annotations

from aiolimiter import AsyncLimiter

BURST_SECONDS = 0.05


def pace(rate: float | None) -> AsyncLimiter | None:
    """A limiter for `rate` messages a second; None (unthrottled) for benchmarks and tests."""
    if rate is None:
        return None
    burst = max(1.0, rate * BURST_SECONDS)
    return AsyncLimiter(burst, burst / rate)


async def take(limiter: AsyncLimiter | None, wanted: int) -> int:
    """Wait until one message may go, then take as many more as the bucket holds now."""
    if limiter is None or wanted <= 0:
        return max(wanted, 0)
    await limiter.acquire()
    taken = 1
    while taken < wanted and limiter.has_capacity():
        await limiter.acquire()  # returns at once: there is room
        taken += 1
    return taken
