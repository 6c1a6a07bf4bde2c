"""Family notifications carry no content until the family proves itself, unless it
chose notifications with content in /privacidad; the moderators' questions too."""

from __future__ import annotations

import datetime as dt

from services import desk
from storage.roles import Role
from tests.harness import BotHarness
from tests.owner.helpers import PIN, last, said_since, say, set_pin
from tests.roles import grant
from tests.safety.helpers import file_report
from tests.status.helpers import deliver, spaced

WAITING = "🔔 Hay novedades. Envía /novedades para verlas."


async def test_a_change_says_only_that_there_is_news_until_the_pin(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family, name="Pedro Pérez")
    await set_pin(harness, family)
    harness.clock.advance(dt.timedelta(minutes=10))
    cursor = harness.fake.call_count()
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    assert last(harness, family.id) == WAITING
    said = said_since(harness, family.id, cursor)
    assert "Pedro" not in said and filed.receipt_code[:4] not in said
    assert "revisión" not in said
    await say(harness, family, "/novedades")
    assert "PIN" in last(harness, family.id)
    await say(harness, family, PIN)
    news = last(harness, family.id)
    assert f"Novedades sobre tu reporte {spaced(filed.receipt_code)}" in news
    assert "Reporte: en revisión" in news
    # Seen: nothing new until the next change.
    await say(harness, family, "/novedades")
    assert last(harness, family.id) == "No hay novedades."


async def test_a_chat_without_news_and_a_chat_without_reports_read_the_same(
    harness: BotHarness,
) -> None:
    family, nobody = harness.people.family_es, harness.people.stranger
    filed = await file_report(harness, family)
    await say(harness, family, "/novedades")
    await say(harness, family, filed.receipt_code)
    await say(harness, nobody, "/novedades")
    assert last(harness, family.id) == last(harness, nobody.id) == "No hay novedades."


async def test_a_family_may_choose_notifications_with_content(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await say(harness, family, "/privacidad")
    # Choosing content is for the family itself: the button asks for the secret first.
    await harness.rig.press_button(family, "🔑 Mostrar mis reportes")
    await say(harness, family, filed.receipt_code)
    await harness.rig.press_button(family, "Mostrar el contenido en los avisos")
    assert "llegan <b>con su contenido</b>" in last(harness, family.id)
    await desk.take(harness.services, harness.people.admin.id, filed.report.id, 0)
    await deliver(harness)
    assert "Reporte: en revisión" in last(harness, family.id)
    # And back, without any secret.
    harness.clock.advance(dt.timedelta(minutes=10))
    await harness.rig.press_button(family, "Avisos sin contenido")
    assert not (await harness.services.gate.secrets.state(family.id)).full_news


async def test_a_question_of_the_moderators_follows_the_same_rule(harness: BotHarness) -> None:
    family, moderator = harness.people.family_es, harness.people.moderator
    filed = await file_report(harness, family, name="Pedro Pérez")
    await grant(harness, moderator, Role.MODERATOR)
    await say(harness, moderator, f"/preguntar {filed.receipt_code} ¿Dónde lo tienen?")
    await deliver(harness)
    assert last(harness, family.id) == WAITING
    # The notice's own button asks for the secret, then shows the question to answer.
    await harness.rig.press_button(family, "🔑 Abrir")
    await say(harness, family, filed.receipt_code)
    assert "¿Dónde lo tienen?" in last(harness, family.id)
    await harness.rig.press_button(family, "↩️ Responder")
    await say(harness, family, "En El Helicoide")
    assert "Gracias" in last(harness, family.id)
    # Answered: no longer news.
    await say(harness, family, "/novedades")
    assert last(harness, family.id) == "No hay novedades."


async def test_an_old_reply_button_asks_for_the_secret_once_the_chat_is_locked(
    harness: BotHarness,
) -> None:
    family, moderator = harness.people.family_es, harness.people.moderator
    filed = await file_report(harness, family)
    await grant(harness, moderator, Role.MODERATOR)
    await say(harness, moderator, f"/preguntar {filed.receipt_code} ¿Cuándo?")
    await deliver(harness)
    await say(harness, family, "/novedades")
    await say(harness, family, filed.receipt_code)
    harness.clock.advance(dt.timedelta(minutes=6))
    await harness.rig.press_button(family, "↩️ Responder")
    assert "PIN" in last(harness, family.id)
