"""/privacidad, /privacy: automatic deletion, withdrawing consent, and nothing trusted
from the buttons."""

from __future__ import annotations

from services.case_files import PUBLIC, values
from tests.harness import BotHarness
from tests.safety.helpers import (
    file_report,
    open_privacy,
    report_row,
    report_through_intake,
    reports_of,
    verify_as_moderator,
)


async def public_names(harness: BotHarness) -> list[str]:
    """The names the public file shows (only where publication was consented)."""
    cases = await harness.services.exports.cases(public=True)
    named = (values(case, PUBLIC)["person_name"] for case in cases)
    return [name for name in named if name]


async def test_privacy_lists_only_this_chats_reports_with_names_escaped(
    harness: BotHarness,
) -> None:
    user, other = harness.people.family_es, harness.people.family_en
    filed = await file_report(harness, user, name="Ana <b>Díaz</b>")
    await file_report(harness, other, name="Otro Nombre", cedula="V22222222")
    await open_privacy(harness, user, filed.receipt_code)
    text = harness.fake.last_text(user.id)
    assert "Ana &lt;b&gt;Díaz&lt;/b&gt;" in text
    assert "Otro Nombre" not in text
    assert "se puede publicar: sí" in text


async def test_privacy_opens_from_the_main_menu(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    await harness.rig.press_button(user, "🔒 Privacidad")
    assert "<b>Privacidad</b>" in harness.fake.last_text(user.id)


async def test_automatic_deletion_is_remembered_across_a_restart(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/privacidad")
    await harness.rig.press_button(user, "Activar el borrado automático")
    assert "está <b>activado</b>" in harness.fake.last_text(user.id)
    await harness.restart()
    assert await harness.services.privacy.auto_wipe(user.id)
    await harness.rig.send_text(user, "/privacidad")
    await harness.rig.press_button(user, "Desactivar el borrado automático")
    assert not await harness.services.privacy.auto_wipe(user.id)


async def test_withdrawing_publication_takes_the_case_out_of_public_lists_at_once(
    harness: BotHarness,
) -> None:
    user = harness.people.family_en
    code = await report_through_intake(harness, user, name="Pedro Pérez")
    await verify_as_moderator(harness, code)
    assert await public_names(harness) == ["Pedro Pérez"]
    await open_privacy(harness, user, code)
    await harness.rig.press_button(user, "1: do not publish")
    assert await public_names(harness) == []
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and report.publish_consent_at is None
    assert "may be published: no" in harness.fake.last_text(user.id)


async def test_a_case_stays_public_while_another_family_consents(harness: BotHarness) -> None:
    first, second = harness.people.family_en, harness.people.family_es
    code = await report_through_intake(harness, first, name="Pedro Pérez")
    await verify_as_moderator(harness, code)
    other = await file_report(harness, second, name="Pedro Pérez", cedula="V12345678")
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and report.case_id is not None
    await harness.rig.send_text(
        harness.people.moderator, f"/duplicate {other.receipt_code} {report.case_id}"
    )
    await open_privacy(harness, first, code)
    await harness.rig.press_button(first, "1: do not publish")
    assert await public_names(harness) == ["Pedro Pérez"]
    await open_privacy(harness, second, other.receipt_code)
    await harness.rig.press_button(second, "1: no publicar")
    assert await public_names(harness) == []


async def test_withdrawing_contact_consent(harness: BotHarness) -> None:
    user = harness.people.family_es
    filed = await file_report(harness, user)
    await open_privacy(harness, user, filed.receipt_code)
    await harness.rig.press_button(user, "1: no escribirme")
    assert (await report_row(harness, filed.report.id))["contact_consent_at"] is None
    labels = [
        text
        for row in harness.fake.buttons(harness.fake.last_bot_message(user.id))
        for text, _ in row
    ]
    assert "1: no escribirme" not in labels


async def test_a_button_for_someone_elses_report_changes_nothing(harness: BotHarness) -> None:
    user, owner = harness.people.family_es, harness.people.family_en
    theirs = await file_report(harness, owner)
    await harness.rig.send_text(user, "/privacidad")
    message = harness.fake.last_bot_message(user.id)
    calls = await harness.rig.press(
        user, message.message_id, f"safety:priv:pub:{theirs.report.id}"
    )
    answers = [call for call in calls if call.method == "answerCallbackQuery"]
    assert answers and answers[0].params["text"] == "Este botón ya no es válido."
    assert (await report_row(harness, theirs.report.id))["publish_consent_at"] is not None


async def test_a_forged_button_is_refused_kindly(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/privacidad")
    message = harness.fake.last_bot_message(user.id)
    calls = await harness.rig.press(user, message.message_id, "safety:priv:pub:1; DROP TABLE")
    answers = [call for call in calls if call.method == "answerCallbackQuery"]
    assert answers and answers[0].params["text"] == "Este botón ya no es válido."
