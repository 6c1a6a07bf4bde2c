"""The published site, wired: `python -m bot site OUT_DIR`, and with `SITE_DIR` set the
job that keeps it current (services/site/keeper.py).

Both build from the same sources: the bot's own stores when it runs, stores opened on
the database for the command. The methodology files are read from the data folder, the
folder of `DATABASE_PATH`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from domain.dates import local_today
from domain.i18n import CatalogError, Catalogs
from handlers.context import VigiaApp, VigiaContext
from services.chart import ChartError, ChartRenderer
from services.container import Services
from services.operator_language import operator_translator
from services.settings import Settings
from services.site.build import SiteSources, build_site
from services.site.keeper import CHECK_SECONDS, SiteKeeper
from services.site.output import NotASite
from storage.announcements import Announcements
from storage.clock import Clock
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.seal_upgrade import rows_are_bound
from storage.site import SiteStore

logger = logging.getLogger(__name__)
JOB_NAME = "site"
# At shutdown, how long a build under way may still take, and how long its child has
# to clean up after an interrupt before it is killed.
SHUTDOWN_WAIT_SECONDS = 5.0
CHILD_STOP_SECONDS = 5.0
# The niceness of a build the bot starts: families' answers come first.
LOW_PRIORITY = 10


def sources_of(services: Services) -> SiteSources:
    settings = services.settings
    return SiteSources(
        figures=services.figures,
        announcements=services.announcements,
        exports=services.exports,
        site=SiteStore(services.db),
        charts=services.charts,
        catalogs=services.catalogs,
        methodology_folder=settings.database_path.parent,
        site_name=settings.site_name,
    )


def schedule_site(application: VigiaApp) -> SiteKeeper | None:
    """With SITE_DIR set, check for changes every few seconds (the first check builds)."""
    services = application.bot_data.services
    settings = services.settings
    if settings.site_dir is None:
        return None
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    keeper = SiteKeeper(
        functools.partial(build_in_child, settings.site_dir.absolute(), settings),
        services.figures.version,
        clock=services.clock,
        timezone=ZoneInfo(settings.timezone),
        min_interval=dt.timedelta(seconds=settings.site_rebuild_seconds),
    )
    jobs.run_repeating(site_job, CHECK_SECONDS, first=0, name=JOB_NAME, data=keeper)
    return keeper


async def site_job(context: VigiaContext) -> None:
    job = context.job
    if job is not None:
        await cast(SiteKeeper, job.data).tick()


async def finish_site(application: VigiaApp) -> None:
    """At shutdown: give a build under way `SHUTDOWN_WAIT_SECONDS` to finish, then stop
    it (its child process first): a supervisor's stop must not wait for a minute-long
    build, and the published folder is never half-written either way."""
    jobs = application.job_queue
    for job in jobs.get_jobs_by_name(JOB_NAME) if jobs is not None else ():
        await cast(SiteKeeper, job.data).idle(SHUTDOWN_WAIT_SECONDS)


class SiteBuildFailed(RuntimeError):
    """The child process that builds the site ended with an error."""


async def build_in_child(site_dir: Path, settings: Settings, today: dt.date) -> None:
    """`python -m bot site SITE_DIR --as-of TODAY`, at a lower priority than the bot.

    A child process, because a large site costs seconds of CPU (minutes for a million
    cases) and hundreds of MB, which the bot should neither wait for nor keep: its
    event loop keeps answering families meanwhile. It gets the database, the key and
    what the site shows from these settings, and not the bot's token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "site", str(site_dir),
        "--as-of", today.isoformat(), "--low-priority",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        env=child_environment(settings),
    )  # fmt: skip
    try:
        _, errors = await process.communicate()
    except asyncio.CancelledError:
        await _stop_child(process)
        raise
    if process.returncode != 0:
        # The child's message names the problem (a path, an unreadable file), never data.
        raise SiteBuildFailed(errors.decode(errors="replace").strip()[-500:])


async def _stop_child(process: asyncio.subprocess.Process) -> None:
    """Interrupt the build (it removes its unfinished folder), then kill it if it lingers."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), CHILD_STOP_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()


def child_environment(settings: Settings) -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if name not in _NOT_FOR_THE_CHILD
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


_NOT_FOR_THE_CHILD = ("BOT_TOKEN", "WEBHOOK_SECRET_TOKEN", "SITE_DIR")


def site_command(
    settings: Settings, target: Path, as_of: str | None = None, *, low_priority: bool = False
) -> int:
    """`python -m bot site OUT_DIR [--as-of DAY]`: 0 when written, 1 when it could not be."""
    if low_priority:
        os.nice(LOW_PRIORITY)
    try:
        today = dt.date.fromisoformat(as_of) if as_of else None
        count = asyncio.run(write_site(settings, target, today))
    except (sqlite3.Error, OSError, DecryptionError, ValueError, CatalogError, ChartError,
            NotASite) as exc:  # fmt: skip
        failed = operator_translator(settings.default_language).gettext("site failed: {reason}")
        print(f"vigia: {failed.format(reason=exc)}", file=sys.stderr)
        return 1
    t = operator_translator(settings.default_language)
    written = t.ngettext(
        "site written to {folder} ({count} file)",
        "site written to {folder} ({count} files)",
        count,
    )
    print(f"vigia: {written.format(folder=target, count=t.number(count))}")
    return 0


async def write_site(settings: Settings, target: Path, today: dt.date | None = None) -> int:
    """Build the site of the database into `target`, as of `today` (default: the NGO's
    today)."""
    if settings.encryption_key is None:
        raise ValueError("ENCRYPTION_KEY is required")
    clock = Clock()
    zone = ZoneInfo(settings.timezone)
    cipher = FieldCipher(
        settings.encryption_key.get_secret_value(),
        tuple(key.get_secret_value() for key in settings.encryption_old_keys),
    )
    db = Database(settings.database_path)
    await db.connect()
    charts = ChartRenderer()
    try:
        cipher.legacy = not await rows_are_bound(db)
        announcements = Announcements(db, cipher, clock)
        sources = SiteSources(
            figures=FiguresStore(db, announcements, zone),
            announcements=announcements,
            exports=CaseExports(db, cipher, zone),
            site=SiteStore(db),
            charts=charts,
            catalogs=Catalogs(settings.default_language, zone),
            methodology_folder=settings.database_path.parent,
            site_name=settings.site_name,
        )
        return await build_site(sources, target, today or local_today(clock.now(), zone))
    finally:
        await charts.close()
        await db.close()
