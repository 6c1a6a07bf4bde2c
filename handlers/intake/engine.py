"""The conversation itself: one answer in, one question (or a reason) out.

Every state of every intake conversation has the same two handlers, `on_message`
and `on_button`; the draft says which question is open, and its step is also the
state returned to the ConversationHandler. Per step: no database round trip, one
draft save (in `user_data`, written to SQLite by the persistence), one message.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.intake import callbacks, reasons, render
from handlers.intake.callbacks import Press
from handlers.intake.confirm import confirm
from handlers.intake.draft import EDIT, SUMMARY, Draft
from handlers.intake.entry import discard
from handlers.intake.flows import FLOW_BY_KIND, Flow
from handlers.intake.incoming import Content, read_message
from handlers.intake.session import (
    END,
    Callback,
    ask,
    draft_of,
    expired,
    forget,
    press_chat,
    state_for,
    store,
)
from handlers.intake.steps import Advance, Finish, Notice, Outcome, Redraw, Retry, Step, Turn
from handlers.menu import main_menu_keyboard
from handlers.replies import answer_press, answering
from handlers.sending import keyboard_markup, send_text

logger = logging.getLogger(__name__)


def flow_bound(flow: Flow) -> tuple[Callback, Callback]:
    """The message and button callbacks of `flow`'s states."""

    async def message(update: Update, context: VigiaContext) -> object:
        return await on_message(update, context, flow)

    async def button(update: Update, context: VigiaContext) -> object:
        return await on_button(update, context, flow)

    return message, button


async def on_message(update: Update, context: VigiaContext, flow: Flow) -> object:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    t = await context.translator(update)
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context, t)
    if draft.step in (SUMMARY, EDIT):
        await ask(context, chat.id, t, draft, prefix=reasons.choose_a_button(t))
        return state_for(flow, draft)
    step = _step(draft)
    turn = Turn(t, draft, context.services, chat.id, context.services.clock.now())
    incoming = read_message(message)
    if incoming.content is Content.TEXT and incoming.text is not None:
        outcome = await step.on_text(turn, incoming.text)
    else:
        outcome = await step.on_media(turn, incoming)
    return await settle(update, context, flow, turn, step, outcome)


async def on_button(update: Update, context: VigiaContext, flow: Flow) -> object:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return None
    t = await context.translator(update)
    draft = draft_of(context)
    if draft is None:
        await query.answer()
        return await expired(update, context, t)
    press = callbacks.parse(query.data)
    if press is not None and press.token == draft.token:
        if press.action == "rm":
            await discard(update, context)
            return END
        if press.action == "re":
            await query.answer()
            await ask(context, chat.id, t, draft)
            return state_for(flow, draft)
        if press.action == "q" and press.step == draft.step:
            if draft.step == SUMMARY and press.value == render.CONFIRM:
                # Filing waits on the database: the answer is sent meanwhile.
                return await answering(query, _pressed(update, context, flow, t, draft, press))
            await answer_press(query)
            return await _pressed(update, context, flow, t, draft, press)
    # A button of an earlier question or draft: say so, and show where they are.
    stale = t.gettext(render.STALE_BUTTON)
    await query.answer(stale)
    await ask(context, chat.id, t, draft, prefix=stale)
    return state_for(flow, draft)


async def _pressed(
    update: Update, context: VigiaContext, flow: Flow, t: Translator, draft: Draft, press: Press
) -> object:
    chat_id = press_chat(update)
    value = press.value
    if value == callbacks.CANCEL:
        return await cancel(update, context)
    if value == callbacks.BACK:
        return await back(context, chat_id, flow, t, draft)
    if draft.step == SUMMARY:
        return await _on_summary(update, context, flow, t, draft, value)
    if draft.step == EDIT:
        return await _on_edit_choice(context, chat_id, flow, t, draft, value)
    step = _step(draft)
    turn = Turn(t, draft, context.services, chat_id, context.services.clock.now())
    if value.startswith(callbacks.PAGE):
        return await _turn_page(update, context, flow, t, draft, value)
    if value == callbacks.SKIP and step.optional:
        step.clear(draft)
        outcome: Outcome = Advance()
    else:
        outcome = await step.on_choice(turn, value)
    return await settle(update, context, flow, turn, step, outcome)


async def settle(
    update: Update, context: VigiaContext, flow: Flow, turn: Turn, step: Step, outcome: Outcome
) -> object:
    """Apply what a step decided: advance, explain, stay, or finish."""
    draft, t, chat_id = turn.draft, turn.t, turn.chat_id
    if isinstance(outcome, Finish):
        forget(context, update.effective_user.id if update.effective_user else None)
        await context.bot.send_message(chat_id, outcome.text, reply_markup=main_menu_keyboard(t))
        logger.info("intake_finished_early step=%s", step.key)
        return END
    if isinstance(outcome, Advance):
        own = FLOW_BY_KIND[draft.kind]
        if draft.edit_root is not None:
            draft.step = own.after_edit(step.key, draft)
            if draft.step == SUMMARY:
                draft.edit_root = None
        else:
            draft.history.append(step.key)
            draft.step = own.after(step.key, draft)
        store(context, draft)
        await ask(context, chat_id, t, draft)
        return state_for(flow, draft)
    store(context, draft)
    if isinstance(outcome, Retry):
        await ask(context, chat_id, t, draft, prefix=outcome.reason)
    elif isinstance(outcome, Notice):
        _, rows = render.screen(t, FLOW_BY_KIND[draft.kind], draft)
        await send_text(context.bot, chat_id, outcome.text, rows=rows)
    elif isinstance(outcome, Redraw):
        await _redraw(update, context, t, draft)
    return state_for(flow, draft)


async def back(
    context: VigiaContext, chat_id: int, flow: Flow, t: Translator, draft: Draft
) -> object:
    own = FLOW_BY_KIND[draft.kind]
    if draft.edit_root is not None or draft.step == EDIT:
        draft.edit_root, draft.step = None, SUMMARY
    else:
        while draft.history:
            previous = own.step(draft.history.pop())
            if previous is not None and previous.applies(draft):
                draft.step = previous.key
                break
        else:
            store(context, draft)
            first = t.gettext("This is the first question.")
            await ask(context, chat_id, t, draft, prefix=first)
            return state_for(flow, draft)
    store(context, draft)
    await ask(context, chat_id, t, draft)
    return state_for(flow, draft)


async def cancel(update: Update, context: VigiaContext) -> object:
    """/cancel or the Cancel button: the draft is discarded, nothing is stored."""
    chat = update.effective_chat
    forget(context, update.effective_user.id if update.effective_user else None)
    t = await context.translator(update)
    if chat is not None:
        await context.bot.send_message(
            chat.id,
            t.gettext(
                "Cancelled. Nothing was saved. Send /reportar whenever you want to start again."
            ),
            reply_markup=main_menu_keyboard(t),
        )
    logger.info("intake_cancelled")
    return END


async def repeat_question(update: Update, context: VigiaContext, flow: Flow) -> object:
    """/reportar in the middle of a report: show where they are."""
    chat = update.effective_chat
    t = await context.translator(update)
    draft = draft_of(context)
    if draft is None or chat is None:
        return await expired(update, context, t)
    prefix = t.gettext(
        "You are in the middle of a report. Here is the current question (send /cancel to stop)."
    )
    await ask(context, chat.id, t, draft, prefix=prefix)
    return state_for(flow, draft)


async def on_timeout(update: object, context: VigiaContext) -> None:
    """30 minutes without an answer: the conversation pauses, the draft stays a day."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if draft_of(context) is None:
        return
    t = await context.translator(update)
    await context.bot.send_message(
        update.effective_chat.id,
        t.gettext(
            "I paused your report because there was no answer for 30 minutes. Your answers "
            "are kept for 24 hours: send /reportar (or /report) and choose «Continue» to "
            "pick up where you left off."
        ),
    )
    logger.info("intake_paused")


async def _on_summary(
    update: Update, context: VigiaContext, flow: Flow, t: Translator, draft: Draft, value: str
) -> object:
    chat_id = press_chat(update)
    if value == render.CHANGE:
        draft.step = EDIT
        store(context, draft)
        await ask(context, chat_id, t, draft)
        return state_for(flow, draft)
    if value == render.CONFIRM:
        return await confirm(update, context, flow, t, draft)
    await ask(context, chat_id, t, draft, prefix=reasons.choose_a_button(t))
    return state_for(flow, draft)


async def _on_edit_choice(
    context: VigiaContext, chat_id: int, flow: Flow, t: Translator, draft: Draft, value: str
) -> object:
    step = FLOW_BY_KIND[draft.kind].step(value)
    if step is None or not step.applies(draft):
        await ask(context, chat_id, t, draft, prefix=reasons.choose_a_button(t))
        return state_for(flow, draft)
    draft.edit_root, draft.step = step.key, step.key
    store(context, draft)
    await ask(context, chat_id, t, draft)
    return state_for(flow, draft)


async def _turn_page(
    update: Update, context: VigiaContext, flow: Flow, t: Translator, draft: Draft, value: str
) -> object:
    page_text = value.removeprefix(callbacks.PAGE)
    page = int(page_text) if page_text.isdecimal() else 0
    await _redraw(update, context, t, draft, page)
    return state_for(flow, draft)


async def _redraw(
    update: Update, context: VigiaContext, t: Translator, draft: Draft, page: int = 0
) -> None:
    """Change the buttons of the pressed message in place (pages, ticks)."""
    query = update.callback_query
    _, rows = render.screen(t, FLOW_BY_KIND[draft.kind], draft, page=page)
    if query is None or query.message is None:
        await ask(context, press_chat(update), t, draft, page=page)
        return
    try:
        await query.edit_message_reply_markup(reply_markup=keyboard_markup(rows))
    except BadRequest as exc:
        # "Message is not modified" after a double tap, or a message too old to edit.
        logger.info("intake_redraw_skipped error=%s", type(exc).__name__)


def _step(draft: Draft) -> Step:
    step = FLOW_BY_KIND[draft.kind].step(draft.step)
    if step is None:
        raise LookupError(f"no step {draft.step}")
    return step
