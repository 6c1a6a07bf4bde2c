"""Whether a private chat is in the middle of something the bot asked it.

A chat is busy while one of its conversations runs (a report being told, a broadcast
being written, a file being imported) or while it owes the bot an answer (a receipt
code, a follow-up answer, a PIN: `storage.prompts`). The chat expiry leaves a busy
chat's messages for later, so nothing is deleted under the user's fingers.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ConversationHandler

from services.container import Services


def in_conversation(application: Application[Any, Any, Any, Any, Any, Any], chat_id: int) -> bool:
    """True while any conversation of the application holds this chat.

    PTB keeps a ConversationHandler's running conversations by (chat, user) key and
    has no public reader for them; `_conversations` is what its own `check_update`
    reads, and an ended or timed-out conversation leaves it.
    """
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and any(
                chat_id in key for key in handler._conversations
            ):
                return True
    return False


async def chat_is_busy(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services, chat_id: int
) -> bool:
    if in_conversation(application, chat_id):
        return True
    return await services.prompts.current(chat_id) is not None
