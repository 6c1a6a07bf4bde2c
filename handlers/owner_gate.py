"""Asking for the family's secret before an owner view (see `services.owner_gate`).

Kept apart from `handlers.owner` (which shows the views once the secret is right) so
that the views themselves (`/misreportes`, `/privacidad`) can ask without importing
each other.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.i18n import Translator
from handlers.context import VigiaContext
from storage.prompts import PromptKind

logger = logging.getLogger(__name__)

SECRET_PROMPT_LIFETIME = dt.timedelta(minutes=10)
OPEN_PREFIX = "owner:open:"
# The views a secret opens; `handlers.owner.entry` shows each.
TARGETS = frozenset({"mine", "privacy", "news", "pin"})


def ask_secret_text(t: Translator) -> str:
    return t.gettext(
        "🔑 Send your PIN, or one of your receipt codes. I delete your message as soon "
        "as I have read it. Send /cancel to stop."
    )


def open_button(t: Translator, target: str) -> InlineKeyboardMarkup:
    """One button that asks for the secret, then opens `target`."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.gettext("🔑 Open"), callback_data=f"{OPEN_PREFIX}{target}")]]
    )


async def may_show(context: VigiaContext, chat_id: int, t: Translator, target: str) -> bool:
    """True when the owner view `target` may be shown now; otherwise the chat is asked
    for its PIN or a receipt code (the answer opens the view) and False."""
    services = context.services
    if not await services.gate.needs_secret(chat_id):
        return True
    await services.prompts.open(chat_id, PromptKind.SECRET, SECRET_PROMPT_LIFETIME, target=target)
    logger.info("owner_view_asked target=%s", target)
    await context.bot.send_message(chat_id, ask_secret_text(t))
    return False
