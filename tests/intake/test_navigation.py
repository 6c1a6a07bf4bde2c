"""Back, Skip, Edit, Cancel, old buttons and a second Confirm."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness import BotHarness
from tests.intake.helpers import (
    AGE,
    CEDULA,
    DETENTION_ES,
    ENTITY,
    SEX,
    WHERE,
    Family,
    family,
    reach_question,
    reach_summary_en,
)


async def count_reports(harness: BotHarness, chat_id: int) -> int:
    return len(await harness.services.reports.for_reporter(chat_id))


async def open_the_edit_list(reporter: Family) -> None:
    """A whole English report up to its summary, then the list of answers to change."""
    await reach_summary_en(reporter)
    await reporter.tap("✏️ Change an answer")
    assert "Which answer do you want to change?" in reporter.last


async def test_back_returns_to_the_previous_question_with_its_answer(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, SEX)
    assert "woman or a man" in reporter.last
    await reporter.tap("⬅️ Back")
    assert "cédula" in reporter.last
    assert "Your answer so far: V-12.345.678" in reporter.last


async def test_the_first_question_has_cancel_but_no_back(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    assert "⬅️ Back" not in reporter.labels()
    assert "✖️ Cancel" in reporter.labels()


async def test_back_walks_the_path_actually_taken(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, WHERE)
    await reporter.tap("Other")
    await reporter.say("Fuerte Tiuna")
    assert "what happened" in reporter.last
    await reporter.tap("⬅️ Back")
    assert "Which place?" in reporter.last
    await reporter.tap("⬅️ Back")
    assert "being held now" in reporter.last


async def test_skip_is_offered_only_on_optional_questions(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    assert "Skip ⏭" not in reporter.labels()
    await reporter.say("Ana Pérez")
    assert "Skip ⏭" in reporter.labels()


async def test_skip_leaves_the_answer_empty_and_moves_on(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, CEDULA)
    await reporter.tap("Skip ⏭")
    assert "woman or a man" in reporter.last
    for _ in range(3):
        await reporter.tap("Skip ⏭")
    assert "were they detained" in reporter.last


@pytest.mark.parametrize(
    ("taps", "asked", "typed", "shown"),
    [
        pytest.param(
            ["Full name"],
            "Your answer so far: Pedro José Pérez",
            "Pedro Pablo Pérez",
            "Pedro Pablo Pérez",
            id="one-answer",
        ),
        pytest.param(
            ["Where they are held", "Other"],
            "Which place?",
            "Fuerte Tiuna",
            "<b>Other place:</b> Fuerte Tiuna",
            id="place-changed-to-other-asks-which",
        ),
    ],
)
async def test_editing_asks_again_then_returns_to_the_summary(
    harness: BotHarness, taps: list[str], asked: str, typed: str, shown: str
) -> None:
    reporter = family(harness)
    await open_the_edit_list(reporter)
    for label in taps:
        await reporter.tap(label)
    assert asked in reporter.last
    await reporter.say(typed)
    assert "Please check your report" in reporter.last
    assert shown in reporter.last


async def test_back_from_the_edit_list_returns_to_the_summary(harness: BotHarness) -> None:
    reporter = family(harness)
    await open_the_edit_list(reporter)
    await reporter.tap("⬅️ Back")
    assert "Please check your report" in reporter.last


async def test_the_cancel_button_discards_everything(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, AGE)
    await reporter.tap("✖️ Cancel")
    assert "Cancelled. Nothing was saved." in reporter.last
    await reporter.say("/report")
    assert "What would you like to report?" in reporter.last
    assert await count_reports(harness, reporter.user.id) == 0


async def test_cancel_command_works_in_both_languages(harness: BotHarness) -> None:
    spanish = family(harness, harness.people.family_es)
    await reach_question(spanish, CEDULA, DETENTION_ES, "/reportar")
    await spanish.say("/cancelar")
    assert "Cancelado. No se guardó nada." in spanish.last
    english = family(harness)
    await english.start_detention()
    await english.say("/cancel")
    assert "Cancelled. Nothing was saved." in english.last


async def test_report_command_mid_report_shows_the_current_question(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, CEDULA)
    await reporter.say("/report")
    assert "You are in the middle of a report" in reporter.last
    assert "cédula" in reporter.last


async def test_a_button_from_an_earlier_question_is_answered_kindly(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, AGE)
    sex_question = next(
        message
        for message in harness.fake.bot_messages(reporter.user.id)
        if "woman or a man" in message.body
    )
    woman = harness.button_data(sex_question, "Woman")
    calls = await harness.rig.press(reporter.user, sex_question.message_id, woman)
    answer = next(call for call in calls if call.method == "answerCallbackQuery")
    assert "from an earlier message" in answer.params["text"]
    assert "Here is the current question" in reporter.last
    assert "How old are they?" in reporter.last
    await reporter.tap("⬅️ Back")
    assert "Your answer so far: Man" in reporter.last


async def test_a_button_of_an_earlier_draft_does_not_act(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    old_question = reporter.last_message
    old_cancel = next(data for row in harness.fake.buttons(old_question) for _, data in row)
    await reporter.say("/cancel")
    await reach_question(reporter, CEDULA)
    assert old_cancel is not None
    await harness.rig.press(reporter.user, old_question.message_id, old_cancel)
    assert "Here is the current question" in reporter.last
    assert "cédula" in reporter.last


async def test_a_second_confirm_makes_no_second_report(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    summary = reporter.last_message
    confirm = harness.button_data(summary, "✅ Confirm and send")
    await harness.rig.press(reporter.user, summary.message_id, confirm)
    calls = await harness.rig.press(reporter.user, summary.message_id, confirm)
    answer = next(call for call in calls if call.method == "answerCallbackQuery")
    assert "already saved" in answer.params["text"]
    assert await count_reports(harness, reporter.user.id) == 1


async def test_two_confirms_at_once_make_one_report(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    summary = reporter.last_message
    confirm = harness.button_data(summary, "✅ Confirm and send")
    await asyncio.gather(
        harness.rig.press(reporter.user, summary.message_id, confirm),
        harness.rig.press(reporter.user, summary.message_id, confirm),
    )
    assert await count_reports(harness, reporter.user.id) == 1
    receipts = [text for text in reporter.texts() if "Your report was saved" in text]
    assert len(receipts) == 1


async def test_pages_of_states_turn_in_place(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, ENTITY)
    question = reporter.last_message
    calls = await reporter.tap("More ▶️")
    assert any(call.method == "editMessageReplyMarkup" for call in calls)
    labels = reporter.labels(harness.fake.message(reporter.user.id, question.message_id))
    assert "Miranda" in labels and "Amazonas" not in labels
    await reporter.tap("More ▶️")
    assert "Zulia" in reporter.labels(harness.fake.message(reporter.user.id, question.message_id))
