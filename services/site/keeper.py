"""Keeping the site current: with `SITE_DIR` set, the bot rebuilds it after verified
changes, at most once per `SITE_REBUILD_SECONDS` (a minute by default).

A job asks `tick` every few seconds; it compares the figures' data version (which
moves with every change to a case, a story or an announcement: `figures_version` in
migration 0006, and the newest row ids) and the NGO's calendar day with those of the
last build. A burst of verifications thus makes one build, at most a minute after the
previous one, and the last change of a burst is never left unpublished.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

from domain.dates import local_today
from services.site.build import SiteSources, build_site
from storage.clock import Clock

logger = logging.getLogger(__name__)

CHECK_SECONDS = 5.0


class SiteKeeper:
    """Rebuilds `target` when the published data changed, debounced."""

    def __init__(
        self,
        sources: SiteSources,
        target: Path,
        *,
        clock: Clock,
        timezone: dt.tzinfo,
        min_interval: dt.timedelta,
    ) -> None:
        self._sources = sources
        self._target = target
        self._clock = clock
        self._timezone = timezone
        self._min_interval = min_interval
        self._built: tuple[tuple[int, ...], dt.date] | None = None
        self._last_build: dt.datetime | None = None
        self._lock = asyncio.Lock()
        self.builds = 0

    async def tick(self) -> bool:
        """Build now if the data or the day changed and the last build is old enough."""
        async with self._lock:
            now = self._clock.now()
            today = local_today(now, self._timezone)
            key = (await self._sources.figures.version(), today)
            if key == self._built:
                return False
            if self._last_build is not None and now - self._last_build < self._min_interval:
                return False
            written = await build_site(self._sources, self._target, today)
            self._built, self._last_build = key, now
            self.builds += 1
            logger.info("site_built files=%d", written)
            return True
