"""The chat's next text, when the bot asked for it: a receipt code, a follow-up answer,
the family's secret before an owner view, or a PIN being set. The typed secrets and
PINs themselves are read one group earlier (`handlers.owner.entry`, group -2); commands,
/cancel and attachments for those prompts are handled here like any other.

These handlers run in group -1, before every feature: a private message from a chat
with an open prompt (`storage.prompts`) is answered here and goes no further. The
prompt lives in the database, so an answer typed after a restart still lands on the
right report. Any other command or button means the user moved on: the prompt is
dropped and the update continues to the feature it belongs to; `/cancel` drops it
and says so.
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

from handlers.context import VigiaContext
from handlers.menu import main_menu_keyboard
from handlers.status.followup import receive_answer
from handlers.status.lookup import answer_code
from services.followup import REPLY_PREFIX
from storage.prompts import PromptKind

logger = logging.getLogger(__name__)

CANCEL_COMMANDS = frozenset({"cancel", "cancelar"})
# Buttons that open a prompt themselves must not close it on their way in.
_OWN_BUTTONS = ("menu:status", REPLY_PREFIX)


def _command_name(text: str) -> str:
    """`/Cancel@VigiaBot now` → `cancel`."""
    return text.split(None, 1)[0].removeprefix("/").split("@", 1)[0].lower()


async def route_message(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    prompts = context.services.prompts
    prompt = await prompts.current(chat.id)
    if prompt is None:
        return
    text = message.text
    if text is not None and text.startswith("/"):
        await prompts.close(chat.id)
        if _command_name(text) not in CANCEL_COMMANDS:
            return
        t = await context.translator(update)
        await message.reply_text(
            t.gettext("Done, I stopped waiting. What would you like to do?"),
            reply_markup=main_menu_keyboard(t),
        )
        raise ApplicationHandlerStop
    if text is None:
        t = await context.translator(update)
        if prompt.kind is PromptKind.STATUS_CODE:
            hint = t.gettext("Please type the code as text: 16 digits. Send /cancel to stop.")
        elif prompt.kind in (PromptKind.SECRET, PromptKind.PIN):
            hint = t.gettext("Please type the digits as text. Send /cancel to stop.")
        else:
            hint = t.gettext("Please write your answer as text. Send /cancel to stop.")
        await message.reply_text(hint)
        raise ApplicationHandlerStop
    if prompt.kind in (PromptKind.SECRET, PromptKind.PIN):
        # Answered in group -2 (`handlers.owner.entry`); a text reaching here is stale.
        await prompts.close(chat.id)
    elif prompt.kind is PromptKind.STATUS_CODE:
        await prompts.close(chat.id)
        await answer_code(update, context, text)
    elif prompt.followup_id is None:
        await prompts.close(chat.id)
    elif await receive_answer(update, context, prompt.followup_id):
        await prompts.close(chat.id)
    raise ApplicationHandlerStop


async def route_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    if (query.data or "").startswith(_OWN_BUTTONS):
        return
    if await context.services.prompts.current(chat.id) is not None:
        await context.services.prompts.close(chat.id)


def build_prompt_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    """For group -1 (see the module docstring)."""
    return [
        # What a person sends (text or any attachment), never a service message;
        # two checks instead of the two dozen of `~filters.StatusUpdate.ALL`, on
        # every private message.
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.UpdateType.MESSAGE
            & (filters.TEXT | filters.ATTACHMENT),
            route_message,
        ),
        CallbackQueryHandler(route_button),
    ]
