"""Who may use the desk, and where.

The role is looked up for the acting user at the moment of each command or button,
never inferred from the chat; and even staff get desk answers only where no family
can read them: their private chat with the bot, or the moderation group. Everyone
else gets the same neutral answer as for a command that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Update
from telegram.constants import ChatType

from domain.i18n import Translator, normalise_language
from handlers.context import VigiaContext
from services.settings import Settings
from storage.roles import Role

# Desk work: moderators (admins always pass `Roles.has_any`).
DESK = (Role.MODERATOR,)
# Admin-only commands pass no extra role.
ADMIN_ONLY: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    """A staff member allowed to act here and now."""

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
        return Actor(user.id, chat.id, t)
    await not_available(update, t)
    return None


async def not_available(update: Update, t: Translator) -> None:
    """One answer for strangers, broadcasters and wrong places alike."""
    text = t.gettext("This command is not available.")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)
