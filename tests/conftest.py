"""Fixtures shared by every test: catalogs compiled, settings, the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.i18n_tools import compile_all
from services.settings import Settings
from tests.harness import BotHarness, make_settings


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Tests always speak the catalogs as they are in the tree."""
    compile_all()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[BotHarness]:
    bot = BotHarness(settings)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
