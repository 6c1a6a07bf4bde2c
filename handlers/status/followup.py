"""`/ask CODE question` for moderators, and the reporter's Reply button and answer.

The moderator's identity never reaches the reporter and the reporter's never reaches
the moderators: see `services.followup`. The role is checked at the moment of `/ask`,
whatever chat it comes from; others get the same neutral answer as any unknown
staff command.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import reaches_privately
from handlers.moderation.replies import send
from handlers.owner_gate import may_show
from services.followup import (
    MAX_ANSWER_LENGTH,
    MAX_QUESTION_LENGTH,
    REPLY_PREFIX,
    AnswerOutcome,
    answer_question,
    ask_reporter,
    can_contact,
    question_of_chat,
)
from storage.prompts import PromptKind
from storage.reports import Report
from storage.roles import Role

logger = logging.getLogger(__name__)

REPLY_PROMPT_LIFETIME = dt.timedelta(hours=2)
# `#12`, or sixteen digits possibly grouped with spaces or dashes; then the question.
_REFERENCE_AND_QUESTION = re.compile(
    r"^\s*(?:#(?P<report_id>\d{1,12})|(?P<code>\d(?:[\s\-\u2010-\u2015]*\d){15}))"
    r"(?=\s|$)(?P<question>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class AskRequest:
    report_id: int | None
    code: str | None
    question: str


def parse_ask(text: str) -> AskRequest | None:
    """`"8306 1947 5521 0638 Where is he held?"` or `"#12 Where…"`; None if malformed."""
    match = _REFERENCE_AND_QUESTION.match(text)
    if match is None:
        return None
    question = match.group("question").strip()
    if not question:
        return None
    report_id = match.group("report_id")
    return AskRequest(int(report_id) if report_id else None, match.group("code"), question)


def ask_usage(t: Translator) -> str:
    return t.gettext(
        "Usage: /ask CODE QUESTION — CODE is the receipt code or #12. Sends the "
        "question to the reporter of that report as a message from the organisation. "
        "Their answer reaches the moderators without their identity (in the moderation "
        "group, only that it came: it opens privately)."
    )


async def ask(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None or message.text is None:
        return
    services = context.services
    t = await context.translator(update)
    staff_chat = chat.type == ChatType.PRIVATE or chat.id == services.settings.moderation_chat_id
    if not staff_chat or not await services.roles.has_any(user.id, Role.MODERATOR):
        logger.info("ask_refused reason=role")
        await message.reply_text(t.gettext("This command is not available."))
        return
    # Asked in the moderation group, it is answered privately: the answers name the
    # receipt code, and the group sees no identities (issue 14).
    if chat.type != ChatType.PRIVATE and not await reaches_privately(update, context, t):
        return
    parts = message.text.split(None, 1)
    request = parse_ask(parts[1] if len(parts) > 1 else "")
    if request is None:
        await send(update, ask_usage(t))
        return
    if request.report_id is not None:
        report = await services.reports.by_id(request.report_id)
    else:
        report = await services.reports.by_receipt(request.code or "")
    if report is None:
        await send(update, t.gettext("No report matches that code or number."))
        return
    if len(request.question) > MAX_QUESTION_LENGTH:
        await send(
            update,
            t.gettext(
                "That question is too long: {length} characters, the limit is {limit}."
            ).format(length=len(request.question), limit=MAX_QUESTION_LENGTH),
        )
        return
    sent = await _ask_and_audit(context, user.id, report, request.question)
    if not sent:
        logger.info("ask_refused report_id=%d reason=no_contact", report.id)
        await send(
            update,
            t.gettext(
                "The reporter of {code} did not consent to be contacted, or this report is "
                "no longer linked to anyone: the question was not sent."
            ).format(code=report.receipt_display),
        )
        return
    logger.info("ask_sent report_id=%d", report.id)
    await send(
        update,
        t.gettext(
            "Question sent to the reporter of {code}, as a message from the organisation. "
            "Their answer will be relayed to the moderators."
        ).format(code=report.receipt_display),
    )


async def _ask_and_audit(
    context: VigiaContext, actor_id: int, report: Report, question: str
) -> bool:
    """Queue the question and its audit event in one commit; False if contact is not allowed."""
    services = context.services
    async with services.db.transaction() as conn:
        if not await can_contact(services, conn, report.id):
            return False
        await ask_reporter(services, conn, report_id=report.id, question=question)
        await services.audit.append(
            conn,
            actor_id=actor_id,
            action="ask",
            target_type="report",
            target_id=report.id,
            state_before=report.state.value,
            state_after=report.state.value,
        )
    return True


async def reply_button(update: Update, context: VigiaContext) -> None:
    """`fu:reply:<id>`: the next text of this chat answers that question."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    t = await context.translator(update)
    raw_id = query.data.removeprefix(REPLY_PREFIX)
    question = None
    if chat.type == ChatType.PRIVATE and raw_id.isdecimal():
        question = await question_of_chat(context.services, chat.id, int(raw_id))
    if question is None:
        logger.info("followup_reply_stale")
        await query.answer(
            t.gettext("This question is no longer open. Send /start to begin again."),
            show_alert=True,
        )
        return
    gate = context.services.gate
    full_news = (await gate.secrets.state(chat.id)).full_news
    if not full_news and await gate.needs_secret(chat.id):
        # The question names the report: answering it is for the family, proved (a
        # family that chose notifications with content reads the question in the chat).
        await query.answer()
        await may_show(context, chat.id, t, "news")
        return
    await context.services.prompts.open(
        chat.id, PromptKind.FOLLOWUP_REPLY, REPLY_PROMPT_LIFETIME, followup_id=question.id
    )
    await query.answer()
    await context.bot.send_message(
        chat.id,
        t.gettext(
            "Write your answer in one message. Only the organisation will read it, and "
            "it will not see who you are on Telegram. Send /cancel to stop."
        ),
    )


async def receive_answer(update: Update, context: VigiaContext, question_id: int) -> bool:
    """The reporter's answer; False keeps the prompt open (the text was too long)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.text is None:
        return True
    t = await context.translator(update)
    text = message.text.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        await message.reply_text(
            t.gettext(
                "Your answer is too long: {length} characters, the limit is {limit}. "
                "Please shorten it and send it again."
            ).format(length=len(text), limit=MAX_ANSWER_LENGTH)
        )
        return False
    outcome = await answer_question(
        context.services, chat_id=chat.id, question_id=question_id, answer=text
    )
    if outcome is AnswerOutcome.STALE:
        await message.reply_text(
            t.gettext("This question is no longer open. Send /start to begin again.")
        )
        return True
    await message.reply_text(
        t.gettext("Thank you. Your answer was passed on to the organisation.")
    )
    return True


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("preguntar", "ask"), ask),
        CallbackQueryHandler(reply_button, pattern=rf"^{REPLY_PREFIX}"),
    ]
