"""/estado, /status, the menu entry and the deep link: where a report stands."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.transitions import CaseAction
from services import case_desk, desk
from tests.harness import BotHarness
from tests.status.helpers import file_report, spaced, verify_then_act


async def test_status_in_spanish_shows_state_date_and_next_step(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await harness.rig.send_text(family, f"/estado {spaced(filed.receipt_code)}")
    text = harness.fake.last_text(family.id)
    assert f"Reporte {spaced(filed.receipt_code)}" in text
    assert "Reporte: recibido, en espera de revisión" in text
    assert "Último cambio: 12 de enero de 2026" in text
    assert "Qué sigue" in text


async def test_status_in_english_for_an_english_asker(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    asker = harness.people.family_en
    await harness.rig.send_text(asker, f"/status {filed.receipt_code}")
    text = harness.fake.last_text(asker.id)
    assert "Report: received, waiting for review" in text
    assert "Last change: January 12, 2026" in text
    assert "What happens next" in text


async def test_code_matches_ignoring_spaces_dashes_and_grouping(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    code = filed.receipt_code
    messy = f"{code[:4]}-{code[4:8]} {code[8:12]}- {code[12:]}"
    await harness.rig.send_text(family, f"/estado {messy}")
    assert "Reporte: recibido" in harness.fake.last_text(family.id)


async def test_deep_link_shows_the_status(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    asker = harness.people.family_en
    await harness.rig.send_text(asker, f"/start status_{filed.receipt_code}")
    text = harness.fake.last_text(asker.id)
    assert "Report: received, waiting for review" in text
    assert "Vigía" not in text  # not the welcome: the status handler claimed the link


async def test_deep_link_takes_the_code_with_dashes(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    code = filed.receipt_code
    dashed = "-".join(code[index : index + 4] for index in range(0, 16, 4))
    asker = harness.people.family_es
    await harness.rig.send_text(asker, f"/start status_{dashed}")
    assert "Reporte: recibido, en espera de revisión" in harness.fake.last_text(asker.id)


async def test_menu_entry_asks_for_the_code_and_reads_the_next_text(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await harness.rig.send_text(family, "/start")
    await harness.rig.press_button(family, "🔎 ¿Cómo va mi reporte?")
    assert "Envíame el código de recibo" in harness.fake.last_text(family.id)
    await harness.rig.send_text(family, spaced(filed.receipt_code))
    assert "Reporte: recibido" in harness.fake.last_text(family.id)


async def test_the_code_prompt_survives_a_restart(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await harness.rig.send_text(family, "/estado")
    await harness.restart()
    await harness.rig.send_text(family, filed.receipt_code)
    assert "Reporte: recibido" in harness.fake.last_text(family.id)


@pytest.mark.parametrize(
    ("interruption", "reply", "then"),
    [
        pytest.param("/cancelar", "ya no estoy esperando", "hola", id="cancel-stops-waiting"),
        pytest.param(
            "/ayuda", "Lo que puedo hacer", "1234", id="another-command-drops-the-prompt"
        ),
    ],
)
async def test_the_code_prompt_ends_when_interrupted(
    harness: BotHarness, interruption: str, reply: str, then: str
) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/estado")
    await harness.rig.send_text(family, interruption)
    assert reply in harness.fake.last_text(family.id)
    await harness.rig.send_text(family, then)
    assert "No esperaba eso" in harness.fake.last_text(family.id)


async def test_details_are_shown_to_the_filing_chat(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family, name="María <b>Gómez</b>")
    await harness.rig.send_text(family, f"/estado {filed.receipt_code}")
    text = harness.fake.last_text(family.id)
    assert "Detalles (solo este chat los ve)" in text
    assert "Persona: María &lt;b&gt;Gómez&lt;/b&gt;" in text
    assert "Quién la detuvo: SEBIN" in text


async def test_details_are_hidden_from_another_chat_holding_the_code(
    harness: BotHarness,
) -> None:
    filed = await file_report(harness, harness.people.family_es, name="María Gómez")
    stranger = harness.people.stranger
    await harness.rig.send_text(stranger, f"/estado {filed.receipt_code}")
    text = harness.fake.last_text(stranger.id)
    assert "Reporte: recibido" in text
    assert "María" not in text
    assert "SEBIN" not in text
    assert "Detalles" not in text


async def test_unknown_code_gets_one_neutral_answer_whatever_the_reason(
    harness: BotHarness,
) -> None:
    stranger = harness.people.stranger
    answers = []
    for attempt in ("/estado 1234 5678 9012 3456", "/estado abc", "/start status_12"):
        await harness.rig.send_text(stranger, attempt)
        answers.append(harness.fake.last_text(stranger.id))
    assert len(set(answers)) == 1
    assert "No encontré ningún reporte con ese código" in answers[0]


async def test_verified_case_shows_the_place_and_what_comes_next(harness: BotHarness) -> None:
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en")
    await desk.verify(harness.services, harness.people.admin.id, filed.report.id, 0)
    await harness.rig.send_text(family, f"/status {filed.receipt_code}")
    text = harness.fake.last_text(family.id)
    assert "Report: verified" in text
    assert "Case: detained, at El Helicoide" in text
    assert "follows the case" in text


async def test_disappeared_case_reads_as_whereabouts_unknown(harness: BotHarness) -> None:
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en", whereabouts="unknown")
    await desk.verify(harness.services, harness.people.admin.id, filed.report.id, 0)
    await harness.rig.send_text(family, f"/status {filed.receipt_code}")
    text = harness.fake.last_text(family.id)
    assert "Case: detained, whereabouts unknown" in text
    assert "enforced disappearance" in text


async def test_released_case_shows_date_and_conditions(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await verify_then_act(
        harness,
        filed,
        case_desk.CaseRequest(
            CaseAction.RELEASE,
            on=dt.date(2026, 1, 30),
            conditions=("court_presentation", "press_ban"),
            presentation_days=15,
        ),
        wait=dt.timedelta(days=20),
    )
    await harness.rig.send_text(family, f"/estado {filed.receipt_code}")
    text = harness.fake.last_text(family.id)
    assert "Caso: excarcelado/a el 30 de enero de 2026" in text
    assert "Condiciones: Presentación en tribunales cada 15 días;" in text
    assert "Último cambio: 1 de febrero de 2026" in text


async def test_a_sticker_while_waiting_for_the_code_gets_a_hint(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await harness.rig.send_text(family, "/estado")
    await harness.rig.send_sticker(family)
    assert "Escribe el código como texto" in harness.fake.last_text(family.id)
    await harness.rig.send_text(family, filed.receipt_code)
    assert "Reporte: recibido" in harness.fake.last_text(family.id)
