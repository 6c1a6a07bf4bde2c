"""Keeping the site current: with `SITE_DIR` set, the bot rebuilds it after verified
changes, at most once per `SITE_REBUILD_SECONDS` (a minute by default).

A job asks `tick` every few seconds; it compares the figures' data version (which
moves with every change to a case, a story or an announcement: `figures_version` in
migration 0006, and the newest row ids) and the NGO's calendar day with those of the
last build. A burst of verifications thus makes one build, at most an interval after
the previous one, and the last change of a burst is never left unpublished.

The build itself runs in the background (in the bot, a child process: see
`bot/site.py`), so the check returns at once and a long build never holds up the
job queue; a failed build is tried again at the next check after the interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from domain.dates import local_today
from services.site.builder import BuildReport
from storage.clock import Clock

logger = logging.getLogger(__name__)

CHECK_SECONDS = 5.0
Build = Callable[[dt.date], Awaitable[BuildReport]]
Stop = Callable[[], Awaitable[None]]
Version = Callable[[], Awaitable[tuple[int, ...]]]


class SiteKeeper:
    """Starts a build when the published data changed, debounced; one build at a time."""

    def __init__(
        self,
        build: Build,
        version: Version,
        *,
        clock: Clock,
        timezone: dt.tzinfo,
        min_interval: dt.timedelta,
        stop: Stop | None = None,
    ) -> None:
        """`stop` ends what builds (the worker process) at shutdown."""
        self._build = build
        self._stop = stop
        self._version = version
        self._clock = clock
        self._timezone = timezone
        self._min_interval = min_interval
        self._built: tuple[tuple[int, ...], dt.date] | None = None
        self._last_start: dt.datetime | None = None
        self._running: asyncio.Task[None] | None = None
        self.builds = 0
        self.last_report: BuildReport | None = None

    async def tick(self) -> bool:
        """Start a build if the data or the day changed and the last one is old enough;
        True when one was started."""
        if self._running is not None and not self._running.done():
            return False
        now = self._clock.now()
        today = local_today(now, self._timezone)
        key = (await self._version(), today)
        if key == self._built:
            return False
        if self._last_start is not None and now - self._last_start < self._min_interval:
            return False
        self._built, self._last_start = key, now
        self._running = asyncio.create_task(self._run(today), name="site-build")
        return True

    async def idle(self, grace: float | None = None) -> None:
        """Wait for the build under way, if any, at most `grace` seconds; then stop it
        (the published folder is swapped whole or not at all, so it stays as it was)."""
        running = self._running
        if running is None or running.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(running), grace)
        except TimeoutError:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
            self._built = None
            logger.info("site_build_stopped reason=shutdown")

    async def close(self, grace: float | None = None) -> None:
        """At shutdown: `idle(grace)`, then stop what builds."""
        await self.idle(grace)
        if self._stop is not None:
            await self._stop()

    async def _run(self, today: dt.date) -> None:
        try:
            self.last_report = await self._build(today)
        except Exception as exc:  # the next check tries again; the site stays as it was
            self._built = None
            logger.warning("site_build_failed error=%s", type(exc).__name__)
            return
        self.builds += 1
        logger.info("site_built")
