"""Helpers every desk handler shares: answering, refusing, finding what was named."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from domain.dates import DateProblem, parse_past_date
from domain.i18n import N_, Translator
from domain.transitions import IllegalTransition
from handlers.context import VigiaContext
from handlers.moderation.keyboards import case_keyboard, report_keyboard
from handlers.moderation.refs import ReportRef
from handlers.moderation.texts import refusal
from services.desk import NotFound, local_today
from storage.cases import Case, CaseChanged
from storage.review import ReportChanged, ReportSnapshot

logger = logging.getLogger(__name__)

DESK_ERRORS = (IllegalTransition, ReportChanged, CaseChanged, NotFound)

DATE_PROBLEMS = {
    DateProblem.EMPTY: N_("The date is missing."),
    DateProblem.UNREADABLE: N_("I can't read that date; write it as dd/mm/yyyy."),
    DateProblem.IMPOSSIBLE: N_("That date does not exist."),
    DateProblem.FUTURE: N_("That date is in the future."),
    DateProblem.TOO_OLD: N_("That date is before 2014."),
}


async def send(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the chat of the command or of the pressed button; from the moderation
    group, in the asker's private chat (`access.require` made sure it can be reached):
    the group sees no identities."""
    message = update.effective_message
    user = update.effective_user
    if message is None:
        return
    if message.chat.type == ChatType.PRIVATE or user is None:
        await message.reply_text(text, reply_markup=keyboard)
        return
    try:
        await message.get_bot().send_message(user.id, text, reply_markup=keyboard)
    except Forbidden as exc:
        # Blocked between the check and this answer: nothing goes to the group instead.
        logger.info("desk_private_answer_lost error=%s", type(exc).__name__)


async def refuse(update: Update, t: Translator, error: Exception) -> None:
    """Say why nothing was done; after a race, show the fresh state's buttons."""
    keyboard: InlineKeyboardMarkup | None = None
    if isinstance(error, ReportChanged):
        keyboard = report_keyboard(t, error.current)
    elif isinstance(error, CaseChanged):
        keyboard = case_keyboard(t, error.current)
    logger.info("desk_refused error=%s", type(error).__name__)
    await send(update, refusal(t, error), keyboard)


async def refresh_buttons(update: Update, keyboard: InlineKeyboardMarkup | None) -> None:
    """Redraw the pressed message's buttons for the new version (stale ones go away)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=keyboard)
    except BadRequest as exc:
        # "message is not modified" and messages too old to edit are both harmless.
        logger.info("desk_buttons_not_redrawn error=%s", type(exc).__name__)


async def find_report(context: VigiaContext, ref: ReportRef) -> ReportSnapshot | None:
    services = context.services
    report_id = ref.report_id
    if ref.receipt is not None:
        report = await services.reports.by_receipt(ref.receipt)
        report_id = report.id if report is not None else None
    return await services.review.get(report_id) if report_id is not None else None


async def find_case(context: VigiaContext, case_id: int | None) -> Case | None:
    return await context.services.cases.get(case_id) if case_id is not None else None


async def not_found(update: Update, t: Translator) -> None:
    await send(update, refusal(t, NotFound()))


def read_date(context: VigiaContext, text: str) -> dt.date | DateProblem:
    """A past date in the forms families use (`domain.dates`), or why it is not one."""
    result = parse_past_date(text, local_today(context.services))
    if result.value is None:
        return result.problem or DateProblem.UNREADABLE
    return result.value


def date_problem(t: Translator, problem: DateProblem) -> str:
    return "⛔ " + t.gettext(DATE_PROBLEMS[problem])
