"""`/novedades`, `/news`: what notifications no longer say in the chat.

By default a family's notification only says that there is news (issue 14): this
owner view shows it, after the PIN or a receipt code: each report that changed since
the chat last looked, and each question of the organisation not yet answered, with
its Reply button. A chat without news, and a chat without reports, read the same.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.owner_gate import may_show
from services.followup import question_text, reply_button
from services.status_texts import notification_text
from storage.news import news_of
from storage.report_status import fetch_report_status

logger = logging.getLogger(__name__)


def no_news_text(t: Translator) -> str:
    return t.gettext("There is no news.")


async def send_news(context: VigiaContext, chat_id: int, t: Translator) -> None:
    """The news itself: call only once the chat proved to be the family."""
    services = context.services
    secrets = services.gate.secrets
    state = await secrets.state(chat_id)
    news = await news_of(
        services.db, services.cipher, services.privacy.reporter_keys(chat_id), state.news_seen_at
    )
    if news.empty:
        await context.bot.send_message(chat_id, no_news_text(t))
        return
    for report_id in news.report_ids:
        status = await fetch_report_status(services.db, services.cipher, report_id)
        if status is not None:
            await context.bot.send_message(
                chat_id, notification_text(t, status, status.receipt_display)
            )
    for question in news.questions:
        status = await fetch_report_status(services.db, services.cipher, question.report_id)
        if status is not None:
            await context.bot.send_message(
                chat_id,
                question_text(t, status, question.text),
                reply_markup=reply_button(t, question.id),
            )
    await secrets.mark_news_seen(chat_id)
    await services.reports.note_reporter_activity(chat_id)
    logger.info("news_shown reports=%d questions=%d", len(news.report_ids), len(news.questions))


async def news_command(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    t = await context.translator(update)
    if await may_show(context, chat.id, t, "news"):
        await send_news(context, chat.id, t)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(
            aliases("novedades", "news"), news_command, filters=filters.ChatType.PRIVATE
        )
    ]
