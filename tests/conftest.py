"""Fixtures shared by every test: catalogs compiled, settings, the running bot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from bot.i18n_tools import compile_all
from services.settings import Settings
from tests.harness import BotHarness, make_settings

# Property tests drive the real bot on fresh databases, a second or two an example.
# `ci` (the default) keeps the suite fast on two cores; `HYPOTHESIS_PROFILE=thorough`
# runs many more examples before a release. Neither keeps an example database.
# `ci` skips shrinking, which on these tests can run for minutes: a failure shows the
# example as drawn; rerun it under `thorough` for the smallest one.
hypothesis_settings.register_profile(
    "ci",
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
hypothesis_settings.register_profile(
    "thorough",
    hypothesis_settings.get_profile("ci"),
    max_examples=200,
    phases=list(Phase),
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
