"""The framework's floor: a bare python-telegram-bot echo bot on the fake Bot API.

Imports nothing of Vigía but the fake API, so its memory baseline is Python, PTB and
the fake alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from fake_telegram import FakeRequest, FakeTelegram, FakeUser, Rig, updates

AnyApp = Application[Any, Any, Any, Any, Any, Any]
ECHO_TOKEN = "1:offline"  # noqa: S105 - reaches no server
OFFLINE_URL = "http://127.0.0.1:9/bot"


@dataclass(slots=True)
class Running:
    """A started application, its fake Telegram and a rig to play users."""

    app: AnyApp
    fake: FakeTelegram
    rig: Rig

    async def feed_text(self, user: FakeUser, text: str) -> None:
        await self.rig.feed(updates.text_update(self.fake, user, text))


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def build_echo(fake: FakeTelegram) -> AnyApp:
    """One MessageHandler that repeats the text; concurrent like Vigía (256 at a time)."""
    app: AnyApp = (
        Application.builder()
        .token(ECHO_TOKEN)
        .base_url(OFFLINE_URL)
        .request(FakeRequest(fake))
        .get_updates_request(FakeRequest(fake))
        .concurrent_updates(256)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    return app


@contextlib.asynccontextmanager
async def echo_bot() -> AsyncIterator[Running]:
    fake = FakeTelegram()
    app = build_echo(fake)
    async with app:
        await app.start()
        try:
            yield Running(app, fake, Rig(app, fake))
        finally:
            await app.stop()


def family(index: int, language: str = "en") -> FakeUser:
    """Families get ids far from staff ids, one per index."""
    return FakeUser(id=10_000_000 + index, first_name=f"F{index}", language_code=language)
