"""/olvidarme, /forget_me: unlink this chat from everything the bot keeps about it.

The reports stay with the organisation (they document a detention, which matters
beyond this family) but no longer point to any Telegram account. Subscriptions,
queued messages to the chat, a pending question, the language choice, privacy
choices, an unfinished draft and the tracked message ids go. A block placed by
moderators stays: forgetting must not become a way around quarantine.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.conversations import end_conversations
from handlers.safety.wipe import (
    FORGET_AFTER_REPORT,
    FORGET_FROM_WIPE,
    tell_outcome,
    wipe_chat,
)

logger = logging.getLogger(__name__)


async def ask_forget(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    _ = t.gettext
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("Forget me"), callback_data="safety:forget:yes")],
            [
                InlineKeyboardButton(
                    _("Forget me and delete the messages"), callback_data="safety:forget:wipe"
                )
            ],
            [InlineKeyboardButton(_("Cancel"), callback_data="safety:forget:no")],
        ]
    )
    await message.reply_text(
        _(
            "Forget this chat? Your reports stay with the organisation, which keeps "
            "documenting the case, but they will no longer be linked to this Telegram "
            "account: you will not receive news about them or be able to see their "
            "details from here. Your subscription, language and privacy choices are "
            "deleted too. Receipt codes still show a report's status."
        ),
        reply_markup=keyboard,
    )


async def forget_chat(context: VigiaContext, chat_id: int, *, keep_tracking: bool = False) -> int:
    """Everything except the reports themselves; returns how many reports were unlinked.

    `keep_tracking` keeps the chat's message ids and expiry choice, so what is on the
    phone still disappears on time: the quiet unlink of the duress PIN wants that, and
    its messages must not outlive the chat's expiry because of it."""
    services = context.services
    unlinked = await services.privacy.unlink_reporter(chat_id)
    await services.gate.secrets.forget(chat_id)
    services.gate.close(chat_id)
    await services.subscribers.unsubscribe(chat_id)
    await services.outbox.forget_chat(chat_id)
    await services.prompts.close(chat_id)
    await services.prefs.forget(chat_id)
    await services.privacy.forget_prefs(chat_id)
    end_conversations(context.application, chat_id)
    context.application.drop_chat_data(chat_id)
    context.application.drop_user_data(chat_id)
    if not keep_tracking:
        await services.tracker.flush()
        await services.tracker.store.forget_chat(chat_id)
    # Now, not at the next persistence round: the sealed ids leave the database, then
    # the checkpoint takes their older copies out of the files (see Database.checkpoint).
    await context.application.update_persistence()
    await services.db.checkpoint()
    logger.info("chat_forgotten reports=%d", unlinked)
    return unlinked


async def confirm_forget(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    await query.answer()
    # The language is part of what is forgotten: take it before.
    t = await context.translator(update)
    choice = query.data.removeprefix("safety:forget:")
    if choice == "no":
        await query.edit_message_text(t.gettext("Nothing was changed."))
        return
    if choice == "wipe":
        outcome = await wipe_chat(context, chat.id)
        await forget_chat(context, chat.id)
        await tell_outcome(context, chat.id, t, outcome)
        return
    await forget_chat(context, chat.id)
    await query.edit_message_text(
        t.gettext(
            "Done. This chat is no longer linked to any report, and I have deleted your "
            "choices. To remove the messages too, delete this chat in Telegram."
        )
    )


async def wipe_and_forget(update: Update, context: VigiaContext) -> None:
    """ "…and unlink this phone" of /borrar and of the offer after a report."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    await query.answer()
    t = await context.translator(update)
    outcome = await wipe_chat(context, chat.id)
    await forget_chat(context, chat.id)
    await tell_outcome(context, chat.id, t, outcome)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CallbackQueryHandler(
            wipe_and_forget, pattern=rf"^({FORGET_FROM_WIPE}|{FORGET_AFTER_REPORT})$"
        ),
        CommandHandler(
            aliases("olvidarme", "forget_me"), ask_forget, filters=filters.ChatType.PRIVATE
        ),
        CallbackQueryHandler(confirm_forget, pattern=r"^safety:forget:(yes|wipe|no)$"),
    ]
