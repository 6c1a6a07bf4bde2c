"""What every intake handler shares: the draft of this user, and asking the question."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.intake import render
from handlers.intake.draft import EDIT, SUMMARY, Draft, drop_draft, load_draft, save_draft
from handlers.intake.flows import FLOW_BY_KIND, Flow
from handlers.menu import main_menu_keyboard
from handlers.sending import send_text

END = ConversationHandler.END
# A handler callback that returns the conversation's next state.
Callback = Callable[[Update, VigiaContext], Coroutine[Any, Any, object]]


def state_for(flow: Flow, draft: Draft) -> object:
    """The state to hand back to `flow`'s ConversationHandler.

    A conversation left open by a draft that expired in the meantime may receive an
    update meant for a newer draft of another flow: it is answered with that draft,
    and the stale conversation ends.
    """
    return draft.step if draft.kind == flow.kind.value else END


async def ask(
    context: VigiaContext,
    chat_id: int,
    t: Translator,
    draft: Draft,
    *,
    prefix: str | None = None,
    page: int = 0,
) -> None:
    flow = FLOW_BY_KIND[draft.kind]
    text, rows = render.screen(t, flow, draft, prefix=prefix, page=page)
    await send_text(context.bot, chat_id, text, rows=rows)


def draft_of(context: VigiaContext) -> Draft | None:
    draft = load_draft(context.user_data)
    if draft is None or draft.kind not in FLOW_BY_KIND:
        return None
    flow = FLOW_BY_KIND[draft.kind]
    if draft.step not in (SUMMARY, EDIT) and flow.step(draft.step) is None:
        return None
    return draft


def store(context: VigiaContext, draft: Draft) -> None:
    if context.user_data is not None:
        save_draft(context.user_data, draft, context.services.clock.now())


def forget(context: VigiaContext, user_id: int | None) -> None:
    """Drop the draft; drop the user's data entirely when nothing else is in it."""
    drop_draft(context.user_data)
    if user_id is not None and context.user_data is not None and not context.user_data:
        context.application.drop_user_data(user_id)


async def expired(update: Update, context: VigiaContext, t: Translator) -> object:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(
            chat.id,
            t.gettext(
                "This report was not finished within 24 hours, so its draft was deleted. "
                "Send /reportar (or /report) to start again."
            ),
            reply_markup=main_menu_keyboard(t),
        )
    return END


def press_chat(update: Update) -> int:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("an intake update without a chat")
    return chat.id
