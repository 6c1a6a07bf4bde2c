"""/help tells what Telegram still shows after a wipe; personal data is never forwardable."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.safety.helpers import report_through_intake


async def test_help_explains_what_telegram_still_shows(harness: BotHarness) -> None:
    family = harness.people.family_en
    await harness.rig.send_text(family, "/help")
    text = harness.fake.last_text(family.id, plain=True)
    assert "/wipe" in text and "48 hours" in text
    assert "chat list" in text and "Delete chat" in text
    spanish = harness.people.family_es
    await harness.rig.send_text(spanish, "/ayuda")
    assert "«Eliminar chat»" in harness.fake.last_text(spanish.id, plain=True)


async def test_messages_with_personal_data_are_protected(harness: BotHarness) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family, name="Pedro Pérez")
    await harness.rig.send_text(family, f"/status {code}")
    await harness.rig.send_text(family, "/privacy")
    showing = [
        message
        for message in harness.fake.messages(family.id)
        if message.from_bot and ("Pedro Pérez" in message.body or code in message.body)
    ]
    assert len(showing) >= 3  # the summary, the receipt, the status, the privacy list
    assert all(message.protect_content for message in showing)
