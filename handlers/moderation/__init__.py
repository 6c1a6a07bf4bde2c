"""The moderation handlers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import VigiaContext


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return []
