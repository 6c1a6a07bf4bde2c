"""/olvidarme, /forget_me: the chat is unlinked; the reports stay with the NGO."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.safety.helpers import count, file_report, report_row, reports_of, visible_ids


async def test_forget_me_asks_before_changing_anything(harness: BotHarness) -> None:
    user = harness.people.family_es
    filed = await file_report(harness, user)
    await harness.rig.send_text(user, "/olvidarme")
    assert "¿Olvidar este chat?" in harness.fake.last_text(user.id)
    assert (await report_row(harness, filed.report.id))["reporter_key"] is not None


async def test_forget_me_unlinks_every_report_and_keeps_them(harness: BotHarness) -> None:
    user = harness.people.family_es
    first = await file_report(harness, user, name="Pedro Pérez", cedula="V12345678")
    second = await file_report(harness, user, name="Luis Gómez", cedula="V87654321")
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame")
    assert "ya no está vinculado" in harness.fake.last_text(user.id)
    for filed in (first, second):
        row = await report_row(harness, filed.report.id)
        assert row["reporter_key"] is None and row["reporter_chat_enc"] is None
        assert row["person_name_enc"] is not None
        # The receipt code still opens the report; the chat no longer finds it.
        found = await reports_of(harness).by_receipt(filed.receipt_code)
        assert found is not None and found.person_name == filed.report.person_name
    assert await reports_of(harness).for_reporter(user.id) == []
    assert await count(harness, "SELECT COUNT(*) FROM reports") == 2


async def test_forget_me_leaves_other_families_linked(harness: BotHarness) -> None:
    user, other = harness.people.family_es, harness.people.family_en
    await file_report(harness, user)
    kept = await file_report(harness, other, cedula="V11111111")
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame")
    assert [r.id for r in await reports_of(harness).for_reporter(other.id)] == [kept.report.id]


async def test_forget_me_removes_subscription_language_and_privacy_choices(
    harness: BotHarness,
) -> None:
    user = harness.people.family_en
    services = harness.services
    await harness.rig.send_text(user, "/subscribe")
    await harness.rig.send_text(user, "/language es")
    await harness.rig.send_text(user, "/privacidad")
    await harness.rig.press_button(user, "Activar el borrado automático")
    assert await services.subscribers.is_subscribed(user.id)
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame")
    assert not await services.subscribers.is_subscribed(user.id)
    assert await services.prefs.language(user.id) is None
    assert not await services.privacy.auto_wipe(user.id)
    await harness.rig.send_text(user, "/start")
    assert "receives reports of detentions" in harness.fake.last_text(user.id)


async def test_forget_me_drops_the_tracked_message_ids(harness: BotHarness) -> None:
    user, other = harness.people.family_es, harness.people.family_en
    await harness.rig.send_text(other, "/start")
    await harness.rig.send_text(user, "/start")
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame")
    await harness.services.tracker.flush()
    assert await count(harness, "SELECT COUNT(*) FROM tracked_messages") == 2  # the other chat


async def test_forget_me_can_also_delete_the_messages(harness: BotHarness) -> None:
    user = harness.people.family_es
    filed = await file_report(harness, user)
    await harness.rig.send_text(user, "/start")
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame y borra los mensajes")
    assert [m.body for m in harness.fake.messages(user.id) if not m.deleted] == ["Listo."]
    await harness.run_jobs()
    assert visible_ids(harness, user.id) == []
    assert (await report_row(harness, filed.report.id))["reporter_key"] is None
    assert await count(harness, "SELECT COUNT(*) FROM tracked_messages") == 0


async def test_cancelling_forget_me_changes_nothing(harness: BotHarness) -> None:
    user = harness.people.family_es
    filed = await file_report(harness, user)
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Cancelar")
    assert harness.fake.last_text(user.id) == "No se cambió nada."
    assert (await report_row(harness, filed.report.id))["reporter_key"] is not None


async def test_pending_notifications_to_a_forgotten_chat_are_dropped(
    harness: BotHarness,
) -> None:
    user = harness.people.family_es
    async with harness.services.db.transaction() as conn:
        await harness.services.outbox.add_notification(
            conn, chat_id=user.id, language="es", text="Hay novedades"
        )
    await harness.rig.send_text(user, "/olvidarme")
    await harness.rig.press_button(user, "Olvídame")
    assert await harness.services.outbox.pending_count() == 0
