"""What intake files is what storage reads back.

Filing builds the report it hands on (to the moderators' notice) from what it wrote,
without reading it back; these tests hold that copy to `Reports.by_id()`.
"""

from __future__ import annotations

import json

from domain.receipts import format_receipt
from fake_telegram import Call
from handlers.intake.confirm import new_report
from handlers.intake.draft import load_draft
from handlers.intake.notify_moderators import group_notice_text, notice_rows
from handlers.moderation.suggest import suggestions_for
from handlers.sending import keyboard_markup
from storage.reports import FileOutcome, Report
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.intake.helpers import DETENTION_EN, FILES, Family, family, reach_question
from tests.intake.test_release_news import earlier_report


async def detention_summary(harness: BotHarness, reporter: Family) -> None:
    """A whole detention report with a photo, up to the summary."""
    await reach_question(reporter, FILES)
    reporter.pace()
    await harness.rig.send_photo(reporter.user)
    await reporter.act(DETENTION_EN[FILES:])
    assert "Confirm and send" in str(reporter.labels())


async def release_summary(harness: BotHarness, reporter: Family) -> int:
    """A release about an earlier report (its receipt code), up to the summary."""
    earlier = await earlier_report(harness)
    await reporter.start_report("🔓 A release")
    await reporter.say(format_receipt(earlier.receipt_code))
    await reporter.say("hoy")
    await reporter.tap("▫️ Court presentation every few days")
    await reporter.tap("✅ Done")
    await reporter.say("8")
    await reporter.tap("El Helicoide")
    await reporter.tap("✅ Yes")
    await reporter.tap("No")
    assert "Confirm and send" in str(reporter.labels())
    return earlier.report.id


async def read_back(harness: BotHarness, report_id: int) -> Report:
    report = await harness.services.reports.by_id(report_id)
    assert report is not None
    return report


async def file_the_draft(harness: BotHarness, reporter: Family) -> None:
    """File the summary's draft as Confirm would, and compare with the read-back."""
    user_data = harness.app.user_data[reporter.user.id]
    draft = load_draft(user_data)
    assert draft is not None
    filed = await harness.services.reports.file(new_report(draft, reporter.user.id, "en"))
    assert filed.outcome is FileOutcome.CREATED
    assert filed.report == await read_back(harness, filed.report.id)
    # Confirm finds the very same report (the draft token), and does not file another.
    await reporter.tap("✅ Confirm and send")
    assert "already saved" in reporter.last
    assert format_receipt(filed.receipt_code) in reporter.last


async def staff_calls(harness: BotHarness) -> list[Call]:
    """What the outbox worker sent when it delivered the queued staff notices."""
    await harness.services.outbox_worker.drain()
    return harness.fake.calls("sendMessage", chat_id=MODERATION_CHAT_ID)


def group_notice(calls: list[Call]) -> Call:
    sent = [
        call
        for call in calls
        if call.method == "sendMessage" and call.chat_id == MODERATION_CHAT_ID
    ]
    assert len(sent) == 1
    return sent[0]


async def assert_notice_is_of_the_stored_report(harness: BotHarness, notice: Call) -> Report:
    """The notice was written from the stored report when it was sent; write it again."""
    reports = await harness.services.reports.for_reporter(harness.people.family_en.id)
    stored = await read_back(harness, reports[0].id)
    t = harness.services.catalogs.get(None)
    suggestions = await suggestions_for(harness.services, stored)
    # In the moderation group: the number, kind, urgency and clock only (issue 14).
    assert notice.params["text"] == group_notice_text(t, stored, harness.clock.now())
    markup = keyboard_markup(notice_rows(t, stored, suggestions)).to_dict()
    assert json.loads(json.dumps(notice.params["reply_markup"])) == json.loads(json.dumps(markup))
    return stored


async def test_a_filed_detention_equals_its_read_back(harness: BotHarness) -> None:
    reporter = family(harness)
    await detention_summary(harness, reporter)
    await file_the_draft(harness, reporter)


async def test_a_filed_release_about_an_earlier_report_equals_its_read_back(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await release_summary(harness, reporter)
    await file_the_draft(harness, reporter)


async def test_the_moderators_notice_of_a_detention_matches_the_stored_report(
    group_harness: BotHarness,
) -> None:
    reporter = family(group_harness)
    await detention_summary(group_harness, reporter)
    await reporter.tap("✅ Confirm and send")
    calls = await staff_calls(group_harness)
    stored = await assert_notice_is_of_the_stored_report(group_harness, group_notice(calls))
    assert len(stored.evidence) == 1 and stored.person_name == "Pedro José Pérez"


async def test_the_moderators_notice_of_a_release_matches_the_stored_report(
    group_harness: BotHarness,
) -> None:
    reporter = family(group_harness)
    parent_id = await release_summary(group_harness, reporter)
    await reporter.tap("✅ Confirm and send")
    calls = await staff_calls(group_harness)
    stored = await assert_notice_is_of_the_stored_report(group_harness, group_notice(calls))
    assert stored.parent_report_id == parent_id and stored.person_name == "Luis Rojas"
