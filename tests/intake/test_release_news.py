"""Reporting a release, and news on an earlier report."""

from __future__ import annotations

import datetime as dt
import secrets

from domain.receipts import format_receipt
from domain.vocabulary import ReportKind
from storage.reports import Filed, NewReport, Report
from tests.harness import BotHarness
from tests.intake.helpers import Family, family, reach_release_conditions


async def earlier_report(harness: BotHarness, chat_id: int = 2999) -> Filed:
    return await harness.services.reports.file(
        NewReport(
            kind=ReportKind.DETENTION,
            reporter_chat_id=chat_id,
            reporter_language="es",
            draft_token=secrets.token_hex(8),
            person_name="Luis Rojas",
            cedula="V9876543",
            detained_on=dt.date(2026, 1, 2),
            federal_entity="lara",
            detaining_body="dgcim",
            whereabouts="helicoide",
        )
    )


async def latest(harness: BotHarness, reporter: Family) -> Report:
    reports = await harness.services.reports.for_reporter(reporter.user.id)
    assert reports, "no report was filed"
    report = await harness.services.reports.by_id(reports[0].id)
    assert report is not None
    return report


async def test_a_release_with_a_receipt_code_is_linked_to_that_report(
    harness: BotHarness,
) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    await reporter.start_report("🔓 A release")
    await reporter.say(format_receipt(earlier.receipt_code).replace(" ", "-"))
    assert "were they released" in reporter.last
    await reporter.say("hoy")
    await reporter.tap("▫️ Court presentation every few days")
    await reporter.tap("▫️ Travel ban")
    await reporter.tap("✅ Done")
    assert "Every how many <b>days</b>" in reporter.last
    await reporter.say("8")
    await reporter.tap("El Helicoide")
    await reporter.tap("✅ Yes")
    await reporter.tap("No")
    assert "every 8 days" in reporter.last
    assert "Luis Rojas" not in reporter.last  # a code does not reveal the person
    await reporter.tap("✅ Confirm and send")
    report = await latest(harness, reporter)
    assert report.kind is ReportKind.RELEASE
    assert report.parent_report_id == earlier.report.id
    assert report.person_name == "Luis Rojas" and report.cedula == "V9876543"
    assert report.details == {
        "released_on": "2026-01-12",
        "conditions": ["court_presentation", "travel_ban"],
        "presentation_days": 8,
        "released_from": "helicoide",
        "released_from_other": None,
    }


async def test_a_release_without_a_code_asks_for_name_and_cedula(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_report("🔓 A release")
    await reporter.tap("I don't have a code")
    assert "person who was released" in reporter.last
    await reporter.say("Carla Díaz")
    await reporter.say("12345678")
    await reporter.say("yesterday")
    await reporter.tap("▫️ Full release")
    await reporter.tap("✅ Done")
    assert "released from" in reporter.last
    await reporter.tap("Other")
    await reporter.say("Comando de zona")
    await reporter.tap("✅ Yes")
    await reporter.tap("✅ Yes")
    await reporter.tap("✅ Confirm and send")
    report = await latest(harness, reporter)
    assert report.kind is ReportKind.RELEASE and report.parent_report_id is None
    assert (report.person_name, report.cedula) == ("Carla Díaz", "V12345678")
    assert report.details["released_from_other"] == "Comando de zona"
    assert report.details["presentation_days"] is None


async def test_an_unknown_receipt_code_gets_a_neutral_answer(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_report("🔓 A release")
    await reporter.say("1111 2222 3333 4444")
    assert "I can't find a report with that code" in reporter.last
    assert "receipt code" in reporter.last


async def test_a_code_of_the_wrong_shape_is_explained(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_report("📰 News on an earlier report")
    await reporter.say("12345")
    assert "A receipt code has 16 digits" in reporter.last


async def test_conditions_need_at_least_one_tick(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_release_conditions(reporter)
    await reporter.tap("✅ Done")
    assert "Please tick at least one condition" in reporter.last


async def test_full_release_excludes_the_other_conditions(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_release_conditions(reporter)
    await reporter.tap("▫️ Travel ban")
    await reporter.tap("▫️ Full release")
    labels = reporter.labels()
    assert "☑️ Full release" in labels and "▫️ Travel ban" in labels


async def test_presentation_days_must_be_1_to_90(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_release_conditions(reporter)
    await reporter.tap("▫️ Court presentation every few days")
    await reporter.tap("✅ Done")
    await reporter.say("0")
    assert "a number of days from 1 to 90" in reporter.last
    await reporter.say("every 15 days")
    assert "a number of days from 1 to 90" in reporter.last
    await reporter.say("15")
    assert "released from" in reporter.last


async def test_news_is_attached_to_the_earlier_report(harness: BotHarness) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    await reporter.start_report("📰 News on an earlier report")
    assert "I don't have a code" not in reporter.labels()
    await reporter.say(earlier.receipt_code)
    await reporter.tap("Moved to another place")
    await reporter.say("They moved him to Rodeo I last night.")
    await reporter.tap("✅ Yes")
    assert "Please check your report" in reporter.last
    await reporter.tap("✅ Confirm and send")
    report = await latest(harness, reporter)
    assert report.kind is ReportKind.UPDATE
    assert report.parent_report_id == earlier.report.id
    assert report.details == {
        "news_kind": "transfer",
        "text": "They moved him to Rodeo I last night.",
    }


async def test_news_over_1000_characters_is_refused(harness: BotHarness) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    await reporter.start_report("📰 News on an earlier report")
    await reporter.say(earlier.receipt_code)
    await reporter.tap("A health concern")
    await reporter.say("n" * 1001)
    assert "limit here is 1,000" in reporter.last


async def test_the_main_menu_opens_release_and_news(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.say("/start")
    await reporter.tap("🔓 Report a release")
    assert "I don't have a code" in reporter.labels()
    await reporter.say("/cancel")
    await reporter.say("/start")
    await reporter.tap("📰 News on a report")
    assert "report this news is about" in reporter.last


async def test_a_release_dated_before_the_earlier_detention_is_asked_again(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    # The family's own earlier report (detained on 2 January 2026).
    earlier = await earlier_report(harness, reporter.user.id)
    await reporter.start_report("🔓 A release")
    await reporter.say(format_receipt(earlier.receipt_code))
    await reporter.say("01/01/2026")
    assert "before the detention (January 2, 2026)" in reporter.last
    await reporter.say("02/01/2026")
    assert "Under which <b>conditions</b>" in reporter.last
