"""Ways into a report: /reportar, /report, the main menu, and "continue your draft".

Also the intake buttons no conversation claims: a press on a paused draft's old
message, the discard button, and old buttons.
"""

from __future__ import annotations

import logging

from telegram import Update

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.intake import callbacks, render
from handlers.intake.draft import Draft, new_draft
from handlers.intake.flows import FLOW_BY_KIND, Flow
from handlers.intake.session import END, Callback, ask, draft_of, forget, press_chat, store
from handlers.replies import answering
from handlers.sending import send_text

logger = logging.getLogger(__name__)


def waiting_draft(context: VigiaContext) -> Draft | None:
    """The user's unfinished draft, if it is still within its 24 hours."""
    draft = draft_of(context)
    if draft is not None and draft.is_stale(context.services.clock.now()):
        return None
    return draft


async def offer_or_choose(context: VigiaContext, chat_id: int, t: Translator) -> None:
    draft = waiting_draft(context)
    if draft is None:
        text, rows = render.chooser(t)
    else:
        text, rows = render.draft_offer(t, FLOW_BY_KIND[draft.kind], draft)
    await send_text(context.bot, chat_id, text, rows=rows)


async def report_command(update: Update, context: VigiaContext) -> None:
    """/reportar outside a report: continue the draft, or choose what to report."""
    chat = update.effective_chat
    if chat is None:
        return
    t = await context.translator(update)
    await offer_or_choose(context, chat.id, t)


def starter(flow: Flow) -> Callback:
    """Entry of `flow`'s conversation: a fresh draft, unless one is waiting."""

    async def start(update: Update, context: VigiaContext) -> object:
        query = update.callback_query
        if query is not None:
            return await answering(query, begin(update, context))
        return await begin(update, context)

    async def begin(update: Update, context: VigiaContext) -> object:
        chat_id = press_chat(update)
        t = await context.translator(update)
        services = context.services
        if waiting_draft(context) is not None:
            await offer_or_choose(context, chat_id, t)
            return END
        if await services.blocks.over_daily_cap(chat_id):
            await context.bot.send_message(
                chat_id,
                t.gettext(
                    "This chat has sent {limit} reports today, the most it can send in one "
                    "day. Please come back tomorrow."
                ).format(limit=t.number(services.blocks.daily_cap)),
            )
            return END
        draft = new_draft(flow.kind.value, "", services.clock.now())
        draft.step = flow.first(draft)
        store(context, draft)
        await ask(context, chat_id, t, draft, prefix=t.gettext(flow.title))
        logger.info("intake_started kind=%s", flow.kind.value)
        return draft.step

    return start


def resumer(flow: Flow) -> Callback:
    """ "Continue" on a paused draft (timed out, or before a restart)."""

    async def resume(update: Update, context: VigiaContext) -> object:
        query = update.callback_query
        if query is None:
            return END
        chat_id = press_chat(update)
        t = await context.translator(update)
        press = callbacks.parse(query.data)
        draft = waiting_draft(context)
        if draft is None or press is None or press.token != draft.token:
            await query.answer(t.gettext("That draft no longer exists."))
            await offer_or_choose(context, chat_id, t)
            return END
        await query.answer()
        if draft.kind != flow.kind.value:
            await offer_or_choose(context, chat_id, t)
            return END
        await ask(context, chat_id, t, draft, prefix=t.gettext("Here is where you left off."))
        logger.info("intake_resumed kind=%s", flow.kind.value)
        return draft.step

    return resume


async def discard(update: Update, context: VigiaContext) -> None:
    """ "Discard it" on the draft offer, when no conversation is open."""
    query = update.callback_query
    if query is None:
        return
    chat_id = press_chat(update)
    t = await context.translator(update)
    press = callbacks.parse(query.data)
    draft = draft_of(context)
    if draft is None or press is None or press.token != draft.token:
        await query.answer(t.gettext(render.STALE_BUTTON))
        await offer_or_choose(context, chat_id, t)
        return
    await query.answer()
    forget(context, update.effective_user.id if update.effective_user else None)
    logger.info("intake_draft_discarded")
    await context.bot.send_message(chat_id, t.gettext("Discarded. Nothing was saved."))
    await offer_or_choose(context, chat_id, t)


async def old_button(update: Update, context: VigiaContext) -> None:
    """An intake button pressed when no report is open."""
    query = update.callback_query
    if query is None:
        return
    chat_id = press_chat(update)
    t = await context.translator(update)
    press = callbacks.parse(query.data)
    draft = waiting_draft(context)
    if draft is not None and press is not None and press.token == draft.token:
        await query.answer()
        await offer_or_choose(context, chat_id, t)
        return
    if (
        press is not None
        and press.value == render.CONFIRM
        and await context.services.reports.filed_from_draft(press.token, chat_id)
    ):
        await query.answer(
            t.gettext("This report was already saved. Its receipt code is in a message above."),
            show_alert=True,
        )
        return
    await query.answer(
        t.gettext("That button is from an earlier message. Send /reportar to start a report."),
        show_alert=True,
    )
