"""Startup: the bot's name, description and short description, neutral, per language.

Each text is read back first and set only when it differs: Telegram limits how often
a bot may change them, and a restart must not spend that budget. The default (no
language) takes DEFAULT_LANGUAGE's text. A failure is logged, never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import TelegramError

from handlers.context import VigiaApp
from services.bot_profile import PerLanguage

logger = logging.getLogger(__name__)

Read = Callable[[str | None], Awaitable[str]]
Write = Callable[[str, str | None], Awaitable[bool]]


def _fields(bot: Bot) -> list[tuple[str, Read, Write]]:
    async def read_name(language: str | None) -> str:
        return (await bot.get_my_name(language_code=language)).name

    async def read_description(language: str | None) -> str:
        return (await bot.get_my_description(language_code=language)).description

    async def read_short(language: str | None) -> str:
        return (await bot.get_my_short_description(language_code=language)).short_description

    async def write_name(text: str, language: str | None) -> bool:
        return await bot.set_my_name(text, language_code=language)

    async def write_description(text: str, language: str | None) -> bool:
        return await bot.set_my_description(text, language_code=language)

    async def write_short(text: str, language: str | None) -> bool:
        return await bot.set_my_short_description(text, language_code=language)

    return [
        ("name", read_name, write_name),
        ("description", read_description, write_description),
        ("short_description", read_short, write_short),
    ]


async def publish_profile(application: VigiaApp) -> None:
    settings = application.bot_data.services.settings
    texts: dict[str, PerLanguage] = {
        "name": settings.bot_display_name,
        "description": settings.bot_description,
        "short_description": settings.bot_short_description,
    }
    for field, read, write in _fields(application.bot):
        wanted = texts[field]
        slots: list[tuple[str | None, str]] = [
            (None, wanted.get(settings.default_language, "")),
            *wanted.items(),
        ]
        for language, text in slots:
            if not text:
                continue  # left as set with @BotFather
            try:
                if await read(language) != text:
                    await write(text, language)
                    logger.info("bot_profile_set field=%s language=%s", field, language)
            except TelegramError as exc:
                logger.warning("bot_profile_not_set field=%s error=%s", field, type(exc).__name__)
