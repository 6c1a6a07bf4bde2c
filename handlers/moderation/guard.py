"""Group -5: where the desk may speak, decided before any feature sees an update.

- In any group other than the moderation group, nothing runs: a message gets a short
  pointer to a private chat (no personal data, whoever asks, whatever they send), a
  button gets the neutral "not available".
- A reply to the desk's "write your question" prompt is the question for the
  report; it is taken here because the family-facing handlers would otherwise read
  a moderator's private reply as stray text.
Everything else passes on to the features in group 0.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.context import VigiaContext
from handlers.moderation.access import DESK, is_staff_place, not_available
from handlers.moderation.report_actions import ask

logger = logging.getLogger(__name__)


async def guard(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if is_staff_place(chat, context.services.settings):
        if await _answer_prompt(update, context):
            raise ApplicationHandlerStop
        return
    if chat.type != ChatType.CHANNEL:
        await _point_to_private_chat(update, context)
    raise ApplicationHandlerStop


async def _point_to_private_chat(update: Update, context: VigiaContext) -> None:
    t = await context.translator(update)
    if update.callback_query is not None:
        await not_available(update, t)
        return
    message = update.message
    if message is None or not _is_content(message):
        return
    logger.info("group_message_pointed_to_private")
    link = f"https://t.me/{context.bot.username}"
    await message.reply_text(
        t.gettext(
            "I only talk in private chats, to keep what you tell me safe. Please write to "
            "me there."
        ),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t.gettext("Open a private chat"), url=link)]]
        ),
    )


def _is_content(message: Message) -> bool:
    """Something a person sent, not a service note (joins, title changes)."""
    return bool(message.text or message.caption or message.effective_attachment)


async def _answer_prompt(update: Update, context: VigiaContext) -> bool:
    """True when the update was a moderator's reply to their question prompt."""
    message = update.message
    user = update.effective_user
    if message is None or user is None or message.text is None:
        return False
    question = message.text.strip()
    if not question or question.startswith("/"):
        return False
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return False
    services = context.services
    actor_key = services.audit.actor_key(user.id)
    prompt = await services.review.take_prompt(message.chat.id, replied.message_id, actor_key)
    if prompt is None:
        return False
    t = await context.translator(update)
    if not await services.roles.has_any(user.id, *DESK):
        await not_available(update, t)
        return True
    await ask(update, context, user.id, t, (prompt.report_id, prompt.report_version), question)
    return True


def build_guards() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [TypeHandler(Update, guard)]
