"""The published site, wired: `python -m bot site OUT_DIR`, and with `SITE_DIR` set the
job that keeps it current (services/site/keeper.py) through the site worker process
(bot/site_worker.py).

Both build from the same sources: the bot's own stores when it runs, stores opened on
the database for the command. The methodology files are read from the data folder, the
folder of `DATABASE_PATH`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from bot.site_sources import opened_sources
from bot.site_worker import LOW_PRIORITY, SiteWorker
from domain.dates import local_today
from domain.i18n import CatalogError
from handlers.context import VigiaApp, VigiaContext
from services.chart import ChartError, ChartRenderer
from services.container import Services
from services.operator_language import operator_translator
from services.settings import Settings
from services.site.build import SiteSources
from services.site.builder import build_site
from services.site.keeper import CHECK_SECONDS, SiteKeeper
from services.site.output import NotASite
from storage.clock import Clock
from storage.crypto import DecryptionError
from storage.site import SiteStore

logger = logging.getLogger(__name__)
JOB_NAME = "site"
# At shutdown, how long a build under way may still take.
SHUTDOWN_WAIT_SECONDS = 5.0


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
    worker = SiteWorker(settings.site_dir, settings)
    keeper = SiteKeeper(
        worker.build,
        services.figures.version,
        clock=services.clock,
        timezone=ZoneInfo(settings.timezone),
        min_interval=dt.timedelta(seconds=settings.site_rebuild_seconds),
        stop=worker.close,
    )
    jobs.run_repeating(site_job, CHECK_SECONDS, first=0, name=JOB_NAME, data=keeper)
    return keeper


async def site_job(context: VigiaContext) -> None:
    job = context.job
    if job is not None:
        await cast(SiteKeeper, job.data).tick()


async def finish_site(application: VigiaApp) -> None:
    """At shutdown: give a build under way `SHUTDOWN_WAIT_SECONDS` to finish, then stop
    it (the worker process first): a supervisor's stop must not wait for a minute-long
    build, and the published folder is never half-written either way."""
    jobs = application.job_queue
    for job in jobs.get_jobs_by_name(JOB_NAME) if jobs is not None else ():
        await cast(SiteKeeper, job.data).close(SHUTDOWN_WAIT_SECONDS)


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
    charts = ChartRenderer()
    try:
        async with opened_sources(settings, charts) as sources:
            zone = ZoneInfo(settings.timezone)
            return await build_site(sources, target, today or local_today(Clock().now(), zone))
    finally:
        await charts.close()
