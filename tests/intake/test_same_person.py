"""The same chat reporting the same cédula within a day gets its earlier code back."""

from __future__ import annotations

import datetime as dt

from domain.receipts import format_receipt
from tests.harness import BotHarness
from tests.intake.helpers import DETENTION_EN, Family, family, reach_summary_en


async def file_once(harness: BotHarness, reporter: Family) -> str:
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    reports = await harness.services.reports.for_reporter(reporter.user.id)
    code = reports[0].receipt_code
    assert code is not None
    return code


async def test_same_cedula_within_a_day_points_to_the_earlier_report_without_its_code(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    code = await file_once(harness, reporter)
    harness.clock.advance(dt.timedelta(hours=3))
    await reporter.start_detention()
    await reporter.say("Pedro Pérez")
    await reporter.say("12345678")
    assert "You already reported this person in the last 24 hours" in reporter.last
    # Whoever holds the phone and knows a cédula must not get a code back (issue 14).
    assert format_receipt(code) not in reporter.last
    assert "/misreportes" in reporter.last
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 1
    await reporter.say("/report")
    assert "What would you like to report?" in reporter.last


async def test_same_cedula_after_a_day_makes_a_new_report(harness: BotHarness) -> None:
    reporter = family(harness)
    await file_once(harness, reporter)
    harness.clock.advance(dt.timedelta(hours=25))
    await file_once(harness, reporter)
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 2


async def test_another_chat_may_report_the_same_person(harness: BotHarness) -> None:
    await file_once(harness, family(harness))
    other = family(harness, harness.people.stranger)
    await other.start_detention("/report")
    await other.say("Pedro Pérez")
    await other.say("V12345678")
    assert "woman or a man" in other.last or "mujer u hombre" in other.last


async def test_editing_the_cedula_to_the_same_person_stops_without_the_earlier_code(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    code = await file_once(harness, reporter)
    await reporter.start_detention()
    await reporter.say("Pedro Pérez")
    await reporter.tap("Skip ⏭")
    await reporter.act(DETENTION_EN[3:])
    await reporter.tap("✏️ Change an answer")
    await reporter.tap("Cédula")
    await reporter.say("V-12.345.678")
    assert "You already reported this person" in reporter.last
    assert format_receipt(code) not in reporter.last
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 1
