"""A desk with a moderation group, for the surge tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings
from tests.moderation.helpers import make_staff


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """MODERATION_CHAT_ID set, the cast's roles granted; limits are the test's to turn on."""
    bot = BotHarness(make_settings(tmp_path, moderation_chat_id=MODERATION_CHAT_ID))
    await bot.start()
    bot.fake.register_chat(MODERATION_CHAT_ID, title="Moderación")
    await make_staff(bot)
    try:
        yield bot
    finally:
        await bot.stop()
