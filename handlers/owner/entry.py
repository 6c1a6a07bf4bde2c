"""The answer to "send your PIN or a receipt code", and the views it opens.

Called by the prompt router (`handlers.status.prompts`, group -1) while the chat owes
a secret. The typed message is deleted first, whatever it held. A right PIN or code
opens the chat for a few minutes and shows the view it was asked for; the duress PIN
quietly unlinks the chat and shows that view as a chat without reports sees it; a
wrong one gets the same words whether or not the chat has reports.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.menu import private_menu_chat
from handlers.owner.news import send_news
from handlers.owner.pin import answer_step, send_pin_menu
from handlers.owner.unlink import DURESS_UNLINK, LOCKOUT_UNLINK, discard_typed, quiet_unlink
from handlers.owner_gate import OPEN_PREFIX, TARGETS, may_show
from handlers.safety.privacy import send_privacy
from handlers.status.mine import send_my_reports
from services.owner_gate import Proof
from services.status_texts import lockout_text
from storage.prompts import PromptKind

logger = logging.getLogger(__name__)


def wrong_secret_text(t: Translator) -> str:
    return t.gettext(
        "That does not match. Send your PIN or a receipt code again, or /cancel to stop."
    )


async def show_target(context: VigiaContext, chat_id: int, t: Translator, target: str) -> None:
    if target == "mine":
        await send_my_reports(context, chat_id, t)
    elif target == "privacy":
        await send_privacy(context, chat_id, t)
    elif target == "news":
        await send_news(context, chat_id, t)
    elif target == "pin":
        await send_pin_menu(context, chat_id, t)


async def answer_secret(update: Update, context: VigiaContext, target: str | None) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.text is None:
        return
    services = context.services
    # The language is among what a duress unlink forgets: take it first.
    t = await context.translator(update)
    await discard_typed(context, message)
    result = await services.gate.prove(chat.id, message.text)
    logger.info("owner_secret_answered outcome=%s", result.proof.value)
    if result.proof is Proof.OWNER or result.proof is Proof.DURESS:
        await services.prompts.close(chat.id)
        if result.proof is Proof.DURESS:
            await quiet_unlink(context, chat.id, DURESS_UNLINK)
        await show_target(context, chat.id, t, target or "mine")
        return
    if result.proof is Proof.UNLINK:
        await quiet_unlink(context, chat.id, LOCKOUT_UNLINK)
    if result.lockout is not None:
        await services.prompts.close(chat.id)
        await context.bot.send_message(chat.id, lockout_text(t, result.lockout))
        return
    await context.bot.send_message(chat.id, wrong_secret_text(t))


async def open_view(update: Update, context: VigiaContext) -> None:
    """`owner:open:<view>` buttons: the secret first, unless the chat is open."""
    query = update.callback_query
    target = (query.data or "").removeprefix(OPEN_PREFIX) if query is not None else ""
    chat_id = await private_menu_chat(update)
    if chat_id is None or target not in TARGETS:
        return
    t = await context.translator(update)
    if await may_show(context, chat_id, t, target):
        await show_target(context, chat_id, t, target)


async def route_secret(update: Update, context: VigiaContext) -> None:
    """Group -2: a text typed while the chat owes a secret or a PIN goes nowhere else."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    prompt = await context.services.prompts.current(chat.id)
    if prompt is None or prompt.kind not in (PromptKind.SECRET, PromptKind.PIN):
        return
    if prompt.kind is PromptKind.SECRET:
        await answer_secret(update, context, prompt.target)
    else:
        await answer_step(update, context, prompt.target)
    raise ApplicationHandlerStop


def build_prompt_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    """For group -2, before the other prompts: texts that are not commands."""
    return [
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.UpdateType.MESSAGE
            & filters.TEXT
            & ~filters.COMMAND,
            route_secret,
        )
    ]


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [CallbackQueryHandler(open_view, pattern=rf"^{OPEN_PREFIX}")]
