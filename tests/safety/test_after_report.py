"""Right after a report: the offer to delete the conversation, and automatic deletion."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.safety.helpers import report_through_intake, visible_ids


def visible_bodies(harness: BotHarness, chat_id: int) -> list[str]:
    return [m.body for m in harness.fake.messages(chat_id) if not m.deleted]


async def test_after_a_report_the_bot_offers_to_delete_the_conversation(
    harness: BotHarness,
) -> None:
    user = harness.people.family_en
    await report_through_intake(harness, user)
    offers = [body for body in visible_bodies(harness, user.id) if "For your safety" in body]
    assert len(offers) == 1


async def test_deleting_all_but_the_code_keeps_only_the_receipt(harness: BotHarness) -> None:
    user = harness.people.family_en
    code = await report_through_intake(harness, user)
    await harness.rig.press_button(user, "🧹 Delete all but the code")
    bodies = visible_bodies(harness, user.id)
    assert len(bodies) == 2
    assert code in bodies[0] and bodies[1] == "Done."
    await harness.run_jobs()
    assert len(visible_ids(harness, user.id)) == 1


async def test_deleting_everything_leaves_only_a_vanishing_notice(harness: BotHarness) -> None:
    user = harness.people.family_en
    await report_through_intake(harness, user)
    await harness.rig.press_button(user, "🧹 Delete everything, I noted the code")
    assert visible_bodies(harness, user.id) == ["Done."]
    await harness.run_jobs()
    assert visible_ids(harness, user.id) == []


async def test_keeping_the_conversation_deletes_nothing(harness: BotHarness) -> None:
    user = harness.people.family_en
    await report_through_intake(harness, user)
    before = visible_ids(harness, user.id)
    await harness.rig.press_button(user, "Not now")
    assert visible_ids(harness, user.id) == before
    assert "All right, nothing was deleted." in visible_bodies(harness, user.id)


async def test_automatic_deletion_wipes_right_after_each_report(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/privacy")
    await harness.rig.press_button(user, "Turn automatic deletion on")
    code = await report_through_intake(harness, user)
    bodies = visible_bodies(harness, user.id)
    assert code in bodies[0]
    assert not any("For your safety" in body for body in bodies)
    assert not any("full name" in body for body in bodies)
    # Only the code and the subscription question, asked after the wipe, remain.
    assert len(bodies) == 2


async def test_the_offer_speaks_the_language_of_the_report(harness: BotHarness) -> None:
    user = harness.people.family_en
    await report_through_intake(harness, user)
    labels = [
        text
        for message in harness.fake.bot_messages(user.id)
        for row in harness.fake.buttons(message)
        for text, _ in row
    ]
    assert "🧹 Delete all but the code" in labels
