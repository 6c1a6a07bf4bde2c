"""One-line answers many handlers give: a catalog text, in the user's language.

Texts are passed as msgids (marked with `N_` where they are written) and translated
here, so the same answer reads the same wherever it is given.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Bot, CallbackQuery, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from domain.i18n import N_
from handlers.context import VigiaContext

logger = logging.getLogger(__name__)

T = TypeVar("T")


async def reply(update: Update, context: VigiaContext, text: str) -> None:
    """Answer the message being handled with `text`; nothing if there is none."""
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(t.gettext(text))


async def alert(update: Update, context: VigiaContext, text: str) -> None:
    """Answer the button being handled with `text` as an alert; nothing if there is none."""
    query = update.callback_query
    if query is None:
        return
    t = await context.translator(update)
    await query.answer(t.gettext(text), show_alert=True)


async def not_available(update: Update, context: VigiaContext) -> None:
    """The same neutral answer as every other staff command gives a stranger."""
    await reply(update, context, N_("This command is not available."))


async def stale_button(update: Update, context: VigiaContext) -> None:
    """A button whose draft or file has moved on: a kind alert, and nothing done."""
    await alert(update, context, N_("This button is no longer active."))


async def answer_press(query: CallbackQuery) -> None:
    """End the press's spinner; a press Telegram calls too old (a slow connection, a
    restart) is still acted on, so a refused answer is only logged."""
    try:
        await query.answer()
    except TelegramError as exc:
        logger.info("press_answer_failed error=%s", type(exc).__name__)


async def answering(query: CallbackQuery, work: Awaitable[T]) -> T:
    """`answer_press` sent while `work` waits on the database, for presses that do.

    The answer's request is made in the time the work spends waiting for the database
    thread, and on a real connection both travel at once. (A press whose work never
    waits gains nothing: its answer would just be scheduled after it.)
    """
    answer = asyncio.ensure_future(answer_press(query))
    try:
        return await work
    finally:
        await answer


async def preparing(bot: Bot, chat_id: int, action: ChatAction) -> None:
    """Telegram's "sending a photo…" line while a slow answer (a chart, a file) is made.

    It lasts until the answer arrives (at most five seconds); if Telegram refuses it,
    the answer still follows."""
    try:
        await bot.send_chat_action(chat_id, action)
    except TelegramError as exc:
        logger.info("chat_action_failed error=%s", type(exc).__name__)
