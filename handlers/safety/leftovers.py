"""What the bot says when it could not delete everything, and how to remove the rest.

Telegram lets a bot delete a message only for 48 hours; what it refused or could no
longer delete stays on the phone until the family deletes the chat there. Every wipe
says how many are left (never "done" when any are), and how to remove them.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.sending import Rows

logger = logging.getLogger(__name__)

CLEAR_CALLBACK = "safety:left:clear"


def left_text(t: Translator, left: int) -> str:
    """How many messages are still on the phone, and why."""
    return t.ngettext(
        "<b>{count} message</b> of this chat is still on this phone: Telegram no longer "
        "lets me delete it (a bot can delete a message only during its first 48 hours).",
        "<b>{count} messages</b> of this chat are still on this phone: Telegram no longer "
        "lets me delete them (a bot can delete a message only during its first 48 hours).",
        left,
    ).format(count=t.number(left))


def removal_help(t: Translator) -> str:
    """How to delete the chat on the phone, and the two settings that help."""
    return t.gettext(
        "To remove them, delete this chat on your phone:\n"
        "• Android: open the chat, tap ⋮ at the top right and choose «Delete chat».\n"
        "• iPhone: in the chat list, swipe this chat to the left, tap «Delete» and "
        "then «Delete chat».\n"
        "Also helpful: Telegram's own auto-delete timer (in the chat's menu, "
        "«Auto-delete») removes new messages by itself, and switching off message "
        "previews in your phone's notification settings keeps them off the lock screen."
    )


def leftover_notice(t: Translator, left: int) -> str:
    return f"{left_text(t, left)}\n\n{removal_help(t)}"


def clear_rows(t: Translator) -> Rows:
    return [[(t.gettext("✅ I have deleted them on my phone"), CLEAR_CALLBACK)]]


async def clear_leftovers(update: Update, context: VigiaContext) -> None:
    """The family deleted the old messages on its phone: stop counting them."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    t = await context.translator(update)
    cleared = await context.services.expiry.chats.clear_left(chat.id)
    logger.info("chat_leftovers_cleared found=%s", cleared > 0)
    await query.answer(t.gettext("Thank you: I no longer count them."))
    await query.edit_message_reply_markup(reply_markup=None)
