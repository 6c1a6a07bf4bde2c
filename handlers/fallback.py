"""Last-resort answers: nothing a user sends is met with silence.

Registered after every feature's handlers in the same group, so they only see what
no feature claimed: unknown commands, content nobody asked for, stale buttons.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from domain.i18n import N_
from handlers.context import VigiaContext
from handlers.menu import main_menu_keyboard

logger = logging.getLogger(__name__)


async def _answer_with_menu(update: Update, context: VigiaContext, event: str, text: str) -> None:
    """Log which fallback caught the message (`event`), then `text` and the main menu,
    so the user always has a way forward."""
    message = update.effective_message
    if message is None:
        return
    logger.info(event)
    t = await context.translator(update)
    await message.reply_text(t.gettext(text), reply_markup=main_menu_keyboard(t))


async def unknown_command(update: Update, context: VigiaContext) -> None:
    text = N_("I don't know that command. Send /help to see what I can do.")
    await _answer_with_menu(update, context, "unknown_command", text)


async def unexpected_content(update: Update, context: VigiaContext) -> None:
    text = N_(
        "I wasn't expecting that here. To report something, send /report; "
        "for everything else, choose from the menu."
    )
    await _answer_with_menu(update, context, "unexpected_content", text)


async def stale_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None:
        return
    logger.info("stale_button")
    t = await context.translator(update)
    await query.answer(
        t.gettext("This button is no longer active. Send /start to begin again."),
        show_alert=True,
    )


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.StatusUpdate.ALL, unexpected_content),
        CallbackQueryHandler(stale_button),
    ]
