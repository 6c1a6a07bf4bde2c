"""`/estado CODE`, `/status CODE`, the menu entry and `/start status_CODE`: where a report stands.

Anyone holding a code sees the states; only the chat that filed the report also sees
its details. Every failure (malformed, unknown, purged) gets the same neutral answer,
and wrong codes are throttled per user in the database, so a restart does not reset
the count.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.deeplinks import parse_start_payload
from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from services.status_texts import details_block, lockout_text, status_text
from storage.prompts import PromptKind
from storage.report_status import fetch_report_status

logger = logging.getLogger(__name__)

CODE_PROMPT_LIFETIME = dt.timedelta(minutes=30)


def ask_code_text(t: Translator) -> str:
    return t.gettext(
        "Send me the receipt code of your report: the 16 digits you got when you sent it "
        "(spaces and dashes do not matter). Send /cancel to stop."
    )


def unknown_code_text(t: Translator) -> str:
    return t.gettext(
        "I found no report with that code. Check the 16 digits and send them again "
        "with /status followed by the code."
    )


async def answer_code(update: Update, context: VigiaContext, raw_code: str) -> None:
    """Look the code up for this user and answer in their language."""
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    services = context.services
    t = await context.translator(update)
    lockout = await services.throttle.locked(user.id)
    if lockout is not None:
        logger.info("status_refused reason=throttled")
        await message.reply_text(lockout_text(t, lockout))
        return
    report = await services.reports.by_receipt(raw_code)
    status = await fetch_report_status(services.db, services.cipher, report.id) if report else None
    if report is None or status is None:
        logger.info("status_unknown_code")
        started = await services.throttle.record_failure(user.id)
        text = unknown_code_text(t)
        if started is not None:
            text += "\n\n" + lockout_text(t, started)
        await message.reply_text(text)
        return
    text = status_text(t, status, report.receipt_display)
    owner = chat.type == chat.PRIVATE and await services.reports.is_reporter(report.id, chat.id)
    if owner:
        text += "\n\n" + details_block(t, report)
        await services.reports.note_reporter_activity(chat.id, report.id)
    logger.info("status_shown report_id=%d owner=%s", report.id, owner)
    await message.reply_text(text)


async def status_command(update: Update, context: VigiaContext) -> None:
    """With a code, answer; alone, ask for the code like the menu entry does."""
    if context.args:
        await answer_code(update, context, " ".join(context.args))
        return
    await ask_for_code(update, context)


async def status_deep_link(update: Update, context: VigiaContext) -> None:
    link = parse_start_payload(context.args)
    if link is None or link.kind != "status":
        await answer_code(update, context, "")
        return
    await answer_code(update, context, link.value)


async def ask_for_code(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    await context.services.prompts.open(chat.id, PromptKind.STATUS_CODE, CODE_PROMPT_LIFETIME)
    t = await context.translator(update)
    await context.bot.send_message(chat.id, ask_code_text(t))


async def status_from_menu(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await ask_for_code(update, context)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(
            "start", status_deep_link, filters=private & filters.Regex(r"^/start status_")
        ),
        CommandHandler(aliases("estado", "status"), status_command, filters=private),
        CallbackQueryHandler(status_from_menu, pattern=r"^menu:status$"),
    ]
