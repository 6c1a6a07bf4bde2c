"""The expiry job: every minute, the messages past their chat's expiry are deleted.

What is due and how it is deleted is `services.expiry`; here the job is scheduled and
told which chats are busy (`handlers.conversations`).
"""

from __future__ import annotations

from typing import cast

from handlers.context import VigiaApp, VigiaContext
from handlers.conversations import chat_is_busy

EXPIRY_JOB_NAME = "chat_expiry"
EXPIRY_SECONDS = 60.0


async def expiry_job(context: VigiaContext) -> None:
    # CallbackContext cannot name its own context type in `application`; this is ours.
    application = cast(VigiaApp, context.application)
    services = context.services

    async def busy(chat_id: int) -> bool:
        return await chat_is_busy(application, services, chat_id)

    await services.expiry.run(context.bot, busy)


def schedule_expiry(application: VigiaApp) -> None:
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    jobs.run_repeating(expiry_job, EXPIRY_SECONDS, first=EXPIRY_SECONDS, name=EXPIRY_JOB_NAME)
