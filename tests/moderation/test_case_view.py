"""/case: the report in full, its follow-up thread, its evidence and its history."""

from __future__ import annotations

import datetime as dt

from domain.vocabulary import ReportKind
from fake_telegram import Call
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import evidence, file_report, say


async def _case(harness: BotHarness, text: str, *, chat_id: int | None = None) -> list[Call]:
    harness.clock.advance(dt.timedelta(seconds=1))
    return await harness.rig.send_text(harness.people.moderator, text, chat_id=chat_id)


async def test_case_shows_the_report_with_every_typed_value_escaped(
    private_desk: BotHarness,
) -> None:
    report = await file_report(
        private_desk,
        name="Ana <b>Díaz</b> & Co",
        cedula="V12345678",
        circumstances="Se la llevaron a las <3 de la tarde",
        federal_entity="miranda",
        detaining_body="dgcim",
    )
    sent = await say(private_desk, private_desk.people.moderator, f"/case #{report.id}")
    assert "Persona: Ana &lt;b&gt;Díaz&lt;/b&gt; &amp; Co" in sent
    assert "Cédula: V12345678" in sent
    assert "a las &lt;3 de la tarde" in sent
    assert "Miranda" in sent and "DGCIM" in sent


async def test_case_by_receipt_code_opens_the_same_report(private_desk: BotHarness) -> None:
    report = await file_report(private_desk, name="Por Código")
    sent = await say(
        private_desk, private_desk.people.moderator, f"/caso {report.receipt_display}"
    )
    assert f"<b>Reporte #{report.id}</b>" in sent


async def test_case_resends_the_evidence_by_file_id(private_desk: BotHarness) -> None:
    fake = private_desk.fake
    photo = fake.new_file("photo", size=50_000).file_id
    document = fake.new_file("document", size=20_000, file_name="acta.pdf").file_id
    voice = fake.new_file("voice", size=9_000).file_id
    report = await file_report(
        private_desk,
        evidence=(evidence(photo, "photo"), evidence(document, "document")),
        circumstances_voice_file_id=voice,
    )
    calls = await _case(private_desk, f"/case #{report.id}")
    media = [
        (
            call.method,
            call.params.get("photo") or call.params.get("document") or call.params.get("voice"),
        )
        for call in calls
        if call.method in ("sendPhoto", "sendDocument", "sendVoice")
    ]
    assert media == [("sendVoice", voice), ("sendPhoto", photo), ("sendDocument", document)]
    captions = [call.params.get("caption") for call in calls if call.method == "sendPhoto"]
    assert captions == [f"#{report.id} · prueba 2 de 3"]


async def test_case_shows_the_follow_up_thread(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    await say(private_desk, private_desk.people.moderator, f"/needinfo #{report.id} ¿Hay abogado?")
    sent = await say(private_desk, private_desk.people.moderator, f"/case #{report.id}")
    assert "<b>Seguimiento con quien reportó</b>" in sent
    assert "Preguntamos: ¿Hay abogado?" in sent


async def test_case_shows_the_history_with_who_acted(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    await say(private_desk, private_desk.people.moderator2, f"/take #{report.id}")
    sent = await say(private_desk, private_desk.people.moderator, f"/case #{report.id}")
    assert "<b>Historial de #1</b>" in sent
    history = sent.split("<b>Historial de #1</b>")[1]
    assert "tomado" in history and "· tú" not in history


async def test_case_of_a_case_shows_its_dated_events_and_reports(private_desk: BotHarness) -> None:
    report = await file_report(private_desk, name="Caso Visto")
    await say(private_desk, private_desk.people.moderator, f"/verify #{report.id}")
    await say(private_desk, private_desk.people.moderator, "/release C1 hoy full_release")
    sent = await say(private_desk, private_desk.people.moderator, "/caso C1")
    assert "<b>Caso C1</b> · excarcelado/a" in sent
    assert f"Reportes: #{report.id}" in sent
    assert "<b>Eventos con fecha</b>" in sent and "excarcelación" in sent


async def test_case_asked_in_the_moderation_group_answers_privately(desk: BotHarness) -> None:
    report = await file_report(desk, name="En El Grupo")
    moderator = desk.people.moderator
    calls = await _case(desk, f"/case #{report.id}", chat_id=MODERATION_CHAT_ID)
    in_group = [call for call in calls if call.chat_id == MODERATION_CHAT_ID]
    assert [call.params.get("text") for call in in_group if call.method == "sendMessage"] == [
        "📬 Te respondo en nuestro chat privado."
    ]
    private = [call for call in calls if call.chat_id == moderator.id]
    assert any("En El Grupo" in str(call.params.get("text")) for call in private)


async def test_case_asked_in_the_group_by_someone_the_bot_cannot_write_to(
    desk: BotHarness,
) -> None:
    report = await file_report(desk, name="Nunca Aquí")
    moderator = desk.people.moderator
    desk.fake.block_chat(
        moderator.id, description="Forbidden: bot can't initiate conversation with a user"
    )
    calls = await _case(desk, f"/case #{report.id}", chat_id=MODERATION_CHAT_ID)
    [told] = [call for call in calls if call.method == "sendMessage"]
    assert told.chat_id == MODERATION_CHAT_ID
    assert "todavía no puedo escribirte" in str(told.params.get("text"))
    assert not any("Nunca Aquí" in str(call.params) for call in calls)


async def test_case_offers_possible_duplicates_when_the_index_has_them(
    private_desk: BotHarness,
) -> None:
    first = await file_report(private_desk, name="José Luis Pérez", cedula="V11222333")
    await say(private_desk, private_desk.people.moderator, f"/verify #{first.id}")
    second = await file_report(
        private_desk,
        name="Pérez José Luis",
        cedula="V11222333",
        reporter=private_desk.people.family_en,
    )
    await say(private_desk, private_desk.people.moderator, f"/case #{second.id}")
    view = next(
        message
        for message in reversed(private_desk.fake.bot_messages(private_desk.people.moderator.id))
        if message.body.startswith(f"<b>Reporte #{second.id}</b>")
    )
    labels = [label for row in private_desk.fake.buttons(view) for label, _ in row]
    assert "🔗 Duplicado de C1 (100%)" in labels
    await private_desk.rig.press_button(private_desk.people.moderator, "🔗 Duplicado de C1 (100%)")
    snapshot = await private_desk.services.review.get(second.id)
    assert snapshot is not None and snapshot.case_id == 1


async def test_case_reads_a_release_reports_own_answers(private_desk: BotHarness) -> None:
    report = await file_report(
        private_desk,
        kind=ReportKind.RELEASE,
        whereabouts=None,
        details={
            "released_on": "2026-01-11",
            "conditions": ["court_presentation", "travel_ban"],
            "presentation_days": 8,
            "released_from": "helicoide",
        },
    )
    sent = await say(private_desk, private_desk.people.moderator, f"/case #{report.id}")
    es = private_desk.services.catalogs.get("es")
    assert es.gettext("Travel ban") in sent
    assert "8" in sent and "El Helicoide" in sent
    assert "released_on" not in sent and "conditions:" not in sent
