"""Release news filed with another family's receipt code gives none of that report's
fields back: not in the intake, not in the receipt, not in the filer's own views."""

from __future__ import annotations

from domain.receipts import format_receipt
from tests.harness import BotHarness
from tests.intake.helpers import family
from tests.intake.test_release_news import earlier_report, latest
from tests.owner.helpers import said_since

# What the earlier report (another family's) holds: tests/intake/test_release_news.py.
ITS_FIELDS = ("Luis", "Rojas", "9876543", "9.876.543", "DGCIM", "Lara", "January 2", "2 Jan")


async def test_release_news_with_another_familys_code_shows_none_of_its_fields(
    harness: BotHarness,
) -> None:
    earlier = await earlier_report(harness)  # filed by another chat
    reporter = family(harness)
    cursor = harness.fake.call_count()
    await reporter.start_report("🔓 A release")
    await reporter.say(format_receipt(earlier.receipt_code))
    # A date before that detention is not refused: refusing it would tell the date.
    await reporter.say("01/01/2026")
    assert "Under which <b>conditions</b>" in reporter.last
    await reporter.tap("▫️ Travel ban")
    await reporter.tap("✅ Done")
    await reporter.tap("El Helicoide")
    await reporter.tap("✅ Yes")
    await reporter.tap("No")
    await reporter.tap("✅ Confirm and send")
    filed = await latest(harness, reporter)
    assert filed.parent_report_id == earlier.report.id
    own_code = filed.receipt_code
    assert own_code is not None
    # The filer's own views of its own report.
    await reporter.say("/myreports")
    await reporter.say(own_code)
    assert format_receipt(own_code) in reporter.last
    assert "About an earlier report" in reporter.last
    await reporter.say(f"/status {own_code}")
    assert "About an earlier report" in reporter.last
    await reporter.say("/privacy")
    assert "About an earlier report" in reporter.last
    said = said_since(harness, reporter.user.id, cursor)
    assert [field for field in ITS_FIELDS if field in said] == []
