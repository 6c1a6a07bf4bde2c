"""The figures chart: weekly verified detentions and releases, announced figures marked.

The chart is translated and laid out here (`chart_data`) and drawn by matplotlib in a
separate worker process (`services.chart_render`): matplotlib and numpy would otherwise add
about 50 MB to the bot for good after the first /cifras, for a picture drawn only when
the figures change. The worker is started on the first chart, reused while charts are
asked for, and retired after `WORKER_IDLE_SECONDS` without one; the PNG of each
language is kept until the figures change (the snapshot's version) or the day does.
If no worker can be started, the chart is drawn in a thread of the bot instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

from domain.figures import FiguresSnapshot
from domain.i18n import Translator
from services.chart_render import (
    ANNOUNCED_COLOUR,
    DEATH_COLOUR,
    DETENTION_COLOUR,
    RELEASE_COLOUR,
    ChartData,
    Mark,
    render_image,
    render_png,
)

__all__ = [
    "ANNOUNCED_COLOUR",
    "DEATH_COLOUR",
    "DETENTION_COLOUR",
    "RELEASE_COLOUR",
    "ChartData",
    "ChartError",
    "ChartRenderer",
    "Mark",
    "chart_data",
    "render_png",
]

logger = logging.getLogger(__name__)

TICK_EVERY_WEEKS = 4
WORKER_IDLE_SECONDS = 60.0
WORKER_STOP_SECONDS = 5.0
WORKER_MODULE = "services.chart_render"
# The worker draws a picture: it has no use for the bot's secrets.
_SECRET_ENV = ("BOT_TOKEN", "ENCRYPTION_KEY", "ENCRYPTION_OLD_KEYS", "WEBHOOK_SECRET_TOKEN")
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class ChartError(RuntimeError):
    """The worker could not draw the chart."""


def chart_data(snapshot: FiguresSnapshot, t: Translator) -> ChartData:
    _ = t.gettext
    weeks = snapshot.weeks
    first = weeks[0].start if weeks else snapshot.today
    marks = tuple(
        Mark(
            position=(announcement.since - first).days / 7 - 0.5,
            label=t.ngettext(
                "Announced: {count} release",
                "Announced: {count} releases",
                announcement.claimed_count,
            ).format(count=t.number(announcement.claimed_count)),
        )
        for announcement in snapshot.chart_announcements
    )
    return ChartData(
        title=_("Verified detentions, releases and deaths in custody per week"),
        y_label=_("People"),
        detentions_label=_("Detentions (re-arrests included)"),
        releases_label=_("Releases"),
        detentions=tuple(week.detentions for week in weeks),
        releases=tuple(week.releases for week in weeks),
        deaths_label=_("Deaths in custody"),
        deaths=tuple(week.deaths for week in weeks),
        ticks=tuple(
            (index, t.date(week.start, "d MMM"))
            for index, week in enumerate(weeks)
            if index % TICK_EVERY_WEEKS == 0
        ),
        marks=marks,
    )


class ChartRenderer:
    """Draws in the worker process, one chart at a time, and keeps the latest PNG per language."""

    def __init__(self, idle_seconds: float = WORKER_IDLE_SECONDS) -> None:
        self._idle_seconds = idle_seconds
        self._lock = asyncio.Lock()
        self._key: tuple[tuple[int, ...], dt.date] | None = None
        self._pngs: dict[str, bytes] = {}
        self._worker: asyncio.subprocess.Process | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._retiring: asyncio.Task[None] | None = None

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id while one runs (benchmarks read its memory)."""
        return self._worker.pid if self._worker is not None else None

    async def png(self, snapshot: FiguresSnapshot, t: Translator) -> bytes:
        key = (snapshot.version, snapshot.today)
        async with self._lock:
            if key != self._key:
                self._key, self._pngs = key, {}
            png = self._pngs.get(t.language)
            if png is None:
                png = await self._render(chart_data(snapshot, t))
                self._pngs[t.language] = png
            return png

    async def svg(self, snapshot: FiguresSnapshot, t: Translator) -> bytes:
        """The same chart as SVG, for the site (drawn each time: the site is rebuilt at
        most once a minute, and only when the figures changed)."""
        async with self._lock:
            return await self._render(replace(chart_data(snapshot, t), image_format="svg"))

    async def close(self) -> None:
        """Stop the worker (at shutdown); a later chart starts a new one."""
        async with self._lock:
            self._cancel_idle()
            await self._stop_worker()
        if self._retiring is not None:
            await self._retiring
            self._retiring = None

    async def _render(self, data: ChartData) -> bytes:
        """Ask the worker (a fresh one if the last has gone away); called under the lock."""
        self._cancel_idle()
        try:
            for attempt in range(2):
                worker = await self._start_worker()
                if worker is None:
                    return await asyncio.to_thread(render_image, data)
                try:
                    return await self._ask(worker, data)
                except (BrokenPipeError, ConnectionResetError, asyncio.IncompleteReadError):
                    # The worker ended (killed, or out of memory): one more try with a new one.
                    await self._stop_worker()
                    if attempt:
                        raise ChartError("the chart worker stopped") from None
            raise AssertionError("unreachable")
        finally:
            self._schedule_idle()

    async def _ask(self, worker: asyncio.subprocess.Process, data: ChartData) -> bytes:
        if worker.stdin is None or worker.stdout is None:
            raise ChartError("the chart worker has no pipes")
        worker.stdin.write(data.to_json().encode("ascii") + b"\n")
        await worker.stdin.drain()
        status, _, size = (await worker.stdout.readuntil(b"\n")).decode("ascii").partition(" ")
        body = await worker.stdout.readexactly(int(size))
        if status != "ok":
            raise ChartError(f"the chart worker failed: {body.decode('ascii', 'replace')}")
        return body

    async def _start_worker(self) -> asyncio.subprocess.Process | None:
        if self._worker is not None and self._worker.returncode is None:
            return self._worker
        await self._stop_worker()
        environment = {
            name: value for name, value in os.environ.items() if name not in _SECRET_ENV
        }
        try:
            self._worker = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                WORKER_MODULE,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                cwd=_PACKAGE_ROOT,
                env=environment,
            )
        except OSError:
            logger.warning("chart_worker_unavailable")
            return None
        logger.info("chart_worker_started")
        return self._worker

    async def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if worker.stdin is not None:
            worker.stdin.close()
        try:
            await asyncio.wait_for(worker.wait(), WORKER_STOP_SECONDS)
        except TimeoutError:
            worker.kill()
            await worker.wait()
        if worker.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                await worker.stdin.wait_closed()
        logger.info("chart_worker_stopped")

    def _schedule_idle(self) -> None:
        self._cancel_idle()
        if self._worker is not None:
            loop = asyncio.get_running_loop()
            self._idle = loop.call_later(self._idle_seconds, self._retire_later)

    def _cancel_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None

    def _retire_later(self) -> None:
        self._idle = None
        self._retiring = asyncio.ensure_future(self._retire())

    async def _retire(self) -> None:
        """No chart for a while: give the worker's memory back."""
        async with self._lock:
            if self._idle is None:
                await self._stop_worker()


class ChartsInProcess:
    """The site's charts drawn in the calling process (in a thread): for the site worker,
    a process of its own already, where matplotlib stays loaded between builds."""

    async def svg(self, snapshot: FiguresSnapshot, t: Translator) -> bytes:
        data = replace(chart_data(snapshot, t), image_format="svg")
        return await asyncio.to_thread(render_image, data)
