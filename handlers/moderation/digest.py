"""The morning digest: nothing waits unseen.

Every day at DIGEST_TIME (settings.timezone) moderators get the reports that have
waited more than 24 hours since their last change and the disappearance cases past
the 48-hour mark: in the moderation group when there is one (by number only: the
group sees no identities), otherwise each moderator (and admin) privately, in their
own language (their /language choice, else the Telegram language of their last desk
action, else DEFAULT_LANGUAGE); the group gets DEFAULT_LANGUAGE. A quiet morning sends nothing.
The same job forgets "write your question" prompts nobody answered within a day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from domain.clock48 import clock48
from domain.i18n import Translator
from handlers.context import VigiaApp, VigiaContext
from handlers.moderation.texts import case_tag, clock_text, report_line
from services.container import Services
from services.staff_notices import queue_staff_texts
from storage.review import ReportSnapshot
from storage.roles import Role

logger = logging.getLogger(__name__)

WAITING = dt.timedelta(hours=24)
PROMPT_LIFETIME = dt.timedelta(days=1)
MAX_LISTED = 25
JOB_NAME = "moderation_digest"


@dataclass(frozen=True, slots=True)
class Overdue:
    """A disappeared case past the 48-hour mark."""

    case_id: int
    name: str
    hours: int | None


@dataclass(frozen=True, slots=True)
class Digest:
    waiting: list[ReportSnapshot]
    overdue: list[Overdue]

    @property
    def empty(self) -> bool:
        return not self.waiting and not self.overdue


async def gather(services: Services) -> Digest:
    now = services.clock.now()
    zone = ZoneInfo(services.settings.timezone)
    overdue = []
    for missing in await services.cases.missing():
        clock = clock48(missing.since, now, zone)
        if clock is not None and not clock.overdue:
            continue
        case = await services.cases.get(missing.case_id)
        name = case.person_name if case is not None else ""
        overdue.append(Overdue(missing.case_id, name, clock.hours if clock else None))
    return Digest(await services.review.waiting_since(now - WAITING), overdue)


def digest_text(t: Translator, digest: Digest, now: dt.datetime, *, named: bool = True) -> str:
    """The digest; `named=False` for the moderation group, which sees numbers only."""
    _ = t.gettext
    lines = [_("🌅 <b>Morning digest</b>")]
    if digest.overdue:
        lines += [
            "",
            _("<b>Disappearance cases past 48 hours: {count}</b>").format(
                count=len(digest.overdue)
            ),
        ]
        for item in digest.overdue[:MAX_LISTED]:
            hours = (
                clock_text(t, None)
                if item.hours is None
                else t.ngettext("{hours} hour", "{hours} hours", item.hours).format(
                    hours=item.hours
                )
            )
            parts = [case_tag(item.case_id), escape(item.name) if named else None, hours]
            lines.append("🚨 " + " · ".join(part for part in parts if part))
    if digest.waiting:
        lines += [
            "",
            _("<b>Reports waiting more than 24 hours: {count}</b>").format(
                count=len(digest.waiting)
            ),
        ]
        lines += [
            report_line(t, report, now, named=named) for report in digest.waiting[:MAX_LISTED]
        ]
    hidden = max(len(digest.overdue) - MAX_LISTED, 0) + max(len(digest.waiting) - MAX_LISTED, 0)
    if hidden:
        lines.append(_("…and {count} more: see /queue.").format(count=hidden))
    return "\n".join(lines)


async def staff_language(services: Services, user_id: int) -> str:
    """Their /language choice, else the Telegram language seen on their last desk
    action, else DEFAULT_LANGUAGE: the same order as every answer to an update."""
    stored = await services.prefs.language(user_id)
    seen = None if stored else await services.review.staff_language(user_id)
    return services.catalogs.resolve(stored, seen)


async def send_digest(services: Services) -> int:
    """Queue today's digest in the outbox's staff lane; returns how many chats get it.

    Queued, not sent here: it waits its turn in the group's (or each moderator's)
    budget behind nothing a family is owed, and survives a restart.
    """
    digest = await gather(services)
    if digest.empty:
        logger.info("digest_skipped reason=nothing_waiting")
        return 0
    now = services.clock.now()
    catalogs = services.catalogs
    group = services.settings.moderation_chat_id
    if group is not None:
        # A group has many readers and no language of its own: the deployment's. It
        # reads numbers only (issue 14); /case opens one privately.
        targets = [(group, catalogs.get(catalogs.default_language))]
    else:
        targets = [
            (user_id, catalogs.get(await staff_language(services, user_id)))
            for user_id in await services.roles.staff_ids(Role.MODERATOR)
        ]
    await queue_staff_texts(
        services, targets, lambda chat_id, t: digest_text(t, digest, now, named=chat_id != group)
    )
    logger.info(
        "digest_queued chats=%d waiting=%d overdue=%d",
        len(targets),
        len(digest.waiting),
        len(digest.overdue),
    )
    return len(targets)


async def digest_job(context: VigiaContext) -> None:
    services = context.services
    await send_digest(services)
    purged = await services.review.purge_prompts(services.clock.now() - PROMPT_LIFETIME)
    logger.info("moderation_prompts_purged count=%d", purged)


def schedule_digest(application: VigiaApp) -> None:
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    settings = application.bot_data.services.settings
    at = settings.digest_time.replace(tzinfo=ZoneInfo(settings.timezone))
    jobs.run_daily(digest_job, at, name=JOB_NAME)
