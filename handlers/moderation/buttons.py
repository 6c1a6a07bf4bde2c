"""The desk's buttons: on new-report notices, on /case and after each action.

Every press re-checks the presser's role and place, then acts on the version the
button was drawn for (see `keyboards`). Releases and transfers ask for a choice,
the other case actions for a confirmation: a mistaken tap must not record a death.
A release with court presentation asks one step more, every how many days.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from telegram import ForceReply, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from domain.conditions import COURT_PRESENTATION, MAX_PRESENTATION_DAYS, MIN_PRESENTATION_DAYS
from domain.i18n import Translator
from domain.transitions import CaseAction
from domain.vocabulary import PLACES, REJECT_REASONS, RELEASE_CONDITIONS, CaseEventKind, codes
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, Actor, acknowledge, require
from handlers.moderation.case_actions import run_case_action
from handlers.moderation.keyboards import (
    CASE_ACTION_CODES,
    CHOOSING,
    DATE_FORMAT,
    INTERVAL_NOT_KNOWN,
    choice_keyboard,
    confirm_keyboard,
    interval_keyboard,
    reject_keyboard,
    report_keyboard,
)
from handlers.moderation.replies import (
    DESK_ERRORS,
    find_case,
    not_found,
    refresh_buttons,
    refuse,
    send,
)
from handlers.moderation.report_actions import result_text, verified_text
from handlers.moderation.texts import EVENT_LABELS, case_tag, report_tag
from services import case_desk, desk
from storage.cases import Case, CaseChanged
from storage.review import Prompt, ReportChanged, ReportSnapshot

logger = logging.getLogger(__name__)

REPORT_ACTION = re.compile(r"^mod:r:(tk|vf|ni|rj):(\d+):(\d+)$")
REJECT = re.compile(r"^mod:rr:(\d+):(\d+):([a-z_]+)$")
LINK = re.compile(r"^mod:(du|vc):(\d+):(\d+):(\d+)$")
CASE_STEP = re.compile(r"^mod:c:(ha|rl|ra|tr|de|cl):(\d+):(\d+)$")
CASE_DO = re.compile(r"^mod:cc:(ha|rl|ra|tr|de|cl):(\d+):(\d+)(?::([a-z0-9_]+))?(?::(\d{8}))?$")
INTERVAL = re.compile(r"^mod:ci:(\d+):(\d+):(\d{1,2}|nk)(?::(\d{8}))?$")
CANCEL = re.compile(r"^mod:x$")

_EVENT_OF = {
    CaseAction.HOUSE_ARREST: CaseEventKind.HOUSE_ARREST,
    CaseAction.REARREST: CaseEventKind.REARREST,
    CaseAction.DEATH: CaseEventKind.DEATH,
    CaseAction.CLOSE: CaseEventKind.CLOSED,
}


async def _pressed(update: Update, context: VigiaContext) -> tuple[Actor, re.Match[str]] | None:
    """The staff member who pressed, once their role allows it here."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    actor = await require(update, context, *DESK)
    if actor is None:
        return None
    await acknowledge(update, actor.t)
    for pattern in (REPORT_ACTION, REJECT, LINK, CASE_STEP, CASE_DO, INTERVAL, CANCEL):
        match = pattern.match(query.data)
        if match is not None:
            return actor, match
    return None


async def on_report_action(update: Update, context: VigiaContext) -> None:
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    t = actor.t
    code, report_id, version = match.group(1), int(match.group(2)), int(match.group(3))
    if code in ("rj", "ni"):
        # These only ask for more; say at once if the report moved meanwhile.
        current = await context.services.review.get(report_id)
        if current is None:
            await not_found(update, t)
            return
        if current.version != version:
            await refuse(update, t, ReportChanged(current))
            return
    if code == "rj":
        await send(
            update,
            t.gettext("Why is {tag} rejected? You can add a note with /reject.").format(
                tag=report_tag(report_id)
            ),
            reject_keyboard(t, report_id, version),
        )
        return
    if code == "ni":
        await _ask_for_question(update, context, actor, report_id, version)
        return
    services = context.services
    try:
        if code == "tk":
            moved = await desk.take(services, actor.user_id, report_id, version)
            text = result_text(t, moved)
        else:
            outcome = await desk.verify(services, actor.user_id, report_id, version)
            moved, text = outcome.report, verified_text(t, outcome)
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await _done(update, t, moved, text)


async def on_reject_reason(update: Update, context: VigiaContext) -> None:
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    reason = match.group(3)
    if reason not in codes(REJECT_REASONS):
        await refresh_buttons(update, None)
        return
    try:
        moved = await desk.reject(
            context.services,
            actor.user_id,
            int(match.group(1)),
            int(match.group(2)),
            reason,
            None,
        )
    except DESK_ERRORS as error:
        await refuse(update, actor.t, error)
        return
    await refresh_buttons(update, None)
    await send(update, result_text(actor.t, moved), report_keyboard(actor.t, moved))


async def on_link(update: Update, context: VigiaContext) -> None:
    """A suggested case: duplicate of it (detentions) or verified as part of it."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    t = actor.t
    report_id, version, case_id = (int(match.group(n)) for n in (2, 3, 4))
    try:
        if match.group(1) == "du":
            moved = await desk.mark_duplicate(
                context.services, actor.user_id, report_id, version, case_id
            )
            text = result_text(t, moved)
        else:
            outcome = await desk.verify(
                context.services, actor.user_id, report_id, version, case_id
            )
            moved, text = outcome.report, verified_text(t, outcome)
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await _done(update, t, moved, text)


async def _ask_for_question(
    update: Update, context: VigiaContext, actor: Actor, report_id: int, version: int
) -> None:
    t = actor.t
    # In the actor's private chat, even when asked from the group: the answer to it is
    # the question the family will read, and the group sees no identities.
    prompt = await context.bot.send_message(
        actor.chat_id,
        t.gettext(
            "Write the question for the reporter of {tag} as a reply to this message."
        ).format(tag=report_tag(report_id)),
        reply_markup=ForceReply(input_field_placeholder=t.gettext("Your question")),
    )
    services = context.services
    await services.review.save_prompt(
        actor.chat_id,
        prompt.message_id,
        Prompt(report_id, version, services.audit.actor_key(actor.user_id)),
    )


async def on_case_step(update: Update, context: VigiaContext) -> None:
    """First press on a case action: choose (release, transfer) or confirm (the rest)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    t = actor.t
    code, case_id, version = match.group(1), int(match.group(2)), int(match.group(3))
    case = await find_case(context, case_id)
    if case is None:
        await not_found(update, t)
        return
    action = CASE_ACTION_CODES[code]
    if case.version != version:
        await refuse(update, t, CaseChanged(case))
        return
    today = t.date(desk.local_today(context.services), "short")
    if action in CHOOSING:
        question = (
            t.gettext("Release of case {tag} today ({date}): which condition?")
            if action is CaseAction.RELEASE
            else t.gettext("Transfer of case {tag} today ({date}): to where?")
        )
        keyboard = choice_keyboard(t, code, case)
    else:
        question = t.gettext("Record <b>{event}</b> on case {tag} today ({date})?")
        keyboard = confirm_keyboard(t, code, case)
    event = t.gettext(EVENT_LABELS[_EVENT_OF[action]]) if action in _EVENT_OF else ""
    text = question.format(tag=case_tag(case.id), date=today, event=event)
    await send(update, text, keyboard)


async def on_case_do(update: Update, context: VigiaContext) -> None:
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    code, case_id, version = match.group(1), int(match.group(2)), int(match.group(3))
    choice = match.group(4)
    action = CASE_ACTION_CODES[code]
    on = _day(context, match.group(5))
    request: case_desk.CaseRequest | None
    if on is None:
        await refresh_buttons(update, None)
        return
    if action is CaseAction.RELEASE and choice == COURT_PRESENTATION:
        request = None  # every how many days is asked first
    elif action is CaseAction.RELEASE and choice in codes(RELEASE_CONDITIONS):
        request = case_desk.CaseRequest(action, on, conditions=(choice,))
    elif action is CaseAction.TRANSFER and choice in codes(PLACES):
        request = case_desk.CaseRequest(action, on, place=choice)
    elif action not in CHOOSING and choice is None:
        request = case_desk.CaseRequest(action, on)
    else:
        await refresh_buttons(update, None)
        return
    await _act(update, context, actor, case_id, version, request, on)


def _day(context: VigiaContext, carried: str | None) -> dt.date | None:
    """The day a button records: the one it carries, or today; None for no date at all.
    (A forged day in the future is refused by the case's own date rules, as typed.)"""
    if carried is None:
        return desk.local_today(context.services)
    try:
        return dt.datetime.strptime(carried, DATE_FORMAT).date()  # noqa: DTZ007 - a date only
    except ValueError:
        return None


async def on_interval(update: Update, context: VigiaContext) -> None:
    """The court-presentation interval of a release; "not known" records none."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    actor, match = pressed
    case_id, version, pressed_days = int(match.group(1)), int(match.group(2)), match.group(3)
    days = None if pressed_days == INTERVAL_NOT_KNOWN else int(pressed_days)
    if days is not None and not MIN_PRESENTATION_DAYS <= days <= MAX_PRESENTATION_DAYS:
        await refresh_buttons(update, None)
        return
    on = _day(context, match.group(4))
    if on is None:
        await refresh_buttons(update, None)
        return
    request = case_desk.CaseRequest(
        CaseAction.RELEASE, on, conditions=(COURT_PRESENTATION,), presentation_days=days
    )
    await _act(update, context, actor, case_id, version, request, request.on)


async def _act(
    update: Update,
    context: VigiaContext,
    actor: Actor,
    case_id: int,
    version: int,
    request: case_desk.CaseRequest | None,
    on: dt.date,
) -> None:
    """Record `request` on the version the button was drawn for (None: ask the interval).

    The pressed buttons go first, so a second tap on them finds nothing to press.
    """
    t = actor.t
    case = await find_case(context, case_id)
    if case is None:
        await not_found(update, t)
        return
    await refresh_buttons(update, None)
    if case.version != version:
        await refuse(update, t, CaseChanged(case))
        return
    if request is None:
        today = desk.local_today(context.services)
        await _ask_interval(update, t, case, None if on == today else on)
        return
    await run_case_action(update, context, actor.user_id, t, case, request)


async def _ask_interval(update: Update, t: Translator, case: Case, on: dt.date | None) -> None:
    question = t.gettext(
        "Court presentation for case {tag}: every how many days must they present themselves?"
    )
    await send(update, question.format(tag=case_tag(case.id)), interval_keyboard(t, case, on))


async def on_cancel(update: Update, context: VigiaContext) -> None:
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    await refresh_buttons(update, None)
    await send(update, pressed[0].t.gettext("Cancelled. Nothing was recorded."))


async def _done(update: Update, t: Translator, report: ReportSnapshot, text: str) -> None:
    await refresh_buttons(update, report_keyboard(t, report))
    await send(update, text)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CallbackQueryHandler(on_report_action, pattern=REPORT_ACTION),
        CallbackQueryHandler(on_reject_reason, pattern=REJECT),
        CallbackQueryHandler(on_link, pattern=LINK),
        CallbackQueryHandler(on_case_step, pattern=CASE_STEP),
        CallbackQueryHandler(on_case_do, pattern=CASE_DO),
        CallbackQueryHandler(on_interval, pattern=INTERVAL),
        CallbackQueryHandler(on_cancel, pattern=CANCEL),
    ]
