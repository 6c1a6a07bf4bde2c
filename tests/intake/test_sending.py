"""Every message of a report goes out as `send_message` would send it.

The intake sends its questions, receipt and offers without parsing Telegram's echo
(`bot.lean_send`); the application's defaults must still apply to each of them:
HTML, no link previews, and protected content, since answers echo personal data.
"""

from __future__ import annotations

from handlers.intake.callbacks import PREFIX
from tests.harness import BotHarness
from tests.intake.helpers import family, reach_summary_en


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
