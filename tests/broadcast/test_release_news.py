"""Verified release news: a one-tap broadcast draft offered after a release is recorded."""

from __future__ import annotations

from handlers.broadcast import offer_release_broadcast
from handlers.context import VigiaContext
from storage.roles import Role
from tests.broadcast.helpers import add_case, delivered, subscribe
from tests.harness import BotHarness
from tests.roles import grant


async def offer(harness: BotHarness, case_id: int) -> None:
    """What moderation does right after recording the release, in the moderator's chat."""
    moderator = harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    await offer_release_broadcast(VigiaContext(harness.app), moderator.id, case_id)


async def test_the_moderator_gets_the_draft_in_both_languages(harness: BotHarness) -> None:
    case_id = await add_case(harness)
    await offer(harness, case_id)
    text = harness.fake.last_text(harness.people.moderator.id)
    assert f"(caso C{case_id})" in text
    assert "<b>Nombre:</b> José Pérez" in text
    assert "<b>Fecha de detención:</b> 3 de agosto de 2024" in text
    assert "<b>Dónde:</b> El Helicoide, Distrito Capital" in text
    assert "<b>Fecha de excarcelación:</b> 10 de enero de 2026" in text
    assert "<b>Name:</b> José Pérez" in text
    assert "<b>Detained since:</b> August 3, 2024" in text
    assert "<b>Released on:</b> January 10, 2026" in text
    assert "<b>Conditions:</b> Court presentation every few days; Travel ban" in text
    labels = [
        label
        for row in harness.fake.buttons(harness.fake.last_bot_message(harness.people.moderator.id))
        for label, _ in row
    ]
    assert labels == ["📣 Difundir", "🗑 Descartar"]


async def test_the_draft_carries_the_court_presentation_interval(harness: BotHarness) -> None:
    case_id = await add_case(harness, presentation_days="8")
    await offer(harness, case_id)
    text = harness.fake.last_text(harness.people.moderator.id)
    assert "<b>Conditions:</b> Court presentation every 8 days; Travel ban" in text
    assert "<b>Condiciones:</b> Presentación en tribunales cada 8 días;" in text


async def test_one_tap_sends_it_to_every_subscriber_in_their_language(
    harness: BotHarness,
) -> None:
    spanish = await subscribe(harness, 2, "es", first=700_000)
    [english] = await subscribe(harness, 1, "en", first=710_000)
    await offer(harness, await add_case(harness))
    moderator = harness.people.moderator
    await harness.rig.press_button(moderator, "📣 Difundir")
    await harness.services.outbox_worker.drain()
    for chat_id in spanish:
        [call] = delivered(harness, chat_id)
        assert call.params["text"].startswith("🕊️ <b>Excarcelación verificada</b>")
    [call] = delivered(harness, english)
    assert call.params["text"].startswith("🕊️ <b>Verified release</b>")
    assert "Entregados: 3 de 3" in harness.fake.last_text(moderator.id)


async def test_names_are_escaped_in_the_news(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await offer(harness, await add_case(harness, person_name="Ana <i>Gómez</i>"))
    await harness.rig.press_button(harness.people.moderator, "📣 Difundir")
    await harness.services.outbox_worker.drain()
    assert "<b>Nombre:</b> Ana &lt;i&gt;Gómez&lt;/i&gt;" in harness.fake.last_text(chat_id)


async def test_nothing_is_offered_without_consent_to_publish(harness: BotHarness) -> None:
    case_id = await add_case(harness, publish_consent="0")
    await offer(harness, case_id)
    assert harness.fake.calls("sendMessage", chat_id=harness.people.moderator.id) == []


async def test_nothing_is_offered_for_a_case_still_detained(harness: BotHarness) -> None:
    case_id = await add_case(harness, state="detained", released_on="", release_conditions="")
    await offer(harness, case_id)
    assert harness.fake.calls("sendMessage", chat_id=harness.people.moderator.id) == []


async def test_consent_withdrawn_before_the_tap_sends_nothing(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    case_id = await add_case(harness)
    await offer(harness, case_id)
    async with harness.services.db.transaction() as conn:
        # What /privacy does when the only consenting reporter withdraws.
        await conn.execute("UPDATE cases SET publish_consent = 0 WHERE id = ?", (case_id,))
    await harness.rig.press_button(harness.people.moderator, "📣 Difundir")
    await harness.services.outbox_worker.drain()
    assert delivered(harness, chat_id) == []
    assert "ya no se autoriza su publicación" in harness.fake.last_text(
        harness.people.moderator.id
    )


async def test_discard_sends_nothing(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await offer(harness, await add_case(harness))
    await harness.rig.press_button(harness.people.moderator, "🗑 Descartar")
    await harness.services.outbox_worker.drain()
    assert delivered(harness, chat_id) == []
    assert harness.fake.last_text(harness.people.moderator.id) == "Descartado: no se envió nada."


async def test_the_tap_rechecks_the_role(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await offer(harness, await add_case(harness))
    moderator = harness.people.moderator
    await harness.services.roles.revoke(moderator.id)
    await harness.rig.press_button(moderator, "📣 Difundir")
    await harness.services.outbox_worker.drain()
    assert delivered(harness, chat_id) == []
    answer = harness.fake.calls("answerCallbackQuery")[-1]
    assert answer.params.get("text") == "Este comando no está disponible."


async def test_a_second_tap_sends_once(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await offer(harness, await add_case(harness))
    moderator = harness.people.moderator
    offered = harness.fake.last_bot_message(moderator.id)
    data = harness.fake.buttons(offered)[0][0][1]
    assert data is not None
    await harness.rig.press(moderator, offered.message_id, data)
    await harness.rig.press(moderator, offered.message_id, data)
    await harness.services.outbox_worker.drain()
    assert len(delivered(harness, chat_id)) == 1
