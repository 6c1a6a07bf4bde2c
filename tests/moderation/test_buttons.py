"""The desk's buttons: on the new-report notice in the moderation group, and on cases.

Pressed in the group, they answer the presser privately: the group sees no identities."""

from __future__ import annotations

import datetime as dt

from domain.vocabulary import CaseEventKind, CaseState, ReportState
from fake_telegram import Call, StoredMessage
from handlers.context import VigiaContext
from handlers.intake.notify_moderators import notify_moderators
from storage.reports import Report
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say, texts

GROUP = MODERATION_CHAT_ID


async def _notice(harness: BotHarness, report: Report) -> StoredMessage:
    """Intake's own new-report notice, posted in the moderation group."""
    await notify_moderators(VigiaContext(harness.app), report)
    await harness.services.outbox_worker.drain()
    return harness.fake.last_bot_message(GROUP)


async def _press(harness: BotHarness, who: str, label: str) -> str:
    """Press `label` where the moderator sees it (their private chat, else the group's
    notice); what the bot answered them, which is always privately."""
    harness.clock.advance(dt.timedelta(seconds=1))
    user = getattr(harness.people, who)
    try:
        calls = await harness.rig.press_button(user, label)
    except AssertionError:
        calls = await harness.rig.press_button(user, label, chat_id=GROUP)
    assert not [call for call in calls if call.chat_id == GROUP and call.method == "sendMessage"]
    return texts(calls, user.id)


def _labels(harness: BotHarness, message: StoredMessage) -> list[str]:
    current = harness.fake.message(message.chat_id, message.message_id)
    assert current is not None
    return [label for row in harness.fake.buttons(current) for label, _ in row]


async def _state(harness: BotHarness, report_id: int) -> ReportState:
    snapshot = await harness.services.review.get(report_id)
    assert snapshot is not None
    return snapshot.state


async def test_the_new_report_notice_carries_the_desk_actions(desk: BotHarness) -> None:
    report = await file_report(desk)
    notice = await _notice(desk, report)
    assert _labels(desk, notice) == [
        "🙋 Tomar",
        "✅ Verificar",
        "❓ Pedir información",
        "🚫 Rechazar",
        "🔎 Abrir",
    ]


async def test_take_from_the_notice_redraws_its_buttons_for_the_new_version(
    desk: BotHarness,
) -> None:
    report = await file_report(desk)
    notice = await _notice(desk, report)
    sent = await _press(desk, "moderator", "🙋 Tomar")
    assert "quedó asignado a ti" in sent
    assert await _state(desk, report.id) is ReportState.IN_REVIEW
    redrawn = desk.fake.message(GROUP, notice.message_id)
    assert redrawn is not None
    datas = [data for row in desk.fake.buttons(redrawn) for _, data in row]
    assert f"mod:r:vf:{report.id}:1" in datas


async def test_verify_from_the_notice_creates_the_case(desk: BotHarness) -> None:
    report = await file_report(desk)
    await _notice(desk, report)
    sent = await _press(desk, "moderator", "✅ Verificar")
    assert "Caso nuevo C1" in sent
    assert await _state(desk, report.id) is ReportState.VERIFIED


async def test_reject_from_the_notice_asks_for_the_reason(desk: BotHarness) -> None:
    report = await file_report(desk)
    await _notice(desk, report)
    asked = await _press(desk, "moderator", "🚫 Rechazar")
    assert "¿Por qué se rechaza #1?" in asked
    sent = await _press(desk, "moderator", "Información insuficiente")
    assert "rechazado: Información insuficiente" in sent
    snapshot = await desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.reject_reason == "insufficient"


async def test_needs_info_from_the_notice_takes_the_reply_as_the_question(
    desk: BotHarness,
) -> None:
    report = await file_report(desk)
    await _notice(desk, report)
    await _press(desk, "moderator", "❓ Pedir información")
    prompt = desk.fake.last_bot_message(desk.people.moderator.id)
    assert "como respuesta a este mensaje" in prompt.body
    calls = await _reply(desk, prompt, "¿Tienen el número de expediente?")
    assert "Pregunta registrada en #1" in texts(calls, desk.people.moderator.id)
    assert await _state(desk, report.id) is ReportState.NEEDS_INFO
    thread = await desk.services.followups.thread(report.id)
    assert [message.text for message in thread] == ["¿Tienen el número de expediente?"]


async def test_the_prompt_asked_from_the_group_is_written_privately(desk: BotHarness) -> None:
    report = await file_report(desk)
    notice = await _notice(desk, report)
    await _press(desk, "moderator", "❓ Pedir información")
    assert desk.fake.last_bot_message(GROUP).message_id == notice.message_id
    prompt = desk.fake.last_bot_message(desk.people.moderator.id)
    assert "como respuesta a este mensaje" in prompt.body
    assert await _state(desk, report.id) is ReportState.RECEIVED


async def _reply(
    harness: BotHarness, prompt: StoredMessage, text: str, *, user: str = "moderator"
) -> list[Call]:
    """A moderator answers the bot's prompt with Telegram's Reply."""
    person = getattr(harness.people, user)
    harness.fake.register_user(person)
    message = harness.fake.add_message(
        prompt.chat_id, person.to_dict(), text=text, reply_to_message_id=prompt.message_id
    )
    update = {"update_id": harness.fake.next_update_id(), "message": harness.fake.render(message)}
    return await harness.rig.feed(update)


async def _case_view(harness: BotHarness) -> None:
    report = await file_report(harness)
    await _notice(harness, report)
    await _press(harness, "moderator", "✅ Verificar")
    await say(harness, harness.people.moderator, "/case C1")


async def test_case_buttons_offer_only_legal_actions(desk: BotHarness) -> None:
    await _case_view(desk)
    view = next(
        message
        for message in reversed(desk.fake.bot_messages(desk.people.moderator.id))
        if message.body.startswith("<b>Caso C1</b>")
    )
    assert _labels(desk, view) == [
        "🏠 Arresto domiciliario",
        "🔓 Excarcelación",
        "🚐 Traslado",
        "✝ Muerte bajo custodia",
    ]


async def test_a_release_button_asks_the_condition_and_records_today(desk: BotHarness) -> None:
    await _case_view(desk)
    asked = await _press(desk, "moderator", "🔓 Excarcelación")
    assert "¿con qué condición?" in asked
    last = desk.fake.last_bot_message(desk.people.moderator.id)
    assert "Arresto domiciliario" not in _labels(desk, last)
    await _press(desk, "moderator", "Prohibición de salida del país")
    case = await desk.services.cases.get(1)
    assert case is not None
    assert (case.state, case.release_conditions) == (CaseState.RELEASED, ("travel_ban",))
    assert case.released_on == dt.date(2026, 1, 12)


async def test_a_death_button_needs_a_confirmation(desk: BotHarness) -> None:
    await _case_view(desk)
    asked = await _press(desk, "moderator", "✝ Muerte bajo custodia")
    assert "¿Registrar <b>muerte bajo custodia</b> en el caso C1" in asked
    case = await desk.services.cases.get(1)
    assert case is not None and case.state is CaseState.DETAINED
    await _press(desk, "moderator", "Confirmar")
    events = await desk.services.cases.events(1)
    assert events[-1].kind is CaseEventKind.DEATH


async def test_cancel_records_nothing(desk: BotHarness) -> None:
    await _case_view(desk)
    await _press(desk, "moderator", "🏠 Arresto domiciliario")
    sent = await _press(desk, "moderator", "Cancelar")
    assert "No se registró nada" in sent
    case = await desk.services.cases.get(1)
    assert case is not None and case.state is CaseState.DETAINED


async def test_a_confirmation_pressed_after_the_case_moved_does_nothing(desk: BotHarness) -> None:
    await _case_view(desk)
    await _press(desk, "moderator", "🏠 Arresto domiciliario")
    await say(desk, desk.people.moderator2, "/transfer C1 yare", chat_id=GROUP)
    sent = await _press(desk, "moderator", "Confirmar")
    assert "cambió mientras actuabas" in sent or "changed under you" in sent
    case = await desk.services.cases.get(1)
    assert case is not None and case.state is CaseState.DETAINED


async def test_an_unknown_desk_button_gets_a_kind_answer(desk: BotHarness) -> None:
    message = desk.fake.add_bot_message(GROUP, text="old")
    calls = await desk.rig.press(
        desk.people.moderator, message.message_id, "mod:v1:legacy", chat_id=GROUP
    )
    alerts = [call.params.get("text") for call in calls if call.method == "answerCallbackQuery"]
    assert alerts == ["Este botón ya no está activo."]


async def test_an_unanswered_prompt_is_forgotten_by_the_morning_job(desk: BotHarness) -> None:
    report = await file_report(desk)
    await _notice(desk, report)
    await _press(desk, "moderator", "❓ Pedir información")
    prompt = desk.fake.last_bot_message(desk.people.moderator.id)
    desk.clock.advance(dt.timedelta(days=2))
    jobs = desk.app.job_queue
    assert jobs is not None
    (job,) = jobs.get_jobs_by_name("moderation_digest")
    await job.run(desk.app)
    await _reply(desk, prompt, "¿Sigue ahí?")
    assert await desk.services.followups.thread(report.id) == []


async def test_a_reply_from_a_moderator_revoked_meanwhile_asks_nothing(desk: BotHarness) -> None:
    report = await file_report(desk)
    await _notice(desk, report)
    await _press(desk, "moderator", "❓ Pedir información")
    prompt = desk.fake.last_bot_message(desk.people.moderator.id)
    await say(desk, desk.people.admin, f"/revoke {desk.people.moderator.id}")
    calls = await _reply(desk, prompt, "¿Dónde está?")
    assert texts(calls, desk.people.moderator.id) == "Este comando no está disponible."
    assert await desk.services.followups.thread(report.id) == []
