"""/corregir, /correct: when a step of a case really happened, corrected after the fact.

`/correct C5 release 14/01/2026` moves the case's latest release to that day (and its
`released_on` with it); `detention` corrects the detention date. The desk records when
it learnt a thing apart from when it happened: a correction changes only the latter,
and it keeps the story in order (`services.case_desk.correct_date`).
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.dates import DateProblem
from domain.i18n import N_, Translator
from domain.story import DETENTION
from domain.vocabulary import CaseEventKind
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, require
from handlers.moderation.keyboards import case_keyboard
from handlers.moderation.refs import parse_case_id
from handlers.moderation.replies import DESK_ERRORS, date_problem, read_date, refuse, send
from handlers.moderation.texts import EVENT_LABELS, case_tag
from services import case_desk

DETENTION_LABEL = N_("detention")
# The step names a moderator may type, in English or Spanish.
STEP_NAMES = {
    "detention": DETENTION,
    "detencion": DETENTION,
    "detención": DETENTION,
    "release": CaseEventKind.RELEASE.value,
    "excarcelacion": CaseEventKind.RELEASE.value,
    "excarcelación": CaseEventKind.RELEASE.value,
    "rearrest": CaseEventKind.REARREST.value,
    "redetencion": CaseEventKind.REARREST.value,
    "redetención": CaseEventKind.REARREST.value,
    "transfer": CaseEventKind.TRANSFER.value,
    "traslado": CaseEventKind.TRANSFER.value,
    "house_arrest": CaseEventKind.HOUSE_ARREST.value,
    "housearrest": CaseEventKind.HOUSE_ARREST.value,
    "domiciliaria": CaseEventKind.HOUSE_ARREST.value,
    "disappeared": CaseEventKind.DISAPPEARED.value,
    "desaparicion": CaseEventKind.DISAPPEARED.value,
    "desaparición": CaseEventKind.DISAPPEARED.value,
    "death": CaseEventKind.DEATH.value,
    "fallecimiento": CaseEventKind.DEATH.value,
}
USAGE = N_(
    "Usage: /correct CASE_ID STEP DATE — when a step really happened, e.g. /correct C5 "
    "release 14/01/2026. STEP is detention, release, rearrest, transfer, house_arrest, "
    "disappeared or death (its latest one). The date keeps the story in order: not "
    "before the step it follows, not after the one that follows it."
)


def step_label(t: Translator, step: str) -> str:
    if step == DETENTION:
        return t.gettext(DETENTION_LABEL)
    return t.gettext(EVENT_LABELS[CaseEventKind(step)])


def corrected_text(t: Translator, correction: case_desk.Correction) -> str:
    text = t.gettext("Case {tag}: the {step} is now dated {date}.").format(
        tag=case_tag(correction.case.id),
        step=step_label(t, correction.step),
        date=t.date(correction.after, "medium"),
    )
    if correction.before is not None:
        text += " " + t.gettext("(It was {date}.)").format(
            date=t.date(correction.before, "medium")
        )
    return text


async def correct_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    t = actor.t
    args = list(context.args or [])
    case_id = parse_case_id(args[0]) if args else None
    step = STEP_NAMES.get(args[1].strip().lower()) if len(args) == 3 else None
    if case_id is None or step is None:
        await send(update, t.gettext(USAGE))
        return
    on = read_date(context, args[2])
    if isinstance(on, DateProblem):
        await send(update, date_problem(t, on))
        return
    await _correct(update, context, actor.user_id, t, (case_id, step, on))


async def _correct(
    update: Update,
    context: VigiaContext,
    actor_id: int,
    t: Translator,
    asked: tuple[int, str, dt.date],
) -> None:
    case_id, step, on = asked
    try:
        correction = await case_desk.correct_date(context.services, actor_id, case_id, step, on)
    except DESK_ERRORS as error:
        await refuse(update, t, error)
        return
    await send(update, corrected_text(t, correction), case_keyboard(t, correction.case))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [CommandHandler(aliases("corregir", "correct"), correct_command)]
