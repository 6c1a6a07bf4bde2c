"""Unfinished drafts live 24 hours after their last answer, then they are deleted.

A draft holds a family's unconfirmed answers: keeping it longer than a family could
reasonably come back for it only adds to what a seized server would reveal. The same
job frees the empty `user_data` and `chat_data` entries PTB makes for everyone who
writes (a /start, a look at the figures): without it each visitor stays in memory
until the next restart.
"""

from __future__ import annotations

import logging
from typing import cast

from handlers.context import VigiaApp, VigiaContext
from handlers.intake.draft import DRAFT_KEY, Draft

logger = logging.getLogger(__name__)

CLEANUP_SECONDS = 600.0


def purge_stale_drafts(application: VigiaApp) -> int:
    """Delete every draft older than 24 hours (and unreadable ones); returns how many."""
    now = application.bot_data.services.clock.now()
    stale = []
    for user_id, data in application.user_data.items():
        if DRAFT_KEY not in data:
            continue
        draft = Draft.from_data(data[DRAFT_KEY])
        if draft is None or draft.is_stale(now):
            stale.append(user_id)
    for user_id in stale:
        data = application.user_data[user_id]
        data.pop(DRAFT_KEY, None)
        if data:
            application.mark_data_for_update_persistence(user_ids=user_id)
        else:
            application.drop_user_data(user_id)
    return len(stale)


def drop_empty_entries(application: VigiaApp) -> int:
    """Forget the visitors whose data is empty; returns how many entries went.

    A handler that reads `context.user_data` later gets a fresh empty dict, so only
    an entry nobody holds a reference to is dropped: PTB reads it again by id on
    every access, and no handler keeps it across an await.
    """
    users = [user_id for user_id, data in application.user_data.items() if not data]
    for user_id in users:
        application.drop_user_data(user_id)
    chats = [chat_id for chat_id, data in application.chat_data.items() if not data]
    for chat_id in chats:
        application.drop_chat_data(chat_id)
    return len(users) + len(chats)


async def draft_cleanup_job(context: VigiaContext) -> None:
    # CallbackContext cannot name its Application's types; this is the Vigía one.
    application = cast(VigiaApp, context.application)
    purged = purge_stale_drafts(application)
    if purged:
        logger.info("intake_drafts_purged count=%d", purged)
    dropped = drop_empty_entries(application)
    if dropped:
        logger.info("empty_user_data_dropped count=%d", dropped)


def schedule_draft_cleanup(application: VigiaApp) -> None:
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    jobs.run_repeating(draft_cleanup_job, CLEANUP_SECONDS, name="intake_draft_cleanup")
