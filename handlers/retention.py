"""Retention: what the bot no longer needs, it deletes, every day.

- unfinished report drafts older than 24 hours (intake's `purge_stale_drafts`, which
  also runs every few minutes; here the count goes into the audit event);
- every reporter link (chat hash and sealed chat id) whose report saw no activity for
  RETENTION_DAYS (no change to it or its case, no use of it by the family): the report
  stays, the family is no longer findable;
- the follow-up threads of rejected reports (at the first run after the rejection:
  a rejected report is final and its thread is no longer anyone's business);
- tracked message ids older than 48 hours, which Telegram no longer lets the bot
  delete: they become the chat's count of messages left (the expiry job does this
  every minute too, `handlers.safety.expiry`);
- case files sent to /import and never confirmed within 24 hours;
- the daily-cap counters of past days.
Each daily run appends one audit event with the counts (no ids, no names).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import cast
from zoneinfo import ZoneInfo

from handlers.context import VigiaApp, VigiaContext
from handlers.intake import purge_stale_drafts

logger = logging.getLogger(__name__)

RETENTION_TIME = dt.time(3, 30)
TRACKING_FLUSH_SECONDS = 5.0
AUDIT_ACTION = "retention_run"


@dataclass(frozen=True, slots=True)
class RetentionResult:
    drafts: int
    reporter_links: int
    followup_messages: int
    tracked_messages: int
    pending_imports: int


async def run_retention(application: VigiaApp) -> RetentionResult:
    services = application.bot_data.services
    now = services.clock.now()
    drafts = await _purge_stale_drafts(application)
    reporter_links = await services.privacy.purge_reporter_links(
        now - dt.timedelta(days=services.settings.retention_days)
    )
    followups = await services.followups.purge_rejected(now)
    tracked = await services.tracker.store.strand_expired()
    imports = await services.case_import.purge_expired()
    await services.blocks.purge_counts()
    result = RetentionResult(drafts, reporter_links, followups, tracked, imports)
    await services.audit.record(
        actor_id=None,
        action=AUDIT_ACTION,
        target_type="system",
        target_id=None,
        details=asdict(result),
    )
    # What was purged leaves the files too, not only the tables (Database.checkpoint).
    await services.db.checkpoint()
    logger.info(
        "retention_run drafts=%d reporter_links=%d followups=%d tracked=%d imports=%d",
        result.drafts,
        result.reporter_links,
        result.followup_messages,
        result.tracked_messages,
        result.pending_imports,
    )
    return result


async def _purge_stale_drafts(application: VigiaApp) -> int:
    """Intake's own purge, then the database at once rather than at the next interval
    (also for drafts intake's frequent job dropped from memory just before)."""
    dropped = purge_stale_drafts(application)
    if application.persistence is not None:
        await application.update_persistence()
    return dropped


async def retention_job(context: VigiaContext) -> None:
    # CallbackContext cannot name its own context type in `application`; this is ours.
    await run_retention(cast(VigiaApp, context.application))


async def tracking_flush_job(context: VigiaContext) -> None:
    await context.services.tracker.flush()


def schedule_retention(application: VigiaApp) -> None:
    """Daily retention at 03:30 local time; tracked ids flushed every few seconds."""
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    zone = ZoneInfo(application.bot_data.services.settings.timezone)
    jobs.run_daily(retention_job, RETENTION_TIME.replace(tzinfo=zone), name="retention")
    jobs.run_repeating(tracking_flush_job, TRACKING_FLUSH_SECONDS, name="tracking_flush")
