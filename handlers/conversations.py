"""Whether a private chat is in the middle of something the bot asked it, and ending
what it is in.

A chat is busy while one of its conversations runs (a report being told, a broadcast
being written, a file being imported) or while it owes the bot an answer (a receipt
code, a follow-up answer, a PIN: `storage.prompts`). The chat expiry leaves a busy
chat's messages for later, so nothing is deleted under the user's fingers; forgetting
a chat ends its conversations.

This is the one module that touches python-telegram-bot's private state. PTB keeps a
ConversationHandler's running conversations in `_conversations` (keyed by chat and
user ids) and ends one with `_update_state(END, key)`; it has no public reader or
ender for either. tests/layers/test_public_framework.py fails loudly when PTB changes
them, and no other module may reach into PTB's private names.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ConversationHandler

from services.container import Services

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
ConversationKey = tuple[int | str, ...]


def _conversation_handlers(application: AnyApplication) -> list[ConversationHandler[Any]]:
    return [
        handler
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
    ]


def running_keys(handler: ConversationHandler[Any], chat_id: int) -> list[ConversationKey]:
    """The keys of the conversations `handler` runs for this chat (private PTB state)."""
    return [key for key in handler._conversations if chat_id in key]


def in_conversation(application: AnyApplication, chat_id: int) -> bool:
    """True while any conversation of the application holds this chat; an ended or
    timed-out conversation leaves PTB's table."""
    return any(running_keys(handler, chat_id) for handler in _conversation_handlers(application))


def end_conversations(application: AnyApplication, chat_id: int) -> int:
    """End every conversation this private chat is in (a report half told, a broadcast
    being written); returns how many.

    Their state is keyed by the chat and user ids, and the persistence keeps that key
    sealed beside the state: ending the conversation is what deletes the row at the
    next persistence round. `_update_state(END, key)` is what a conversation's own end
    and its timeout do; the pending timeout job goes first (`timeout_jobs` is public).
    """
    ended = 0
    for handler in _conversation_handlers(application):
        for key in running_keys(handler, chat_id):
            job = handler.timeout_jobs.pop(key, None)
            if job is not None:
                job.schedule_removal()
            handler._update_state(ConversationHandler.END, key)
            ended += 1
    return ended


async def chat_is_busy(application: AnyApplication, services: Services, chat_id: int) -> bool:
    if in_conversation(application, chat_id):
        return True
    return await services.prompts.current(chat_id) is not None
