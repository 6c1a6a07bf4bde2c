"""The wipe can unlink this phone too; typing a PIN is not cut by the chat expiry."""

from __future__ import annotations

import datetime as dt

from tests.harness import BotHarness
from tests.owner.helpers import PIN, last, say
from tests.safety.helpers import file_report, report_row, report_through_intake
from tests.safety.test_expiry import run_expiry


async def test_the_wipe_offer_after_a_report_can_unlink_this_phone(harness: BotHarness) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family)
    said = "\n".join(m.body for m in harness.fake.bot_messages(family.id))
    assert "only see how they are going by sending /estado" in said
    await harness.rig.press_button(family, "🧹 Delete everything and unlink this phone")
    report = await harness.services.reports.by_receipt(code)
    assert report is not None
    assert (await report_row(harness, report.id))["reporter_key"] is None
    assert all(m.deleted or m.body == "Done." for m in harness.fake.messages(family.id))
    await say(harness, family, "/myreports")
    assert "no reports" in last(harness, family.id)


async def test_borrar_can_unlink_this_phone(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await say(harness, family, "/borrar")
    assert "/estado con el código de recibo" in last(harness, family.id)
    await harness.rig.press_button(
        family, "🧹 Borrar, y desvincular este teléfono de mis reportes"
    )
    assert (await report_row(harness, filed.report.id))["reporter_key"] is None
    assert await harness.services.subscribers.is_subscribed(family.id) is False


async def test_a_pin_being_typed_is_not_cut_by_the_chat_expiry(harness: BotHarness) -> None:
    family = harness.people.family_es
    await say(harness, family, "/start")
    harness.clock.advance(dt.timedelta(hours=23, minutes=58))
    await say(harness, family, "/pin")
    await say(harness, family, PIN)
    harness.clock.advance(dt.timedelta(minutes=5))
    await run_expiry(harness)
    # The /start of a day ago is due, but the chat is in the middle of choosing a PIN.
    assert not any(m.deleted for m in harness.fake.messages(family.id) if m.from_bot)
    await say(harness, family, PIN)
    assert "PIN guardado" in "\n".join(m.body for m in harness.fake.bot_messages(family.id))
    await run_expiry(harness)
    first = min(m.message_id for m in harness.fake.messages(family.id))
    assert harness.fake.message(family.id, first).deleted  # type: ignore[union-attr]
