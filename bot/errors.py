"""The one error handler: log what broke, never who it happened to."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import TelegramError

from handlers.context import VigiaContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: VigiaContext) -> None:
    """Log the exception type and update id only; reassure the user in their language."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # The stack without the exception's message: messages can quote what a user typed.
    stack = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    logger.error(
        "handler_failed error=%s update_id=%s\n%s", type(error).__name__, update_id, stack
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        t = await context.translator(update)
        await context.bot.send_message(
            update.effective_chat.id,
            t.gettext(
                "Something went wrong on our side. Nothing you had confirmed was lost; "
                "please try again in a moment."
            ),
        )
    except (TelegramError, RuntimeError) as exc:
        logger.warning("error_notice_not_sent error=%s", type(exc).__name__)
