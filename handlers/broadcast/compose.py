"""/broadcast (/difundir): Spanish text → English text or Skip → preview → Confirm.

A persistent conversation (`name="broadcast"`). The draft itself lives in the
`broadcasts` table, not in `user_data`: after a restart the sender continues at the
same step with the same texts. Every step re-checks the sender's role, and every
button carries its draft's id, so a button from an older draft cannot send a newer one.
"""

from __future__ import annotations

import logging
import re
import warnings
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from domain.i18n import N_
from handlers.broadcast.access import may_broadcast
from handlers.broadcast.launch import launch_broadcast
from handlers.broadcast.preview import send_preview, summary_keyboard, summary_text
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.replies import alert, not_available, reply, stale_button
from storage.broadcasts import Broadcast, BroadcastState

logger = logging.getLogger(__name__)

SPANISH, ENGLISH, PREVIEW = "spanish", "english", "preview"
END = ConversationHandler.END
_COMMAND = re.compile(r"^/\S+\s*")


def _body_html(message: Message) -> str:
    """The message as HTML (the sender's bold and links kept, everything else escaped)."""
    return message.text_html.strip() if message.text else ""


def _html_after_command(message: Message) -> str:
    return _COMMAND.sub("", message.text_html, count=1).strip() if message.text else ""


async def _own_draft(update: Update, context: VigiaContext) -> Broadcast | None:
    user = update.effective_user
    if user is None:
        return None
    return await context.services.broadcasts.latest_draft_by(user.id)


async def _broadcaster(update: Update, context: VigiaContext) -> User | None:
    """The sender, if they may still broadcast (every step checks again); else answered."""
    user = update.effective_user
    if update.effective_message is None or user is None:
        return None
    if not await may_broadcast(context, user.id):
        await not_available(update, context)
        return None
    return user


async def begin(update: Update, context: VigiaContext) -> str | int:
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return END
    user = await _broadcaster(update, context)
    if user is None:
        return END
    broadcasts = context.services.broadcasts
    await broadcasts.cancel_drafts_by(user.id)
    t = await context.translator(update)
    text = _html_after_command(message)
    if not text:
        await message.reply_text(
            t.gettext(
                "Write the broadcast in <b>Spanish</b>, as subscribers should read it. "
                "/cancel stops."
            )
        )
        return SPANISH
    return await _take_spanish(update, context, text)


async def got_spanish(update: Update, context: VigiaContext) -> str | int:
    message = update.effective_message
    if message is None or await _broadcaster(update, context) is None:
        return END
    return await _take_spanish(update, context, _body_html(message))


async def _take_spanish(update: Update, context: VigiaContext, text: str) -> str | int:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return END
    t = await context.translator(update)
    if not text:
        return SPANISH
    services = context.services
    draft_id = await services.broadcasts.create_draft(
        sender_id=user.id,
        sender_chat_id=chat.id,
        sender_language=t.language,
        text_es=text,
        to_channel=services.settings.channel_id is not None,
    )
    await message.reply_text(
        t.gettext(
            "Now the same text in <b>English</b> for subscribers who use English, or Skip "
            "and everyone gets the Spanish text."
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.gettext("Skip: Spanish for everyone"),
                        callback_data=f"bc:skip:{draft_id}",
                    )
                ]
            ]
        ),
    )
    return ENGLISH


async def got_english(update: Update, context: VigiaContext) -> str | int:
    message = update.effective_message
    if message is None or await _broadcaster(update, context) is None:
        return END
    text = _body_html(message)
    if not text:
        return ENGLISH
    draft = await _own_draft(update, context)
    if draft is None:
        return await _lost(update, context)
    await context.services.broadcasts.set_english(draft.id, text)
    return PREVIEW if await send_preview(update, context, draft.id) else END


async def skip_english(update: Update, context: VigiaContext) -> str | int:
    draft = await _pressed_draft(update, context)
    if draft is None:
        return END if await _denied(update, context) else ENGLISH
    await context.services.broadcasts.set_english(draft.id, None)
    return PREVIEW if await send_preview(update, context, draft.id) else END


async def toggle_channel(update: Update, context: VigiaContext) -> str | int:
    query = update.callback_query
    draft = await _pressed_draft(update, context)
    if draft is None or query is None:
        return END if await _denied(update, context) else PREVIEW
    if context.services.settings.channel_id is None:
        return PREVIEW
    await context.services.broadcasts.set_channel(draft.id, not draft.to_channel)
    fresh = await context.services.broadcasts.get(draft.id)
    if fresh is not None and isinstance(query.message, Message):
        t = await context.translator(update)
        await query.message.edit_text(
            await summary_text(t, context, fresh),
            reply_markup=summary_keyboard(t, fresh, has_channel=True),
        )
    return PREVIEW


async def confirm(update: Update, context: VigiaContext) -> str | int:
    query = update.callback_query
    draft = await _pressed_draft(update, context)
    if draft is None or query is None:
        return END if await _denied(update, context) else PREVIEW
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
    await launch_broadcast(update, context, draft)
    return END


async def cancel_button(update: Update, context: VigiaContext) -> str | int:
    query = update.callback_query
    draft = await _pressed_draft(update, context)
    if draft is None or query is None:
        return END if await _denied(update, context) else PREVIEW
    await context.services.broadcasts.cancel(draft.id)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
    t = await context.translator(update)
    await context.bot.send_message(query.from_user.id, t.gettext("Cancelled: nothing was sent."))
    return END


async def cancel_command(update: Update, context: VigiaContext) -> int:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return END
    await context.services.broadcasts.cancel_drafts_by(user.id)
    await reply(update, context, N_("Cancelled: nothing was sent."))
    return END


async def use_the_buttons(update: Update, context: VigiaContext) -> str:
    await reply(update, context, N_("Press Send or Cancel above, or /cancel."))
    return PREVIEW


async def not_text(update: Update, context: VigiaContext) -> None:
    await reply(
        update, context, N_("A broadcast is text only: write it as a message, or /cancel.")
    )


async def _pressed_draft(update: Update, context: VigiaContext) -> Broadcast | None:
    """The draft a button names, if the presser may send it and it is still a draft."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    if not await may_broadcast(context, query.from_user.id):
        return None
    draft = await _own_draft(update, context)
    wanted = query.data.rsplit(":", 1)[-1]
    if draft is None or str(draft.id) != wanted or draft.state is not BroadcastState.DRAFT:
        return None
    await query.answer()
    return draft


async def _denied(update: Update, context: VigiaContext) -> bool:
    """Answer a button that cannot act; True when the conversation should end."""
    query = update.callback_query
    if query is None:
        return True
    if not await may_broadcast(context, query.from_user.id):
        await alert(update, context, N_("This command is not available."))
        return True
    await stale_button(update, context)
    return False


async def _lost(update: Update, context: VigiaContext) -> int:
    await reply(update, context, N_("That draft is gone. Start again with /broadcast."))
    return END


def build_conversation() -> ConversationHandler[VigiaContext]:
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND & private
    other = ~filters.TEXT & ~filters.COMMAND & private
    cancel: CommandHandler[VigiaContext, object] = CommandHandler(
        aliases("cancelar", "cancel"), cancel_command, filters=private
    )
    with warnings.catch_warnings():
        # Buttons here belong to the one draft of this sender: per-chat tracking is right.
        warnings.filterwarnings(
            "ignore", message=r"If 'per_message=False'", category=PTBUserWarning
        )
        return ConversationHandler(
            entry_points=[
                CommandHandler(aliases("difundir", "broadcast"), begin, filters=private)
            ],
            states={
                SPANISH: [MessageHandler(text, got_spanish), MessageHandler(other, not_text)],
                ENGLISH: [
                    MessageHandler(text, got_english),
                    CallbackQueryHandler(skip_english, pattern=r"^bc:skip:\d+$"),
                    MessageHandler(other, not_text),
                ],
                PREVIEW: [
                    CallbackQueryHandler(confirm, pattern=r"^bc:go:\d+$"),
                    CallbackQueryHandler(cancel_button, pattern=r"^bc:no:\d+$"),
                    CallbackQueryHandler(toggle_channel, pattern=r"^bc:ch:\d+$"),
                    MessageHandler(~filters.COMMAND & private, use_the_buttons),
                ],
            },
            fallbacks=[cancel],
            name="broadcast",
            persistent=True,
            allow_reentry=True,
        )


def build_handlers() -> list[BaseHandler[Update, VigiaContext, Any]]:
    return [
        build_conversation(),
        # A broadcast button pressed outside its conversation (old message, after a send).
        CallbackQueryHandler(stale_button, pattern=r"^bc:(skip|go|no|ch):"),
    ]
