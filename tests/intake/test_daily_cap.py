"""The daily cap on new reports per chat (settings.daily_report_cap) is kept by intake."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.vocabulary import ReportKind
from storage.reports import NewReport
from tests.harness import BotHarness, make_settings
from tests.intake.helpers import family, reach_summary_en


@pytest.fixture
async def capped(tmp_path: Path) -> AsyncIterator[BotHarness]:
    bot = BotHarness(make_settings(tmp_path, daily_report_cap=1))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def test_a_new_report_over_the_daily_cap_is_not_started(capped: BotHarness) -> None:
    reporter = family(capped)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    await reporter.start_detention()
    assert "the most it can send in one day" in reporter.last


async def test_a_draft_confirmed_over_the_cap_is_kept_for_tomorrow(capped: BotHarness) -> None:
    reporter = family(capped)
    await reach_summary_en(reporter)
    await capped.services.reports.file(
        NewReport(
            kind=ReportKind.UPDATE,
            reporter_chat_id=reporter.user.id,
            reporter_language="en",
            draft_token=secrets.token_hex(8),
        )
    )
    await reporter.tap("✅ Confirm and send")
    assert "please confirm again tomorrow" in reporter.last
    assert len(await capped.services.reports.for_reporter(reporter.user.id)) == 1
    await reporter.tap("✅ Confirm and send")
    assert "please confirm again tomorrow" in reporter.last
