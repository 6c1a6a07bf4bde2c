"""Every message of a report goes out as `send_message` would send it.

The intake sends its questions, receipt and offers through `handlers.sending` (PTB's
typed `send_message`); the application's defaults must apply to each of them:
HTML, no link previews, and protected content, since answers echo personal data.
"""

from __future__ import annotations

import logging

import pytest

from fake_telegram.api_misc import QUERY_TOO_OLD
from handlers.intake.callbacks import PREFIX
from tests.harness import BotHarness
from tests.intake.helpers import DETENTION_EN, family, reach_summary_en


async def test_every_message_of_a_report_carries_the_bot_defaults(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    sends = harness.fake.calls("sendMessage", chat_id=reporter.user.id)
    assert len(sends) >= 18  # every question, the summary, the receipt and two offers
    for call in sends:
        assert call.ok, call.params.get("text")
        assert call.params["parse_mode"] == "HTML"
        assert call.params["protect_content"] is True
        assert call.params["link_preview_options"] == {"is_disabled": True}


async def test_the_question_keyboard_reaches_telegram_whole(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.say("/report")
    await reporter.tap("📝 A detention")
    question = harness.fake.last_bot_message(reporter.user.id)
    rows = harness.fake.buttons(question)
    assert rows[-1] == [("✖️ Cancel", rows[-1][0][1])]
    assert all(
        data is not None and data.startswith(f"{PREFIX}:q:") for row in rows for _, data in row
    )
    # The echo Telegram sends back is what a later tap refers to.
    await reporter.tap("✖️ Cancel")
    assert "Nothing was saved" in harness.fake.last_text(reporter.user.id)


async def test_presses_telegram_calls_too_old_to_answer_still_do_their_work(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """After a restart or on a slow line Telegram refuses the answer; the family's tap counts."""
    caplog.set_level(logging.INFO)
    reporter = family(harness)
    await reporter.say("/report")
    harness.fake.fail_next("answerCallbackQuery", error_code=400, description=QUERY_TOO_OLD)
    await reporter.tap("📝 A detention")
    assert "full name" in reporter.last
    await reporter.act(DETENTION_EN[1:])
    harness.fake.fail_next("answerCallbackQuery", error_code=400, description=QUERY_TOO_OLD)
    await reporter.tap("✅ Confirm and send")
    assert "Your report was saved" in " ".join(reporter.texts()[-3:])
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 1
    refused = [call for call in harness.fake.calls("answerCallbackQuery") if not call.ok]
    assert len(refused) == 2
    logged = [record.getMessage() for record in caplog.records]
    assert logged.count("press_answer_failed error=BadRequest") == 2
    assert not any("Pedro" in line or "12345678" in line for line in logged)
