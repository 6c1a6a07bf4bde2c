"""The quiet unlink: the duress PIN, and the lockout after 10 wrong PINs in a row.

It does what /olvidarme does (`handlers.safety.forget.forget_chat`), except that the
chat's messages keep expiring on time, and writes an audit event that says no more
than what happened: no chat, no report, no actor.
"""

from __future__ import annotations

import logging

from telegram import Message
from telegram.error import TelegramError

from handlers.context import VigiaContext
from handlers.safety.forget import forget_chat

logger = logging.getLogger(__name__)

DURESS_UNLINK = "duress unlink"
LOCKOUT_UNLINK = "lockout unlink"


async def quiet_unlink(context: VigiaContext, chat_id: int, action: str) -> None:
    await forget_chat(context, chat_id, keep_tracking=True)
    await context.services.audit.record(
        actor_id=None, action=action, target_type="chat", target_id=None
    )


async def discard_typed(context: VigiaContext, message: Message) -> None:
    """Delete a PIN or code the user just typed: a secret left in the chat defeats it."""
    try:
        await context.bot.delete_message(message.chat.id, message.message_id)
    except TelegramError as exc:
        logger.warning("secret_not_deleted error=%s", type(exc).__name__)
        return
    tracker = context.services.tracker
    await tracker.flush()
    await tracker.store.forget_messages(message.chat.id, [message.message_id])
