"""/queue [state]: what waits for the desk, most urgent first, a page at a time.

Detentions nobody can place come first, with the hours since the arrest and a flag
past 48 (DESIGN.md's clock); then the reports that have waited longest.
"""

from __future__ import annotations

from math import ceil

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain.vocabulary import ReportState
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import DESK, Actor, acknowledge, in_group, require
from handlers.moderation.keyboards import page_keyboard
from handlers.moderation.replies import send
from handlers.moderation.texts import report_line, report_state
from storage.review import OPEN_STATES

PAGE_SIZE = 8
ALL_OPEN = "open"

STATE_ALIASES = {
    "recibido": ReportState.RECEIVED,
    "recibidos": ReportState.RECEIVED,
    "revision": ReportState.IN_REVIEW,
    "en_revision": ReportState.IN_REVIEW,
    "info": ReportState.NEEDS_INFO,
    "pedirinfo": ReportState.NEEDS_INFO,
    "verificado": ReportState.VERIFIED,
    "verificados": ReportState.VERIFIED,
    "rechazado": ReportState.REJECTED,
    "rechazados": ReportState.REJECTED,
    "duplicado": ReportState.DUPLICATE,
    "duplicados": ReportState.DUPLICATE,
}


def parse_filter(word: str | None) -> str | None:
    """`open` (the default) or a report state; None when the word is neither."""
    if word is None:
        return ALL_OPEN
    simple = word.strip().lower().replace("-", "_")
    if simple in (ALL_OPEN, "abiertos"):
        return ALL_OPEN
    if simple in set(ReportState):
        return simple
    alias = STATE_ALIASES.get(simple)
    return alias.value if alias else None


async def queue_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *DESK)
    if actor is None:
        return
    args = list(context.args or [])
    chosen = parse_filter(args[0] if args else None)
    if chosen is None:
        states = ", ".join(f"<code>{state.value}</code>" for state in ReportState)
        await send(
            update,
            actor.t.gettext(
                "Usage: /queue [STATE] — without STATE, every open report. States: {states}."
            ).format(states=states),
        )
        return
    await show_page(update, context, actor, chosen, 0)


async def show_page(
    update: Update, context: VigiaContext, actor: Actor, chosen: str, page: int
) -> None:
    services = context.services
    t = actor.t
    states = OPEN_STATES if chosen == ALL_OPEN else (ReportState(chosen),)
    total = await services.review.count(states)
    pages = max(ceil(total / PAGE_SIZE), 1)
    page = min(max(page, 0), pages - 1)
    reports = await services.review.queue(states, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    name = t.gettext("open") if chosen == ALL_OPEN else report_state(t, ReportState(chosen))
    if not reports:
        await send(update, t.gettext("Nothing in the queue ({name}).").format(name=name))
        return
    now = services.clock.now()
    header = t.ngettext(
        "<b>Queue ({name})</b>: {total} report · page {page} of {pages}",
        "<b>Queue ({name})</b>: {total} reports · page {page} of {pages}",
        total,
    ).format(name=name, total=total, page=page + 1, pages=pages)
    lines = [header, *(report_line(t, report, now) for report in reports)]
    keyboard = page_keyboard(t, chosen, page, pages, [report.id for report in reports])
    query = update.callback_query
    if query is not None and not in_group(update):
        # Turning a page redraws the same message rather than adding one.
        await query.edit_message_text("\n\n".join(lines), reply_markup=keyboard)
        return
    await send(update, "\n\n".join(lines), keyboard)


async def page_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    actor = await require(update, context, *DESK)
    if actor is None or query is None or query.data is None:
        return
    await acknowledge(update, actor.t)
    _, _, chosen, page = query.data.split(":")
    if parse_filter(chosen) != chosen:
        return
    await show_page(update, context, actor, chosen, int(page))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("cola", "queue"), queue_command),
        CallbackQueryHandler(page_button, pattern=r"^mod:q:[a-z_]+:\d+$"),
    ]
