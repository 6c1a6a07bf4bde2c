"""A reporter hears of every change to their report or its case, once, in their language."""

from __future__ import annotations

import datetime as dt

from domain.transitions import CaseAction
from services import case_desk, desk
from services.notify import notify_report_change
from tests.harness import BotHarness
from tests.status.helpers import deliver, file_report, spaced, texts_to, verify_then_act


def news(harness: BotHarness, chat_id: int) -> list[str]:
    return [
        text
        for text in texts_to(harness, chat_id)
        if "Novedades sobre tu reporte" in text or "News about your report" in text
    ]


async def test_a_state_change_reaches_the_reporter_in_their_language(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en")
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    [text] = news(harness, family.id)
    assert f"News about your report {spaced(filed.receipt_code)}" in text
    assert "Report: being reviewed" in text
    assert "What happens next" in text


async def test_the_notification_uses_the_reporters_language_not_the_deployments(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family, language="es")
    await desk.take(harness.services, harness.people.moderator.id, filed.report.id, 0)
    await deliver(harness)
    [text] = news(harness, family.id)
    assert "Reporte: en revisión" in text
    assert "Novedades sobre tu reporte" in text


async def test_a_notification_queued_before_a_restart_is_delivered_once_after_it(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    # The bot dies before its worker gets to the row the change queued.
    await harness.services.outbox_worker.stop()
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    assert news(harness, family.id) == []
    await harness.restart()
    await deliver(harness)
    await deliver(harness)
    await harness.restart()
    await deliver(harness)
    assert len(news(harness, family.id)) == 1


async def test_the_same_change_is_never_told_twice(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    async with harness.services.db.transaction() as conn:
        await notify_report_change(harness.services, conn, filed.report.id)
        await notify_report_change(harness.services, conn, filed.report.id)
    await deliver(harness)
    assert len(news(harness, family.id)) == 1


async def test_no_notification_without_consent_to_contact(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family, contact=False)
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    assert news(harness, family.id) == []


async def test_no_notification_after_the_chat_was_forgotten(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await harness.services.privacy.unlink_reporter(family.id)
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    assert news(harness, family.id) == []


async def test_a_release_on_the_case_tells_the_family_the_conditions(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await verify_then_act(
        harness,
        filed,
        case_desk.CaseRequest(
            CaseAction.RELEASE, on=dt.date(2026, 1, 12), conditions=("travel_ban",)
        ),
    )
    await deliver(harness)
    verified, released = news(harness, family.id)
    assert "Caso: detenido/a, en El Helicoide" in verified
    assert "Caso: excarcelado/a el 12 de enero de 2026" in released
    assert "Condiciones:" in released


async def test_the_release_notice_says_how_often_to_appear_in_court(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en")
    await verify_then_act(
        harness,
        filed,
        case_desk.CaseRequest(
            CaseAction.RELEASE,
            on=dt.date(2026, 1, 12),
            conditions=("court_presentation",),
            presentation_days=1,
        ),
    )
    await deliver(harness)
    released = news(harness, family.id)[-1]
    assert "Conditions: Court presentation every 1 day" in released


async def test_notifications_never_name_the_person(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family, name="Pedro Pérez")
    await desk.verify(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    [text] = news(harness, family.id)
    assert "Pedro" not in text
