"""Group -10: every update passes here before any feature sees it.

PTB runs one handler per group, so tracking and flood control share one callback:
first the user's message is noted for /wipe (a flooded message is still on the
phone), then the flood gate decides whether the features may see the update.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.context import VigiaContext
from services.flood import Verdict

logger = logging.getLogger(__name__)


async def guard(update: Update, context: VigiaContext) -> None:
    services = context.services
    tracker = services.tracker
    message = update.message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        tracker.note(message.chat.id, message.message_id, message.date)
    await tracker.flush_if_due()
    user = update.effective_user
    if user is None:
        return
    verdict = services.flood.check(user.id, services.clock.now().timestamp())
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        logger.info("flood_paused")
        await _ask_to_slow_down(update, context)
    raise ApplicationHandlerStop


async def _ask_to_slow_down(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError as exc:
            logger.warning("flood_answer_failed error=%s", type(exc).__name__)
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    t = await context.translator(update)
    try:
        await context.bot.send_message(
            chat.id,
            t.gettext(
                "You are sending messages faster than I can read them. Please wait half "
                "a minute; then I will read you again. Nothing you confirmed was lost."
            ),
        )
    except TelegramError as exc:
        logger.warning("flood_notice_failed error=%s", type(exc).__name__)


def build_guards() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [TypeHandler(Update, guard)]
