"""The receipt-code question of a release or news report is a way to test codes too:
it counts wrong codes under the same throttle as /estado, and shares its lockout."""

from __future__ import annotations

from domain.receipts import format_receipt
from tests.harness import BotHarness
from tests.intake.helpers import family
from tests.intake.test_release_news import earlier_report

WRONG = ("1111 2222 3333 4444", "5555 6666 7777 8888", "1234 5678 9012 3456")


async def test_guessing_codes_in_a_release_report_is_throttled(harness: BotHarness) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    await reporter.start_report("🔓 A release")
    for attempt in range(5):
        await reporter.say(WRONG[attempt % len(WRONG)].replace("1", str(attempt % 10)))
    assert "Too many codes did not match" in reporter.last
    # Locked out: even the right code is not looked up now, here or with /status.
    await reporter.say(format_receipt(earlier.receipt_code))
    assert "Too many codes did not match" in reporter.last
    assert "were they released" not in reporter.last
    await reporter.say(f"/status {earlier.receipt_code}")
    assert "Too many codes did not match" in reporter.last


async def test_wrong_codes_in_status_lock_the_release_question_too(harness: BotHarness) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    for attempt in range(5):
        await reporter.say(f"/status {attempt}111 2222 3333 4444")
    await reporter.start_report("🔓 A release")
    await reporter.say(format_receipt(earlier.receipt_code))
    assert "Too many codes did not match" in reporter.last
    assert "were they released" not in reporter.last


async def test_a_few_typos_still_get_the_plain_answer(harness: BotHarness) -> None:
    earlier = await earlier_report(harness)
    reporter = family(harness)
    await reporter.start_report("📰 News on an earlier report")
    await reporter.say(WRONG[0])
    assert "can't find a report with that code" in reporter.last
    await reporter.say(format_receipt(earlier.receipt_code))
    assert "Too many" not in reporter.last
