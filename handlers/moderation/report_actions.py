"""Commands that decide on a report: /take, /verify, /needinfo, /reject, /duplicate.

Each reads the report as it is now and acts on that version; the buttons in
`handlers.moderation.buttons` share the same outcome texts (`result_text`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeAlias, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.i18n import N_, Translator
from domain.vocabulary import REJECT_REASONS, ReportState
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, require
from handlers.moderation.keyboards import report_keyboard
from handlers.moderation.refs import parse_case_id, reject_reason, split_report_ref
from handlers.moderation.replies import DESK_ERRORS, find_report, not_found, refuse, send
from handlers.moderation.texts import case_tag, reason_text, report_state, report_tag
from services import desk
from services.container import Services
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


# What a command's own arguments resolve to: the desk action, still to be given the
# services, the acting moderator and the report id and version they saw.
Outcome = TypeVar("Outcome", ReportSnapshot, desk.Verification)
DeskCall: TypeAlias = Callable[[Services, int, int, int], Awaitable[Outcome]]


async def run_report_action(
    update: Update,
    context: VigiaContext,
    command: str,
    plan: Callable[[list[str]], DeskCall[Outcome] | None],
    text: Callable[[Translator, Outcome], str],
) -> None:
    """The shape every report command shares, so each one states only its own part.

    Role, then the report named by the first argument, then `plan` reads the rest
    (None: they don't fit, show the usage), then the desk acts on the version read.
    """
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    t = actor.t
    ref, rest = split_report_ref(list(context.args or []))
    if ref is None:
        await send(update, usage(t, command))
        return
    report = await find_report(context, ref)
    if report is None:
        await not_found(update, t)
        return
    call = plan(rest)
    if call is None:
        await send(update, usage(t, command))
        return
    acting = call(context.services, actor.user_id, report.id, report.version)
    await act_and_answer(update, t, acting, text)


async def act_and_answer(
    update: Update,
    t: Translator,
    acting: Awaitable[Outcome],
    text: Callable[[Translator, Outcome], str],
) -> None:
    """Refuse if the desk does; otherwise the outcome with the buttons of its new state."""
    try:
        outcome = await acting
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    report = outcome.report if isinstance(outcome, desk.Verification) else outcome
    await send(update, text(t, outcome), report_keyboard(t, report))


def take_call(rest: list[str]) -> DeskCall[ReportSnapshot]:
    """Nothing after the code is read; extra words are ignored."""
    return desk.take


def verify_call(rest: list[str]) -> DeskCall[desk.Verification] | None:
    """An optional case id links to that case; without it a new case is created."""
    case_id = parse_case_id(rest[0]) if rest else None
    if rest and case_id is None:
        return None
    return partial(desk.verify, case_id=case_id)


def needinfo_call(rest: list[str]) -> DeskCall[ReportSnapshot] | None:
    """The rest is the question for the reporter; it cannot be empty."""
    question = " ".join(rest).strip()
    return partial(desk.needs_info, question=question) if question else None


def reject_call(rest: list[str]) -> DeskCall[ReportSnapshot] | None:
    """A known reason, then an optional free note."""
    reason = reject_reason(rest[0]) if rest else None
    if reason is None:
        return None
    note = " ".join(rest[1:]).strip() or None
    return partial(desk.reject, reason=reason, note=note)


def duplicate_call(rest: list[str]) -> DeskCall[ReportSnapshot] | None:
    """Exactly one case id: the case the report already describes."""
    case_id = parse_case_id(rest[0]) if len(rest) == 1 else None
    return partial(desk.mark_duplicate, case_id=case_id) if case_id is not None else None


async def take_command(update: Update, context: VigiaContext) -> None:
    await run_report_action(update, context, "take", take_call, taken_text)


async def verify_command(update: Update, context: VigiaContext) -> None:
    await run_report_action(update, context, "verify", verify_call, verified_text)


async def needinfo_command(update: Update, context: VigiaContext) -> None:
    await run_report_action(update, context, "needinfo", needinfo_call, asked_text)


async def reject_command(update: Update, context: VigiaContext) -> None:
    await run_report_action(update, context, "reject", reject_call, rejected_text)


async def duplicate_command(update: Update, context: VigiaContext) -> None:
    await run_report_action(update, context, "duplicate", duplicate_call, duplicate_text)


async def ask(
    update: Update,
    context: VigiaContext,
    actor_id: int,
    t: Translator,
    seen: tuple[int, int],
    question: str,
) -> None:
    """Needs info from the reply to the button's prompt (the command goes the common way).

    `seen` is the report id and the version the moderator acted on.
    """
    report_id, version = seen
    acting = desk.needs_info(context.services, actor_id, report_id, version, question)
    await act_and_answer(update, t, acting, asked_text)


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
