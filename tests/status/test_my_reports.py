"""/misreportes, /myreports: a chat's own reports with their codes and states."""

from __future__ import annotations

from services import desk
from tests.harness import BotHarness
from tests.status.helpers import file_report, spaced


async def test_my_reports_lists_codes_and_states(harness: BotHarness) -> None:
    family = harness.people.family_es
    first = await file_report(harness, family, name="Pedro Pérez")
    second = await file_report(harness, family, name="Luis <i>Rojas</i>")
    await desk.verify(harness.services, harness.people.admin.id, first.report.id, 0)
    await harness.rig.send_text(family, "/misreportes")
    assert "Pedro" not in harness.fake.last_text(family.id)
    # Shown to the family once it gives one of its codes (or its PIN): tests/owner.
    await harness.rig.send_text(family, second.receipt_code)
    text = harness.fake.last_text(family.id)
    assert "Tus reportes</b> (2)" in text
    assert spaced(first.receipt_code) in text
    assert spaced(second.receipt_code) in text
    assert "Reporte: verificado" in text
    assert "Caso: detenido/a" in text
    assert "Luis &lt;i&gt;Rojas&lt;/i&gt;" in text


async def test_my_reports_shows_only_this_chats_reports(harness: BotHarness) -> None:
    await file_report(harness, harness.people.family_es, name="Pedro Pérez")
    other = harness.people.family_en
    await harness.rig.send_text(other, "/myreports")
    text = harness.fake.last_text(other.id)
    assert "This chat has no reports" in text
    assert "Pedro" not in text


async def test_my_reports_from_the_menu(harness: BotHarness) -> None:
    family = harness.people.family_en
    filed = await file_report(harness, family, language="en")
    await harness.rig.send_text(family, "/start")
    await harness.rig.press_button(family, "📂 My reports")
    await harness.rig.send_text(family, spaced(filed.receipt_code))
    text = harness.fake.last_text(family.id)
    assert "Your report</b> (1)" in text
    assert spaced(filed.receipt_code) in text


async def test_a_long_list_shows_the_most_recent_within_one_message(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    for number in range(17):
        filed = await file_report(harness, family, name=f"Persona {number} " + "x" * 100)
    await harness.rig.send_text(family, "/misreportes")
    await harness.rig.send_text(family, filed.receipt_code)
    text = harness.fake.last_text(family.id)
    assert "Solo se muestran los 15 más recientes" in text
    assert "Persona 16" in text
    assert "Persona 1 " not in text
    assert len(text) < 4096
