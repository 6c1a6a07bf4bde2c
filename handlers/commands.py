"""The public command menu, published per language with `set_my_commands`.

Each entry names the command in Spanish and in English; both names work in any
language, the menu shows the one that matches the user's Telegram language.

The menu is what anyone holding a family's phone sees on typing "/" in the chat, so
it holds only words any reminders bot could use: start, help, language, privacy,
delete, cancel. Every feature is reached from the /start buttons, which expire with
the rest of the chat; the feature commands still work when typed. Staff commands
are published only in chat-scoped menus (`handlers/moderation/menu.py`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import BotCommand
from telegram.error import TelegramError

from domain.i18n import N_
from handlers.context import VigiaApp

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MenuCommand:
    spanish: str
    english: str
    description: str

    def name_for(self, language: str) -> str:
        return self.spanish if language == "es" else self.english


PUBLIC_COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("start", "start", N_("Main menu")),
    MenuCommand("ayuda", "help", N_("Help")),
    MenuCommand("idioma", "language", N_("Change language")),
    MenuCommand("privacidad", "privacy", N_("Privacy")),
    MenuCommand("pin", "pin", N_("PIN")),
    MenuCommand("novedades", "news", N_("What's new")),
    MenuCommand("borrar", "wipe", N_("Delete this conversation")),
    MenuCommand("cancelar", "cancel", N_("Cancel what you are doing")),
)


def aliases(spanish: str, english: str) -> list[str]:
    """Both names of a command, without repeating one that is the same in both."""
    return [spanish] if spanish == english else [spanish, english]


async def publish_command_menus(application: VigiaApp) -> None:
    """One menu per language; the default menu follows DEFAULT_LANGUAGE."""
    services = application.bot_data.services
    for translator in services.catalogs.all():
        commands = [
            BotCommand(entry.name_for(translator.language), translator.gettext(entry.description))
            for entry in PUBLIC_COMMANDS
        ]
        try:
            await application.bot.set_my_commands(commands, language_code=translator.language)
            if translator.language == services.settings.default_language:
                await application.bot.set_my_commands(commands)
        except TelegramError as exc:
            logger.warning("command_menu_not_published error=%s", type(exc).__name__)
