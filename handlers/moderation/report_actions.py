"""Commands that decide on a report: /take, /verify, /needinfo, /reject, /duplicate.

Each reads the report as it is now and acts on that version; the buttons in
`handlers.moderation.buttons` share the same outcomes (`report_outcome`).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import desk
from bot.commands import aliases
from bot.context import VigiaContext
from bot.i18n import N_, Translator
from bot.vocabulary import REJECT_REASONS, ReportState
from handlers.moderation.access import DESK, require
from handlers.moderation.keyboards import report_keyboard
from handlers.moderation.refs import parse_case_id, reject_reason, split_report_ref
from handlers.moderation.replies import DESK_ERRORS, find_report, not_found, refuse, send
from handlers.moderation.texts import case_tag, reason_text, report_state, report_tag
from storage.review import ReportSnapshot

USAGE = {
    "take": N_("Usage: /take CODE — assigns the report to you. CODE is #12 or the receipt code."),
    "verify": N_(
        "Usage: /verify CODE [CASE_ID] — alone, creates a case from the report (detained at "
        "its place, or disappeared if nobody knows where); with CASE_ID (C5), links the "
        "report to that case."
    ),
    "needinfo": N_(
        "Usage: /needinfo CODE QUESTION — asks the reporter through the bot; the report "
        "waits for the answer."
    ),
    "reject": N_("Usage: /reject CODE REASON [note]. Reasons: {reasons}."),
    "duplicate": N_(
        "Usage: /duplicate CODE CASE_ID — the report describes a case already followed."
    ),
}


def usage(t: Translator, command: str) -> str:
    reasons = ", ".join(
        f"<code>{choice.code}</code> ({t.gettext(choice.label)})" for choice in REJECT_REASONS
    )
    return t.gettext(USAGE[command]).format(reasons=reasons)


def taken_text(t: Translator, report: ReportSnapshot) -> str:
    return t.gettext("{tag} is assigned to you ({state}).").format(
        tag=report_tag(report.id), state=report_state(t, report.state)
    )


def verified_text(t: Translator, outcome: desk.Verification) -> str:
    tag = report_tag(outcome.report.id)
    if outcome.waiting:
        missing = outcome.quorum - outcome.votes
        return t.ngettext(
            "Your verification of {tag} is recorded ({votes} of {quorum}). It waits for "
            "{missing} more moderator.",
            "Your verification of {tag} is recorded ({votes} of {quorum}). It waits for "
            "{missing} more moderators.",
            missing,
        ).format(tag=tag, votes=outcome.votes, quorum=outcome.quorum, missing=missing)
    case = case_tag(outcome.case_id or 0)
    if outcome.created_case:
        return t.gettext("✅ {tag} verified. New case {case}.").format(tag=tag, case=case)
    return t.gettext("✅ {tag} verified and linked to case {case}.").format(tag=tag, case=case)


def asked_text(t: Translator, report: ReportSnapshot) -> str:
    return t.gettext(
        "❓ Question recorded on {tag}; the reporter receives it if they agreed to be "
        "contacted. The report waits for the answer."
    ).format(tag=report_tag(report.id))


def rejected_text(t: Translator, report: ReportSnapshot) -> str:
    return t.gettext("🚫 {tag} rejected: {reason}.").format(
        tag=report_tag(report.id), reason=reason_text(t, report.reject_reason)
    )


def duplicate_text(t: Translator, report: ReportSnapshot) -> str:
    return t.gettext("🔗 {tag} joined case {case} as a duplicate.").format(
        tag=report_tag(report.id), case=case_tag(report.case_id or 0)
    )


async def _report_from_args(
    update: Update, context: VigiaContext, t: Translator, command: str
) -> tuple[ReportSnapshot, list[str]] | None:
    ref, rest = split_report_ref(list(context.args or []))
    if ref is None:
        await send(update, usage(t, command))
        return None
    report = await find_report(context, ref)
    if report is None:
        await not_found(update, t)
        return None
    return report, rest


async def take_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    found = await _report_from_args(update, context, actor.t, "take")
    if found is None:
        return
    report, _ = found
    try:
        moved = await desk.take(context.services, actor.user_id, report.id, report.version)
    except DESK_ERRORS as error:
        await refuse(update, actor.t, error)
        return
    await send(update, taken_text(actor.t, moved), report_keyboard(actor.t, moved))


async def verify_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    found = await _report_from_args(update, context, actor.t, "verify")
    if found is None:
        return
    report, rest = found
    case_id = parse_case_id(rest[0]) if rest else None
    if rest and case_id is None:
        await send(update, usage(actor.t, "verify"))
        return
    try:
        outcome = await desk.verify(
            context.services, actor.user_id, report.id, report.version, case_id
        )
    except DESK_ERRORS as error:
        await refuse(update, actor.t, error)
        return
    await send(update, verified_text(actor.t, outcome), report_keyboard(actor.t, outcome.report))


async def needinfo_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    found = await _report_from_args(update, context, actor.t, "needinfo")
    if found is None:
        return
    report, rest = found
    question = " ".join(rest).strip()
    if not question:
        await send(update, usage(actor.t, "needinfo"))
        return
    await ask(update, context, actor.user_id, actor.t, (report.id, report.version), question)


async def ask(
    update: Update,
    context: VigiaContext,
    actor_id: int,
    t: Translator,
    seen: tuple[int, int],
    question: str,
) -> None:
    """Needs info, from the command or from the reply to the button's prompt.

    `seen` is the report id and the version the moderator acted on.
    """
    report_id, version = seen
    try:
        moved = await desk.needs_info(context.services, actor_id, report_id, version, question)
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await send(update, asked_text(t, moved), report_keyboard(t, moved))


async def reject_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    found = await _report_from_args(update, context, actor.t, "reject")
    if found is None:
        return
    report, rest = found
    reason = reject_reason(rest[0]) if rest else None
    if reason is None:
        await send(update, usage(actor.t, "reject"))
        return
    note = " ".join(rest[1:]).strip() or None
    try:
        moved = await desk.reject(
            context.services, actor.user_id, report.id, report.version, reason, note
        )
    except DESK_ERRORS as error:
        await refuse(update, actor.t, error)
        return
    await send(update, rejected_text(actor.t, moved), report_keyboard(actor.t, moved))


async def duplicate_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    found = await _report_from_args(update, context, actor.t, "duplicate")
    if found is None:
        return
    report, rest = found
    case_id = parse_case_id(rest[0]) if len(rest) == 1 else None
    if case_id is None:
        await send(update, usage(actor.t, "duplicate"))
        return
    try:
        moved = await desk.mark_duplicate(
            context.services, actor.user_id, report.id, report.version, case_id
        )
    except DESK_ERRORS as error:
        await refuse(update, actor.t, error)
        return
    await send(update, duplicate_text(actor.t, moved), report_keyboard(actor.t, moved))


def result_text(t: Translator, report: ReportSnapshot) -> str:
    """The outcome of a button press, by the state it left the report in."""
    if report.state is ReportState.REJECTED:
        return rejected_text(t, report)
    if report.state is ReportState.DUPLICATE:
        return duplicate_text(t, report)
    if report.state is ReportState.NEEDS_INFO:
        return asked_text(t, report)
    return taken_text(t, report)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("tomar", "take"), take_command),
        CommandHandler(aliases("verificar", "verify"), verify_command),
        CommandHandler(aliases("pedirinfo", "needinfo"), needinfo_command),
        CommandHandler(aliases("rechazar", "reject"), reject_command),
        CommandHandler(aliases("duplicado", "duplicate"), duplicate_command),
    ]
