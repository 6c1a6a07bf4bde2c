"""/case, /history and /audit: what moderators read before and after acting.

/case shows the report (or a case: `C5`), its follow-up thread, its evidence re-sent
by Telegram file id (nothing was ever downloaded), possible duplicates and its
history. /audit walks the whole hash chain and names the first broken row.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, Actor, acknowledge, require
from handlers.moderation.details import (
    case_view,
    events_view,
    history_view,
    report_view,
    thread_view,
)
from handlers.moderation.keyboards import case_keyboard, report_keyboard
from handlers.moderation.refs import Target, split_target
from handlers.moderation.replies import find_case, find_report, not_found, send
from handlers.moderation.suggest import suggestions_for
from handlers.moderation.texts import case_tag, report_tag
from services.desk import CASE, REPORT
from storage.audit import AuditEvent, ChainCheck
from storage.reports import Evidence

logger = logging.getLogger(__name__)


async def case_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    target = split_target(list(context.args or []))
    if target is None:
        await send(
            update,
            actor.t.gettext(
                "Usage: /case CODE — a report (#12 or its receipt code) or a case (C5): "
                "details, follow-up, evidence, possible duplicates and history."
            ),
        )
        return
    await show(update, context, actor, target)


async def show(update: Update, context: VigiaContext, actor: Actor, target: Target) -> None:
    if target.case_id is not None:
        await show_case(update, context, actor, target.case_id)
        return
    report = await find_report(context, target.report) if target.report else None
    if report is None:
        await not_found(update, actor.t)
        return
    await show_report(update, context, actor, report.id)


async def show_report(update: Update, context: VigiaContext, actor: Actor, report_id: int) -> None:
    services = context.services
    t = actor.t
    full = await services.reports.by_id(report_id)
    snapshot = await services.review.get(report_id)
    if full is None or snapshot is None:
        await not_found(update, t)
        return
    actor_key = services.audit.actor_key(actor.user_id)
    suggestions = await suggestions_for(services, full)
    await send(
        update,
        report_view(t, full, snapshot, services.clock.now(), actor_key),
        report_keyboard(t, snapshot, suggestions),
    )
    thread = await services.followups.thread(report_id)
    if thread:
        await send(update, thread_view(t, thread))
    await _send_evidence(context, actor, full.id, full.evidence, full.circumstances_voice_file_id)
    events = await services.audit.events_for(REPORT, report_id)
    title = t.gettext("<b>History of {tag}</b>").format(tag=report_tag(report_id))
    await send(update, history_view(t, title, events, actor_key))


async def show_case(update: Update, context: VigiaContext, actor: Actor, case_id: int) -> None:
    services = context.services
    t = actor.t
    case = await find_case(context, case_id)
    if case is None:
        await not_found(update, t)
        return
    reports = await services.review.reports_of_case(case.id)
    await send(update, case_view(t, case, reports), case_keyboard(t, case))
    await send(update, events_view(t, await services.cases.events(case.id)))
    title = t.gettext("<b>History of case {tag}</b>").format(tag=case_tag(case.id))
    events = await case_history(context, case.id, reports)
    await send(update, history_view(t, title, events, services.audit.actor_key(actor.user_id)))


async def case_history(
    context: VigiaContext, case_id: int, report_ids: list[int]
) -> list[AuditEvent]:
    """The case's own events and those of its reports (their verification made it)."""
    audit = context.services.audit
    events = await audit.events_for(CASE, case_id)
    for report_id in report_ids:
        events += await audit.events_for(REPORT, report_id)
    return sorted(events, key=lambda event: event.id)


async def _send_evidence(
    context: VigiaContext,
    actor: Actor,
    report_id: int,
    evidence: tuple[Evidence, ...],
    voice_file_id: str | None,
) -> None:
    """Re-send each file by its Telegram id, captioned with the report it belongs to."""
    items = list(evidence)
    if voice_file_id:
        items.insert(0, Evidence(file_id=voice_file_id, media_type="voice"))
    bot = context.bot
    for number, item in enumerate(items, start=1):
        caption = actor.t.gettext("{tag} · evidence {number} of {total}").format(
            tag=report_tag(report_id), number=number, total=len(items)
        )
        try:
            if item.media_type == "photo":
                await bot.send_photo(actor.chat_id, item.file_id, caption=caption)
            elif item.media_type == "voice":
                await bot.send_voice(actor.chat_id, item.file_id, caption=caption)
            elif item.media_type == "video":
                await bot.send_video(actor.chat_id, item.file_id, caption=caption)
            elif item.media_type == "audio":
                await bot.send_audio(actor.chat_id, item.file_id, caption=caption)
            else:
                await bot.send_document(actor.chat_id, item.file_id, caption=caption)
        except TelegramError as exc:
            logger.warning("evidence_not_resent error=%s", type(exc).__name__)


async def history_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    t = actor.t
    services = context.services
    target = split_target(list(context.args or []))
    if target is None:
        await send(
            update,
            t.gettext(
                "Usage: /history CODE — the recorded actions on a report (#12) or case (C5)."
            ),
        )
        return
    if target.case_id is not None:
        if await find_case(context, target.case_id) is None:
            await not_found(update, t)
            return
        title = t.gettext("<b>History of case {tag}</b>").format(tag=case_tag(target.case_id))
        reports = await services.review.reports_of_case(target.case_id)
        events = await case_history(context, target.case_id, reports)
    else:
        report = await find_report(context, target.report) if target.report else None
        if report is None:
            await not_found(update, t)
            return
        title = t.gettext("<b>History of {tag}</b>").format(tag=report_tag(report.id))
        events = await services.audit.events_for(REPORT, report.id)
    await send(update, history_view(t, title, events, services.audit.actor_key(actor.user_id)))


async def audit_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    check = await context.services.audit.verify_chain()
    await send(update, audit_text(actor.t, check))


def audit_text(t: Translator, check: ChainCheck) -> str:
    if check.first_broken is not None:
        return t.gettext(
            "🚨 The audit trail is broken at event {row}: it, or the one before it, was "
            "changed or removed outside the bot. Keep a copy of the database file and "
            "tell the administrators."
        ).format(row=check.first_broken)
    if check.missing_tail:
        return t.ngettext(
            "🚨 The audit trail was cut short: {count} event recorded after event {row} "
            "is missing. Keep a copy of the database file and tell the administrators.",
            "🚨 The audit trail was cut short: {count} events recorded after event {row} "
            "are missing. Keep a copy of the database file and tell the administrators.",
            check.missing_tail,
        ).format(count=check.missing_tail, row=check.last_id or 0)
    return t.ngettext(
        "✅ The audit trail is intact: {rows} event checked.",
        "✅ The audit trail is intact: {rows} events checked.",
        check.rows,
    ).format(rows=check.rows)


async def open_report_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    actor = await require(update, context, *DESK)
    if actor is None or query is None or query.data is None:
        return
    await acknowledge(update, actor.t)
    await show_report(update, context, actor, int(query.data.rsplit(":", 1)[1]))


async def open_case_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    actor = await require(update, context, *DESK)
    if actor is None or query is None or query.data is None:
        return
    await acknowledge(update, actor.t)
    await show_case(update, context, actor, int(query.data.rsplit(":", 1)[1]))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("caso", "case"), case_command),
        CommandHandler(aliases("historial", "history"), history_command),
        CommandHandler(aliases("auditoria", "audit"), audit_command),
        CallbackQueryHandler(open_report_button, pattern=r"^mod:o:\d+$"),
        CallbackQueryHandler(open_case_button, pattern=r"^mod:oc:\d+$"),
    ]
