"""Two desks: one with a moderation group, one where moderators work privately."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings
from tests.moderation.helpers import make_staff


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot with MODERATION_CHAT_ID set and the cast's roles granted."""
    bot = BotHarness(make_settings(tmp_path, moderation_chat_id=MODERATION_CHAT_ID))
    await bot.start()
    bot.fake.register_chat(MODERATION_CHAT_ID, title="Moderación")
    await make_staff(bot)
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.fixture
async def private_desk(harness: BotHarness) -> BotHarness:
    """No moderation group: the desk works in each moderator's private chat."""
    await make_staff(harness)
    return harness
