"""Who may use the desk, and where.

The role is looked up for the acting user at the moment of each command or button,
never inferred from the chat; and even staff get desk answers only where no family
can read them: their private chat with the bot, or the moderation group. Everyone
else gets the same neutral answer as for a command that does not exist.

The moderation group sees no identities (issue 14): a command typed or a button
pressed there is answered in the staff member's private chat with the bot. Whether
the bot may write there is tried first (a chat action: Telegram refuses a bot that
was never started); if not, the group is told how to open that chat, and nothing is
done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden

from domain.i18n import Translator, normalise_language
from handlers.context import VigiaContext
from services.settings import Settings
from storage.roles import Role

logger = logging.getLogger(__name__)

# Desk work: moderators (admins always pass `Roles.has_any`).
DESK = (Role.MODERATOR,)
# Admin-only commands pass no extra role.
ADMIN_ONLY: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    """A staff member allowed to act here and now; answered in `chat_id`, their private
    chat with the bot, wherever they asked."""

    user_id: int
    chat_id: int
    t: Translator


def is_staff_place(chat: Chat, settings: Settings) -> bool:
    return chat.type == ChatType.PRIVATE or chat.id == settings.moderation_chat_id


async def require(update: Update, context: VigiaContext, *roles: Role) -> Actor | None:
    """The actor if their role allows it here; otherwise answer neutrally and None."""
    user, chat = update.effective_user, update.effective_chat
    t = await context.translator(update)
    services = context.services
    if (
        user is not None
        and chat is not None
        and is_staff_place(chat, services.settings)
        and await services.roles.has_any(user.id, *roles)
    ):
        language = normalise_language(user.language_code)
        if language is not None:
            # The digest has no update to read it from: keep it for the morning.
            await services.review.remember_staff_language(user.id, language)
        if chat.type != ChatType.PRIVATE and not await reaches_privately(update, context, t):
            return None
        return Actor(user.id, user.id, t)
    await not_available(update, t)
    return None


def in_group(update: Update) -> bool:
    """The update came from the moderation group (guards let no other group through)."""
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def acknowledge(update: Update, t: Translator) -> None:
    """Answer a pressed button: pressed in the group, say where the answer went."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(t.gettext("📬 Sent to our private chat.") if in_group(update) else None)


async def reaches_privately(update: Update, context: VigiaContext, t: Translator) -> bool:
    """Whether the bot may write to the presser privately; if not, say how in the group."""
    user = update.effective_user
    if user is None:
        return False
    try:
        await context.bot.send_chat_action(user.id, ChatAction.TYPING)
    except (Forbidden, BadRequest) as exc:
        logger.info("desk_private_chat_missing error=%s", type(exc).__name__)
        text = t.gettext(
            "I answer desk requests in private, and I cannot write to you yet: open a "
            "private chat with me and press Start, then try again."
        )
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            link = f"https://t.me/{context.bot.username}"
            button = InlineKeyboardButton(t.gettext("Open a private chat"), url=link)
            await update.effective_message.reply_text(
                text, reply_markup=InlineKeyboardMarkup([[button]])
            )
        return False
    if update.callback_query is None and update.effective_message is not None:
        await update.effective_message.reply_text(
            t.gettext("📬 I answer you in our private chat.")
        )
    return True


async def not_available(update: Update, t: Translator) -> None:
    """One answer for strangers, broadcasters and wrong places alike."""
    text = t.gettext("This command is not available.")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)
