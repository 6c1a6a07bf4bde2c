"""Release updates: `/suscribir` `/subscribe`, `/desuscribir` `/unsubscribe`, and the buttons.

Intake offers a `sub:subscribe` button right after a report is filed; the main menu's
entry shows the current choice with the button that changes it. Buttons only act on
the chat that pressed them, so stale or forwarded ones cannot subscribe anybody else.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.menu import private_menu_chat

logger = logging.getLogger(__name__)

SUBSCRIBE = "sub:subscribe"
UNSUBSCRIBE = "sub:unsubscribe"
DECLINE = "sub:no"


def subscribed_text(t: Translator, new: bool) -> str:
    if new:
        return t.gettext(
            "Done: you will receive the organisation's verified release updates here. "
            "Send /unsubscribe to stop them."
        )
    return t.gettext(
        "You were already receiving the verified release updates. Send /unsubscribe to stop them."
    )


def unsubscribed_text(t: Translator, was: bool) -> str:
    if was:
        return t.gettext(
            "Done: you will no longer receive release updates. Send /subscribe to receive "
            "them again."
        )
    return t.gettext("You were not receiving release updates. Send /subscribe to receive them.")


def choice_keyboard(t: Translator, subscribed: bool) -> InlineKeyboardMarkup:
    if subscribed:
        button = InlineKeyboardButton(
            t.gettext("🔕 Stop release updates"), callback_data=UNSUBSCRIBE
        )
    else:
        button = InlineKeyboardButton(
            t.gettext("🔔 Receive release updates"), callback_data=SUBSCRIBE
        )
    return InlineKeyboardMarkup([[button]])


async def subscribe(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    t = await context.translator(update)
    new = await context.services.subscribers.subscribe(chat.id, t.language)
    logger.info("subscribed new=%s", new)
    await message.reply_text(subscribed_text(t, new))


async def unsubscribe(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    t = await context.translator(update)
    was = await context.services.subscribers.unsubscribe(chat.id)
    logger.info("unsubscribed was=%s", was)
    await message.reply_text(unsubscribed_text(t, was))


async def subscription_button(update: Update, context: VigiaContext) -> None:
    """`sub:subscribe`, `sub:unsubscribe`, `sub:no`: act, then take the buttons away."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    t = await context.translator(update)
    if chat.type != ChatType.PRIVATE:
        await query.answer()
        return
    subscribers = context.services.subscribers
    if query.data == SUBSCRIBE:
        text = subscribed_text(t, await subscribers.subscribe(chat.id, t.language))
    elif query.data == UNSUBSCRIBE:
        text = unsubscribed_text(t, await subscribers.unsubscribe(chat.id))
    elif query.data == DECLINE:
        await query.answer(t.gettext("All right. You can subscribe later with /subscribe."))
        await _drop_buttons(update)
        return
    else:
        await query.answer(
            t.gettext("This button is no longer active. Send /start to begin again."),
            show_alert=True,
        )
        return
    await query.answer()
    await _drop_buttons(update)
    logger.info("subscription_button action=%s", query.data.removeprefix("sub:"))
    await context.bot.send_message(chat.id, text)


async def subscription_menu(update: Update, context: VigiaContext) -> None:
    chat_id = await private_menu_chat(update)
    if chat_id is None:
        return
    t = await context.translator(update)
    subscribed = await context.services.subscribers.is_subscribed(chat_id)
    if subscribed:
        text = t.gettext("You receive the organisation's verified release updates.")
    else:
        text = t.gettext(
            "Receive the organisation's verified release updates here? Only releases the "
            "organisation has checked are announced."
        )
    await context.bot.send_message(chat_id, text, reply_markup=choice_keyboard(t, subscribed))


async def _drop_buttons(update: Update) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        # Already without buttons (a double tap): nothing to take away.
        logger.info("subscription_buttons_already_gone")


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(aliases("suscribir", "subscribe"), subscribe, filters=private),
        CommandHandler(aliases("desuscribir", "unsubscribe"), unsubscribe, filters=private),
        CallbackQueryHandler(subscription_button, pattern=r"^sub:"),
        CallbackQueryHandler(subscription_menu, pattern=r"^menu:subscribe$"),
    ]
