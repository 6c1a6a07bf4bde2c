"""The process that keeps the site current (with `SITE_DIR` set), and the bot's side of it.

A build after a verified change rewrites only the changed cases' rows of the open data
(`services.site.builder`), which needs the last build's index, kept in memory: so the
bot starts one worker process (`python -m bot site-worker SITE_DIR`) and asks it for
each build, one line each way. The worker runs at a lower priority than the bot, keeps
its own database connection, and draws the charts itself, so a build costs the bot
neither CPU nor memory. It gets the database, the key and what the site shows, never the
bot's token. If it dies, the next build starts a new one (whose first build is whole).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import sys
from pathlib import Path

from bot.site_sources import opened_sources
from services.chart import ChartsInProcess
from services.settings import Settings
from services.site.builder import BuildReport, SiteBuilder

logger = logging.getLogger(__name__)
# How long the worker has to finish cleaning up after an interrupt, or to end after its
# input closes, before it is killed.
WORKER_STOP_SECONDS = 5.0
# The niceness of the worker: families' answers come first.
LOW_PRIORITY = 10
_NOT_FOR_THE_WORKER = ("BOT_TOKEN", "WEBHOOK_SECRET_TOKEN", "SITE_DIR")


class SiteBuildFailed(RuntimeError):
    """The worker could not build the site (its message names the problem, never data)."""


class _WorkerGone(Exception):
    """The worker's pipes closed: it is no longer running."""


class SiteWorker:
    """The bot's handle on the worker: `build` one day's site, `close` at shutdown."""

    def __init__(self, site_dir: Path, settings: Settings) -> None:
        self._site_dir = site_dir.absolute()
        self._settings = settings
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id while one runs."""
        process = self._process
        return process.pid if process is not None and process.returncode is None else None

    async def build(self, today: dt.date) -> BuildReport:
        """One build, swapped in when complete; cancelling it interrupts the worker,
        which removes its unfinished folder (the published one stays whole). A worker
        found dead (killed, out of memory) is replaced once at once."""
        try:
            return await self._ask(today)
        except _WorkerGone:
            await self._stop(interrupt=False)
        try:
            return await self._ask(today)
        except _WorkerGone as gone:
            await self._stop(interrupt=False)
            raise SiteBuildFailed("the site worker stopped") from gone

    async def _ask(self, today: dt.date) -> BuildReport:
        process = await self._started()
        if process.stdin is None or process.stdout is None:
            raise SiteBuildFailed("the site worker has no pipes")
        try:
            process.stdin.write(f"{today.isoformat()}\n".encode("ascii"))
            await process.stdin.drain()
            answer = (await process.stdout.readline()).decode("utf-8", "replace").strip()
        except asyncio.CancelledError:
            await self._stop(interrupt=True)
            raise
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _WorkerGone from exc
        if not answer:  # it ended without answering
            raise _WorkerGone
        status, _, detail = answer.partition(" ")
        if status != "ok":
            raise SiteBuildFailed(detail)
        files, rows, whole = detail.split()
        return BuildReport(int(files), int(rows), whole == "whole")

    async def close(self) -> None:
        """Let the worker end (its input closes), killing it if it lingers."""
        await self._stop(interrupt=False)

    async def _started(self) -> asyncio.subprocess.Process:
        if self._process is not None and self._process.returncode is None:
            return self._process
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "site-worker", str(self._site_dir), "--low-priority",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env=worker_environment(self._settings),
        )  # fmt: skip
        logger.info("site_worker_started")
        return self._process

    async def _stop(self, *, interrupt: bool) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        if interrupt:
            process.send_signal(signal.SIGINT)
        elif process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), WORKER_STOP_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()


def worker_environment(settings: Settings) -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if name not in _NOT_FOR_THE_WORKER
    }
    environment.update(
        DATABASE_PATH=str(settings.database_path.absolute()),
        TIMEZONE=settings.timezone,
        DEFAULT_LANGUAGE=settings.default_language,
        SITE_NAME=settings.site_name,
        ENCRYPTION_OLD_KEYS=",".join(
            key.get_secret_value() for key in settings.encryption_old_keys
        ),
    )
    if settings.encryption_key is not None:
        environment["ENCRYPTION_KEY"] = settings.encryption_key.get_secret_value()
    return environment


def site_worker_command(settings: Settings, target: Path, *, low_priority: bool) -> int:
    """`python -m bot site-worker SITE_DIR`: a build per line read (`YYYY-MM-DD`), each
    answered `ok FILES ROWS whole|patched` or `error REASON`; ends when its input does."""
    if low_priority:
        os.nice(LOW_PRIORITY)
    if settings.encryption_key is None:
        print("vigia: ENCRYPTION_KEY is required", file=sys.stderr)
        return 1
    try:
        asyncio.run(_serve(settings, target))
    except KeyboardInterrupt:  # the bot's shutdown; an unfinished build removed itself
        return 130
    return 0


async def _serve(settings: Settings, target: Path) -> None:
    async with opened_sources(settings, ChartsInProcess()) as sources:
        builder = SiteBuilder(sources, target)
        requests = asyncio.StreamReader()
        await asyncio.get_running_loop().connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(requests), sys.stdin
        )
        while line := await requests.readline():
            answer = await _answer(builder, line)
            sys.stdout.buffer.write(answer.encode("utf-8") + b"\n")
            sys.stdout.buffer.flush()
            await builder.tidy()  # the old site, once the bot has heard the build is done


async def _answer(builder: SiteBuilder, line: bytes) -> str:
    try:
        report = await builder.build(dt.date.fromisoformat(line.decode("ascii").strip()))
    except Exception as exc:  # reported to the bot, which tries again later
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        return f"error {type(exc).__name__}: {reason}"
    kind = "whole" if report.whole else "patched"
    return f"ok {report.files} {report.rows_written} {kind}"
