"""Nothing a family sends is met with silence."""

from __future__ import annotations

from tests.harness import BotHarness


async def test_unknown_command_gets_a_localised_hint(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/volar")
    assert "No conozco ese comando" in harness.fake.last_text(user.id)


async def test_sticker_outside_a_conversation_gets_a_hint(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_sticker(user)
    assert "wasn't expecting that" in harness.fake.last_text(user.id)


async def test_location_outside_a_conversation_gets_a_hint(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_location(user, 10.5, -66.9)
    assert "No esperaba eso" in harness.fake.last_text(user.id)


async def test_stale_button_gets_a_kind_answer(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/start")
    message = harness.fake.last_bot_message(user.id)
    calls = await harness.rig.press(user, message.message_id, "gone:old-button")
    answers = [call for call in calls if call.method == "answerCallbackQuery"]
    assert answers and "no longer active" in answers[0].params["text"]


async def test_messages_are_sent_protected_and_as_html(harness: BotHarness) -> None:
    user = harness.people.family_es
    calls = await harness.rig.send_text(user, "/start")
    send = next(call for call in calls if call.method == "sendMessage")
    assert send.params["protect_content"] is True
    assert send.params["parse_mode"] == "HTML"
