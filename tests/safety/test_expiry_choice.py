"""/privacidad: the family chooses how long its chat lives, knowingly; honest wipes."""

from __future__ import annotations

import datetime as dt

from storage.roles import Role
from tests.harness import BotHarness
from tests.roles import grant
from tests.safety.helpers import report_through_intake, visible_ids
from tests.safety.test_expiry import choose, run_expiry


def labels(harness: BotHarness, chat_id: int) -> list[str]:
    message = harness.fake.last_bot_message(chat_id)
    return [text for row in harness.fake.buttons(message) for text, _ in row]


async def test_privacy_offers_one_hour_the_usual_46_hours_or_keeping_the_chat(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/privacidad")
    screen = harness.fake.last_text(family.id, plain=True)
    assert "desaparecen de este chat 24 horas después de enviados" in screen
    assert labels(harness, family.id)[:4] == [
        "1 hora",
        "✓ 24 horas (habitual)",
        "46 horas",
        "Conservar mi chat",
    ]


async def test_keeping_the_chat_is_confirmed_after_a_plain_warning(harness: BotHarness) -> None:
    family = harness.people.family_es
    await choose(harness, family, "Conservar mi chat")
    warning = harness.fake.last_text(family.id, plain=True)
    assert "Pasadas 48 horas Telegram ya no me deja borrar nada en este chat" in warning
    await harness.rig.press_button(family, "No, volver")
    assert (await harness.services.expiry.chats.choice(family.id)).is_default
    assert "✓ 24 horas (habitual)" in labels(harness, family.id)
    await harness.rig.press_button(family, "Conservar mi chat")
    await harness.rig.press_button(family, "Sí, conservar mi chat")
    assert (await harness.services.expiry.chats.choice(family.id)).keep
    assert "elegiste conservar este chat" in harness.fake.last_text(family.id, plain=True)
    assert "✓ Conservar mi chat" in labels(harness, family.id)


async def test_the_receipt_says_to_write_the_code_down_and_when_it_disappears(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await choose(harness, family, "46 hours")
    await report_through_intake(harness, family)
    receipt = next(m.body for m in harness.fake.messages(family.id) if "Your receipt" in m.body)
    assert "Write it down somewhere safe" in receipt
    assert "This message disappears in 46 hours, with the rest of this chat." in receipt


async def test_staff_see_their_own_usual_expiry(harness: BotHarness) -> None:
    moderator = harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    await harness.rig.send_text(moderator, "/privacidad")
    assert "12 horas después de enviados" in harness.fake.last_text(moderator.id, plain=True)
    assert "✓ 12 horas (habitual)" in labels(harness, moderator.id)


async def test_privacy_says_how_many_are_left_until_the_family_says_it_deleted_them(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await choose(harness, family, "Keep my chat", "Yes, keep my chat")
    kept = len(harness.fake.messages(family.id))
    harness.clock.advance(dt.timedelta(hours=49))
    await run_expiry(harness)
    await harness.rig.send_text(family, "/privacy")
    screen = harness.fake.last_text(family.id, plain=True)
    assert f"{kept} messages of this chat are still on this phone" in screen
    assert "«Delete chat»" in screen
    await harness.rig.press_button(family, "✅ I have deleted them on my phone")
    assert await harness.services.expiry.chats.left_count(family.id) == 0
    assert "still on this phone" not in harness.fake.last_text(family.id, plain=True)


async def test_the_wipe_after_filing_never_says_done_when_something_is_left(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await choose(harness, family, "Keep my chat", "Yes, keep my chat")
    await harness.rig.send_text(family, "/start")
    old = len(harness.fake.messages(family.id))
    harness.clock.advance(dt.timedelta(hours=50))
    await report_through_intake(harness, family)
    await harness.rig.press_button(family, "🧹 Delete everything, I noted the code")
    notice = harness.fake.last_text(family.id, plain=True)
    assert notice.startswith(f"{old} messages of this chat are still on this phone")
    assert "Done" not in notice
    # Everything the bot could still delete is gone: the old ones and the notice remain.
    assert len(visible_ids(harness, family.id)) == old + 1


async def test_a_wipe_with_nothing_left_still_says_only_done(harness: BotHarness) -> None:
    family = harness.people.family_en
    await report_through_intake(harness, family)
    await harness.rig.press_button(family, "🧹 Delete everything, I noted the code")
    assert harness.fake.last_text(family.id) == "Done."
