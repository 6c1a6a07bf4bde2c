"""Anonymous two-way follow-up: /ask reaches the reporter; the answer reaches moderators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services import desk
from services.settings import Settings
from storage.followups import Direction
from storage.reports import Filed
from storage.roles import Role
from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings
from tests.roles import grant
from tests.status.helpers import deliver, file_report, spaced, texts_to


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, moderation_chat_id=MODERATION_CHAT_ID)


async def make_moderator(harness: BotHarness) -> None:
    people = harness.people
    await grant(harness, people.moderator, Role.MODERATOR)


async def ask(harness: BotHarness, code: str, question: str) -> str:
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, f"/ask {spaced(code)} {question}")
    return harness.fake.last_text(moderator.id)


async def asked(harness: BotHarness, question: str = "¿Tienes su cédula?") -> Filed:
    """A moderator asks the Spanish family about its report; the question is delivered."""
    await make_moderator(harness)
    filed = await file_report(harness, harness.people.family_es)
    await ask(harness, filed.receipt_code, question)
    await deliver(harness)
    return filed


async def test_a_full_two_way_follow_up(harness: BotHarness) -> None:
    await make_moderator(harness)
    family = harness.people.family_es
    filed = await file_report(harness, family)
    answer = await ask(harness, filed.receipt_code, "¿Sabes a dónde lo <b>trasladaron</b>?")
    assert "Pregunta enviada" in answer
    await deliver(harness)

    question = harness.fake.last_bot_message(family.id)
    assert "Una pregunta de la organización" in question.body
    assert "¿Sabes a dónde lo &lt;b&gt;trasladaron&lt;/b&gt;?" in question.body
    assert "Mod" not in question.body
    await harness.rig.press_button(family, "↩️ Responder")
    assert "Escribe tu respuesta" in harness.fake.last_text(family.id)
    await harness.rig.send_text(family, "Lo llevaron a Tocorón <ayer>")
    assert "Gracias" in harness.fake.last_text(family.id)
    await deliver(harness)

    # The group reads that #1 was answered, not the answer (issue 14); Open shows it
    # privately, with the receipt code, never the reporter's identity.
    in_group = harness.fake.last_text(MODERATION_CHAT_ID)
    assert f"#{filed.report.id} respondió" in in_group
    assert "Tocorón" not in in_group and spaced(filed.receipt_code) not in in_group
    moderator = harness.people.moderator
    await harness.rig.press_button(moderator, "🔎 Abrir", chat_id=MODERATION_CHAT_ID)
    relayed = "\n".join(texts_to(harness, moderator.id))
    assert "<b>Seguimiento con quien reportó</b>" in relayed
    assert "Lo llevaron a Tocorón &lt;ayer&gt;" in relayed
    assert family.first_name not in relayed
    assert str(family.id) not in relayed.replace(spaced(filed.receipt_code), "")
    thread = await harness.services.followups.thread(filed.report.id)
    assert [(m.direction, m.text) for m in thread] == [
        (Direction.NGO, "¿Sabes a dónde lo <b>trasladaron</b>?"),
        (Direction.REPORTER, "Lo llevaron a Tocorón <ayer>"),
    ]
    # /case CODE shows the moderators the whole thread, without the reporter's identity.
    await harness.rig.send_text(harness.people.moderator, f"/case {spaced(filed.receipt_code)}")
    view = "\n".join(texts_to(harness, harness.people.moderator.id))
    assert "<b>Seguimiento con quien reportó</b>" in view
    assert "¿Sabes a dónde lo &lt;b&gt;trasladaron&lt;/b&gt;?" in view
    assert "Lo llevaron a Tocorón &lt;ayer&gt;" in view
    assert family.first_name not in view
    assert str(family.id) not in view.replace(spaced(filed.receipt_code), "")


async def test_asking_is_recorded_in_the_audit_trail_without_the_question(
    harness: BotHarness,
) -> None:
    await make_moderator(harness)
    filed = await file_report(harness, harness.people.family_es)
    await ask(harness, filed.receipt_code, "¿Dónde está Pedro?")
    events = await harness.services.audit.events_for("report", filed.report.id)
    [event] = [event for event in events if event.action == "ask"]
    assert event.actor_key == harness.services.audit.actor_key(harness.people.moderator.id)
    assert "Pedro" not in str(event.details)


async def test_the_question_reaches_the_reporter_in_their_language(harness: BotHarness) -> None:
    await make_moderator(harness)
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en")
    await ask(harness, filed.receipt_code, "Do you know where he is held?")
    await deliver(harness)
    text = harness.fake.last_text(family.id)
    assert "A question from the organisation" in text
    assert any(
        label == "↩️ Reply"
        for row in harness.fake.buttons(harness.fake.last_bot_message(family.id))
        for label, _ in row
    )


async def test_the_answer_typed_after_a_restart_still_lands(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await asked(harness)
    await harness.rig.press_button(family, "↩️ Responder")
    await harness.restart()
    await harness.rig.send_text(family, "V-12345678")
    assert "Gracias" in harness.fake.last_text(family.id)
    thread = await harness.services.followups.thread(filed.report.id)
    assert thread[-1].text == "V-12345678"


async def test_a_reply_button_pressed_in_another_chat_is_refused(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await asked(harness)
    question = harness.fake.last_bot_message(family.id)
    [[(_, data)]] = harness.fake.buttons(question)
    assert data is not None
    stranger = harness.people.stranger
    # The same button data in another chat, as a forged or copied button would carry.
    copy = harness.fake.add_bot_message(
        stranger.id,
        text="?",
        reply_markup={"inline_keyboard": [[{"text": "↩️", "callback_data": data}]]},
    )
    calls = await harness.rig.press(stranger, copy.message_id, data)
    alerts = [call for call in calls if call.method == "answerCallbackQuery"]
    assert alerts and "ya no está abierta" in alerts[0].params["text"]
    await harness.rig.send_text(stranger, "soy otra persona")
    assert len(await harness.services.followups.thread(filed.report.id)) == 1


async def test_cancel_drops_the_reply_prompt(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await asked(harness)
    await harness.rig.press_button(family, "↩️ Responder")
    await harness.rig.send_text(family, "/cancelar")
    await harness.rig.send_text(family, "no sé")
    assert len(await harness.services.followups.thread(filed.report.id)) == 1


async def test_a_reporter_who_did_not_consent_is_not_asked(harness: BotHarness) -> None:
    await make_moderator(harness)
    family = harness.people.family_es
    filed = await file_report(harness, family, contact=False)
    answer = await ask(harness, filed.receipt_code, "¿Tienes su cédula?")
    assert "no aceptó que lo contactaran" in answer
    await deliver(harness)
    assert texts_to(harness, family.id) == []
    assert await harness.services.followups.thread(filed.report.id) == []


async def test_ask_is_not_available_to_families(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    stranger = harness.people.stranger
    await harness.rig.send_text(stranger, f"/ask {filed.receipt_code} ¿quién eres?")
    assert "no está disponible" in harness.fake.last_text(stranger.id)
    await deliver(harness)
    assert texts_to(harness, harness.people.family_es.id) == []


async def test_ask_with_an_unknown_code_or_without_a_question(harness: BotHarness) -> None:
    await make_moderator(harness)
    assert "Ningún reporte tiene ese código o número" in await ask(harness, "1" * 16, "¿Hola?")
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, "/ask 1234")
    assert "Uso: /preguntar" in harness.fake.last_text(moderator.id)


async def test_moderators_can_ask_from_the_moderation_group(harness: BotHarness) -> None:
    await make_moderator(harness)
    family = harness.people.family_es
    filed = await file_report(harness, family)
    moderator = harness.people.moderator
    await harness.rig.send_text(
        moderator, f"/ask {filed.receipt_code} ¿Sigue detenido?", chat_id=MODERATION_CHAT_ID
    )
    # Confirmed privately: the confirmation names the receipt code (issue 14).
    assert "Pregunta enviada" in harness.fake.last_text(moderator.id)
    assert filed.receipt_code not in harness.fake.last_text(MODERATION_CHAT_ID)
    await deliver(harness)
    assert "Una pregunta de la organización" in harness.fake.last_text(family.id)


async def test_without_a_group_answers_reach_each_moderator_privately(
    tmp_path: Path,
) -> None:
    bot = BotHarness(make_settings(tmp_path))
    await bot.start()
    try:
        people = bot.people
        await grant(bot, people.moderator2, Role.MODERATOR)
        await bot.rig.send_text(people.moderator2, "/language en")
        filed = await file_report(bot, people.family_es)
        await bot.rig.send_text(people.admin, f"/ask {filed.receipt_code} ¿Dónde está?")
        await deliver(bot)
        await bot.rig.press_button(people.family_es, "↩️ Responder")
        await bot.rig.send_text(people.family_es, "En Yare")
        await deliver(bot)
        assert "Respuesta de quien hizo el reporte" in bot.fake.last_text(people.admin.id)
        assert "Answer from the reporter" in bot.fake.last_text(people.moderator2.id)
    finally:
        await bot.stop()


async def test_retention_purges_the_threads_of_rejected_reports_only(
    harness: BotHarness,
) -> None:
    await make_moderator(harness)
    family = harness.people.family_es
    rejected = await file_report(harness, family, name="Uno")
    kept = await file_report(harness, family, name="Dos")
    await ask(harness, rejected.receipt_code, "¿Primera?")
    await ask(harness, kept.receipt_code, "¿Segunda?")
    await desk.reject(
        harness.services, harness.people.admin.id, rejected.report.id, 0, "insufficient", None
    )
    harness.clock.advance(dt.timedelta(days=1))
    purged = await harness.services.followups.purge_rejected(harness.clock.now())
    assert purged == 1
    assert await harness.services.followups.thread(rejected.report.id) == []
    assert len(await harness.services.followups.thread(kept.report.id)) == 1


async def test_a_too_long_answer_is_refused_and_the_reply_stays_open(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await asked(harness, "¿Qué pasó?")
    await harness.rig.press_button(family, "↩️ Responder")
    await harness.rig.send_text(family, "a" * 2001)
    assert "Tu respuesta es muy larga: 2001 caracteres" in harness.fake.last_text(family.id)
    await harness.rig.send_text(family, "Versión corta")
    thread = await harness.services.followups.thread(filed.report.id)
    assert [m.text for m in thread][-1] == "Versión corta"


async def test_ask_also_takes_the_report_number(harness: BotHarness) -> None:
    await make_moderator(harness)
    family = harness.people.family_es
    filed = await file_report(harness, family)
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, f"/preguntar #{filed.report.id} ¿Y\nsu abogado?")
    assert "Pregunta enviada" in harness.fake.last_text(moderator.id)
    await deliver(harness)
    assert "¿Y\nsu abogado?" in harness.fake.last_text(family.id)


async def test_a_too_long_question_is_refused_with_the_limit(harness: BotHarness) -> None:
    await make_moderator(harness)
    filed = await file_report(harness, harness.people.family_es)
    answer = await ask(harness, filed.receipt_code, "¿" + "a" * 1000 + "?")
    assert "Esa pregunta es muy larga: 1002 caracteres, y el límite es 1000" in answer
    assert await harness.services.followups.thread(filed.report.id) == []
