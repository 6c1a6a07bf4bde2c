"""Commands that record what happened to a person: release, house arrest, re-arrest,
transfer, death in custody, closing, and merging two cases that are one person.

A release of a case whose publication was consented ends with the one-tap release
news draft (`handlers.broadcast.release_news`), by command or by button alike.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.conditions import COURT_PRESENTATION, MAX_PRESENTATION_DAYS, MIN_PRESENTATION_DAYS
from domain.dates import DateProblem
from domain.i18n import N_, Translator
from domain.transitions import CaseAction
from domain.vocabulary import PLACES, RELEASE_CONDITIONS, CaseEventKind, Choice
from handlers.broadcast.release_news import offer_release_broadcast
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, require
from handlers.moderation.conditions import read_conditions, shown_word
from handlers.moderation.keyboards import case_keyboard, choice_keyboard
from handlers.moderation.refs import (
    INTERVAL_WITHOUT_PRESENTATION,
    IntervalProblem,
    parse_case_id,
    place,
    presentation_interval,
)
from handlers.moderation.replies import (
    DESK_ERRORS,
    date_problem,
    find_case,
    not_found,
    read_date,
    refuse,
    send,
)
from handlers.moderation.texts import EVENT_LABELS, case_state, case_tag, conditions_text
from services import case_desk, desk
from storage.cases import Case

USAGE = {
    CaseAction.RELEASE: N_(
        "Usage: /release CASE_ID [DATE] [CONDITIONS] [every N days] [note] — e.g. /release "
        "C5 15/01/2026 court_presentation,travel_ban every 8 days. N goes from 1 to 90. "
        "Conditions: {conditions}. Without conditions I show them as buttons."
    ),
    CaseAction.HOUSE_ARREST: N_(
        "Usage: /housearrest CASE_ID DATE [note] — still deprived of liberty, never counted "
        "as a release."
    ),
    CaseAction.REARREST: N_(
        "Usage: /rearrest CASE_ID DATE [PLACE] — a released person was arrested again; the "
        "case returns to detained."
    ),
    CaseAction.TRANSFER: N_(
        "Usage: /transfer CASE_ID [DATE] PLACE — a place code ({places}) or the place in "
        "words; <code>unknown</code> means nobody knows where."
    ),
    CaseAction.DEATH: N_("Usage: /death CASE_ID DATE [note] — death in custody."),
    CaseAction.CLOSE: N_("Usage: /close CASE_ID — only once the person is released or has died."),
    CaseAction.MERGE: N_(
        "Usage: /merge CASE_ID CASE_ID — the first case joins the second, with its reports."
    ),
}


@dataclass(frozen=True, slots=True)
class ChooseCondition:
    """A release typed without conditions we could read: they are offered as buttons."""

    on: dt.date
    unread: str  # what was typed where the conditions go, if anything


def _codes(t: Translator, choices: tuple[Choice, ...]) -> str:
    return ", ".join(
        f"<code>{shown_word(choice.code, t.language)}</code> ({t.gettext(choice.label)})"
        for choice in choices
    )


def usage(t: Translator, action: CaseAction) -> str:
    return t.gettext(USAGE[action]).format(
        conditions=_codes(t, RELEASE_CONDITIONS), places=_codes(t, PLACES)
    )


def changed_text(t: Translator, outcome: case_desk.CaseOutcome, on: dt.date) -> str:
    """The outcome; for a release also its conditions as recorded (with the interval),
    so the moderator sees at once what was understood."""
    case = outcome.case
    text = t.gettext("Case {tag}: {before} → <b>{after}</b> ({event}, {date}).").format(
        tag=case_tag(case.id),
        before=case_state(t, outcome.before),
        after=case_state(t, case.state),
        event=t.gettext(EVENT_LABELS[outcome.event]),
        date=t.date(on, "short"),
    )
    if outcome.event is CaseEventKind.RELEASE and case.release_conditions:
        conditions = conditions_text(t, case.release_conditions, case.presentation_days)
        text += "\n" + t.gettext("Conditions: {conditions}").format(conditions=conditions)
    return text


async def run_case_action(
    update: Update,
    context: VigiaContext,
    actor_id: int,
    t: Translator,
    case: Case,
    request: case_desk.CaseRequest,
) -> None:
    """Commands and buttons end here: act on the version seen, report the outcome."""
    try:
        outcome = await case_desk.act_on_case(
            context.services, actor_id, case.id, case.version, request
        )
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await send(update, changed_text(t, outcome, request.on), case_keyboard(t, outcome.case))
    if outcome.event is CaseEventKind.RELEASE and outcome.case.publish_consent:
        # Verified release news (issue 6): the draft is offered to whoever recorded the
        # release, privately (it names the person); `offer_release_broadcast` re-checks
        # state, merge and consent.
        await offer_release_broadcast(context, actor_id, outcome.case.id, t.language)


async def _case_command(update: Update, context: VigiaContext, action: CaseAction) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    t = actor.t
    args = list(context.args or [])
    case_id = parse_case_id(args[0]) if args else None
    if case_id is None:
        await send(update, usage(t, action))
        return
    request = _request(context, action, args[1:])
    if request is None:
        await send(update, usage(t, action))
        return
    if isinstance(request, DateProblem):
        await send(update, date_problem(t, request))
        return
    if isinstance(request, IntervalProblem):
        await send(update, interval_problem(t, request))
        return
    case = await find_case(context, case_id)
    if case is None:
        await not_found(update, t)
        return
    if isinstance(request, ChooseCondition):
        await _ask_condition(update, context, t, case, request)
        return
    await run_case_action(update, context, actor.user_id, t, case, request)


async def _ask_condition(
    update: Update, context: VigiaContext, t: Translator, case: Case, request: ChooseCondition
) -> None:
    """The conditions as buttons, for the date typed (today's buttons carry no date)."""
    today = desk.local_today(context.services)
    question = t.gettext("Release of case {tag} on {date}: which condition?").format(
        tag=case_tag(case.id), date=t.date(request.on, "short")
    )
    if request.unread:
        question = (
            t.gettext("I did not recognise «{words}» as a condition.").format(
                words=html.escape(request.unread)
            )
            + "\n"
            + question
        )
    dated = None if request.on == today else request.on
    await send(update, question, choice_keyboard(t, "rl", case, on=dated))


def _request(
    context: VigiaContext, action: CaseAction, words: list[str]
) -> case_desk.CaseRequest | ChooseCondition | DateProblem | IntervalProblem | None:
    """What the words after CASE_ID ask for; None when they do not fit the command."""
    if action is CaseAction.CLOSE:
        return (
            case_desk.CaseRequest(action, desk.local_today(context.services))
            if not words
            else None
        )
    if action is CaseAction.TRANSFER:
        on = read_date(context, words[0]) if words else DateProblem.EMPTY
        if isinstance(on, dt.date):
            words = words[1:]
        else:
            on = desk.local_today(context.services)
        where = place(words)
        if where is None:
            return None
        return case_desk.CaseRequest(action, on, place=where.code, place_other=where.other)
    if action is CaseAction.RELEASE and not words:
        return ChooseCondition(desk.local_today(context.services), "")
    if not words:
        return None
    on = read_date(context, words[0])
    if action is CaseAction.RELEASE and isinstance(on, DateProblem) and read_conditions(words)[0]:
        return _release(desk.local_today(context.services), words)  # the date left out
    if isinstance(on, DateProblem):
        return on
    rest = words[1:]
    if action is CaseAction.RELEASE:
        return _release(on, rest)
    if action is CaseAction.REARREST:
        where = place(rest)
        return case_desk.CaseRequest(
            action,
            on,
            place=where.code if where else None,
            place_other=where.other if where else None,
        )
    return case_desk.CaseRequest(action, on, note=" ".join(rest).strip() or None)


def _release(
    on: dt.date, words: list[str]
) -> case_desk.CaseRequest | ChooseCondition | IntervalProblem:
    """Conditions, then an optional court-presentation interval, then a free note."""
    conditions, words = read_conditions(words)
    if not conditions:
        return ChooseCondition(on, " ".join(words))
    days, rest = presentation_interval(words)
    if isinstance(days, IntervalProblem):
        return days
    if days is not None and COURT_PRESENTATION not in conditions:
        typed = " ".join(words[: len(words) - len(rest)])
        return IntervalProblem(INTERVAL_WITHOUT_PRESENTATION, typed)
    note = " ".join(rest).strip() or None
    return case_desk.CaseRequest(
        CaseAction.RELEASE, on, conditions=conditions, presentation_days=days, note=note
    )


def interval_problem(t: Translator, problem: IntervalProblem) -> str:
    return t.gettext(problem.reason).format(
        value=html.escape(problem.value), low=MIN_PRESENTATION_DAYS, high=MAX_PRESENTATION_DAYS
    )


async def release_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.RELEASE)


async def house_arrest_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.HOUSE_ARREST)


async def rearrest_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.REARREST)


async def transfer_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.TRANSFER)


async def death_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.DEATH)


async def close_command(update: Update, context: VigiaContext) -> None:
    await _case_command(update, context, CaseAction.CLOSE)


async def merge_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    t = actor.t
    args = list(context.args or [])
    ids = [parse_case_id(arg) for arg in args]
    if len(ids) != 2 or ids[0] is None or ids[1] is None:
        await send(update, usage(t, CaseAction.MERGE))
        return
    source, target = ids[0], ids[1]
    try:
        merged = await case_desk.merge(context.services, actor.user_id, source, target)
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await send(
        update,
        t.gettext("Case {source} merged into {target}; its reports now follow {target}.").format(
            source=case_tag(source), target=case_tag(target)
        ),
        case_keyboard(t, merged),
    )


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("excarcelar", "release"), release_command),
        CommandHandler(aliases("domiciliaria", "housearrest"), house_arrest_command),
        CommandHandler(aliases("redetencion", "rearrest"), rearrest_command),
        CommandHandler(aliases("traslado", "transfer"), transfer_command),
        CommandHandler(aliases("fallecimiento", "death"), death_command),
        CommandHandler(aliases("cerrar", "close"), close_command),
        CommandHandler(aliases("fusionar", "merge"), merge_command),
    ]
