"""`/misreportes`, `/myreports`: this chat's own reports, with their codes and states.

An owner view: shown only after the family PIN or one of the chat's receipt codes
(`handlers.owner_gate`), since whoever holds the phone is not necessarily the family.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.i18n import Translator
from domain.vocabulary import CASE_STATE_LABELS, REPORT_STATE_LABELS
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.menu import private_menu_chat
from handlers.owner_gate import may_show
from services.status_texts import KIND_LABELS, local_date
from storage.report_status import ReportStatus, fetch_report_status
from storage.reports import Report

logger = logging.getLogger(__name__)

# Fifteen entries stay well under Telegram's 4,096 characters per message.
MAX_LISTED = 15


def report_entry(t: Translator, report: Report, status: ReportStatus | None) -> str:
    _ = t.gettext
    head = _("<b>{code}</b> · {kind} of {date}").format(
        code=report.receipt_display or f"#{report.id}",
        kind=_(KIND_LABELS[report.kind]),
        date=local_date(t, report.created_at),
    )
    lines = [head]
    if report.parent_report_id is not None:
        # Filed with a receipt code: the name is the earlier report's, not typed here.
        lines.append(_("About an earlier report"))
    elif report.person_name:
        lines.append(html.escape(report.person_name))
    state = status.state if status is not None else report.state
    lines.append(_("Report: {state}").format(state=_(REPORT_STATE_LABELS[state])))
    if status is not None and status.case is not None:
        lines.append(_("Case: {state}").format(state=_(CASE_STATE_LABELS[status.case.state])))
    return "\n".join(lines)


async def my_reports_text(context: VigiaContext, t: Translator, chat_id: int) -> str:
    services = context.services
    # One more than shown, to know whether older ones were left out.
    reports = await services.reports.for_reporter(chat_id, limit=MAX_LISTED + 1)
    more = len(reports) > MAX_LISTED
    reports = reports[:MAX_LISTED]
    if not reports:
        return t.gettext(
            "This chat has no reports linked to it. To report a detention or a release, "
            "send /report."
        )
    await services.reports.note_reporter_activity(chat_id)
    entries = []
    for report in reports:
        status = await fetch_report_status(services.db, services.cipher, report.id)
        entries.append(report_entry(t, report, status))
    header = t.ngettext(
        "<b>Your report</b> ({count})", "<b>Your reports</b> ({count})", len(reports)
    ).format(count=len(reports))
    footer = t.gettext("For the details of one, send /status followed by its code.")
    if more:
        footer = (
            t.gettext("Only the {count} most recent are shown.").format(count=MAX_LISTED)
            + "\n"
            + footer
        )
    return "\n\n".join([header, *entries, footer])


async def send_my_reports(context: VigiaContext, chat_id: int, t: Translator) -> None:
    """The list itself: call only once the chat proved to be the family."""
    logger.info("my_reports_listed")
    await context.bot.send_message(chat_id, await my_reports_text(context, t, chat_id))


async def my_reports(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    t = await context.translator(update)
    if await may_show(context, chat.id, t, "mine"):
        await send_my_reports(context, chat.id, t)


async def my_reports_from_menu(update: Update, context: VigiaContext) -> None:
    chat_id = await private_menu_chat(update)
    if chat_id is None:
        return
    t = await context.translator(update)
    if await may_show(context, chat_id, t, "mine"):
        await send_my_reports(context, chat_id, t)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(aliases("misreportes", "myreports"), my_reports, filters=private),
        CallbackQueryHandler(my_reports_from_menu, pattern=r"^menu:myreports$"),
    ]
