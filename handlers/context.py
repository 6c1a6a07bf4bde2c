"""Typed callback context: handlers reach services through properties, never a dict."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from domain.i18n import Translator
from services.container import BotData, Services


class VigiaContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every Vigía handler receives."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    async def translator_for(self, user: User | None) -> Translator:
        """The user's stored language, else Telegram's, else the deployment default."""
        services = self.services
        if user is None:
            return services.catalogs.get(None)
        stored = await services.prefs.language(user.id)
        return services.catalogs.get(services.catalogs.resolve(stored, user.language_code))

    async def translator(self, update: Update) -> Translator:
        return await self.translator_for(update.effective_user)


VigiaApp: TypeAlias = Application[
    ExtBot[None],
    VigiaContext,
    dict[Any, Any],
    dict[Any, Any],
    BotData,
    JobQueue[VigiaContext],
]
