"""The intake with a moderation group set, where new-report notices go."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings


@pytest.fixture
async def group_harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    bot = BotHarness(make_settings(tmp_path, moderation_chat_id=MODERATION_CHAT_ID))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
