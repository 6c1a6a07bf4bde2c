"""/olvidarme is complete: an unfinished report goes with its conversation row, the
daily cap survives it, and visitors leave nothing behind in memory."""

from __future__ import annotations

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.intake.helpers import NAME, STORY, family, reach_question
from tests.safety.helpers import count, file_report


async def persisted_rows(harness: BotHarness) -> tuple[int, int]:
    await harness.app.update_persistence()
    return (
        await count(harness, "SELECT COUNT(*) FROM persistence_conversations"),
        await count(harness, "SELECT COUNT(*) FROM persistence_user_data"),
    )


async def test_forget_me_in_the_middle_of_a_report_ends_it_and_its_rows(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await reach_question(reporter, STORY)
    assert await persisted_rows(harness) == (1, 1)  # the conversation, the draft

    await reporter.say("/forget_me")
    await reporter.tap("Forget me")

    # Gone at once, not at the next persistence round: conversation key and draft.
    assert await count(harness, "SELECT COUNT(*) FROM persistence_conversations") == 0
    assert await count(harness, "SELECT COUNT(*) FROM persistence_user_data") == 0
    # The conversation ended in memory too: the next text is no answer to the story.
    await reporter.say("They took him at night")
    assert "sources" not in reporter.last.lower() and "photo" not in reporter.last.lower()
    assert await persisted_rows(harness) == (0, 0)
    await harness.restart()
    assert await persisted_rows(harness) == (0, 0)


async def test_the_daily_cap_survives_forget_me(harness: BotHarness) -> None:
    user = harness.people.family_en
    for number in range(10):
        await file_report(harness, user, cedula=f"V1000000{number}")
    reporter = family(harness)
    await reporter.say("/forget_me")
    await reporter.tap("Forget me")
    assert await count(harness, "SELECT COUNT(*) FROM reports WHERE reporter_key IS NULL") == 10

    await reporter.say("/report")
    await reporter.tap("📝 A detention")
    assert "the most it can send in one day" in reporter.last
    assert await harness.services.blocks.over_daily_cap(user.id)


async def test_visitors_leave_no_empty_entries_in_memory(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, NAME)  # someone with a draft: kept
    for number in range(60):
        await harness.rig.send_text(
            FakeUser(id=50_000 + number, first_name="V", language_code="es"), "/start"
        )
    await harness.app.update_persistence()
    await harness.run_jobs()
    assert list(harness.app.user_data) == [reporter.user.id]
    assert len(harness.app.chat_data) == 0
