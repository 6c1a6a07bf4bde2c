"""/broadcast: compose in Spanish, optionally English, preview, confirm; roles at every step."""

from __future__ import annotations

from fake_telegram import JSONDict, text_update
from storage.roles import Role
from tests.broadcast.helpers import (
    compose,
    confirm_and_deliver,
    delivered,
    make_broadcaster,
    send_broadcast,
    skip_english_and_deliver,
    subscribe,
)
from tests.harness import BotHarness
from tests.roles import grant

SPANISH = "Hoy fueron excarcelados <b>12</b> presos políticos."
ENGLISH = "Today <b>12</b> political prisoners were released."


async def test_each_subscriber_gets_the_text_in_their_language(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    spanish = await subscribe(harness, 3, "es", first=700_000)
    english = await subscribe(harness, 2, "en", first=710_000)
    await send_broadcast(harness, "Hola a todos", "Hello everyone")
    for chat_id in spanish:
        assert [call.params["text"] for call in delivered(harness, chat_id)] == ["Hola a todos"]
    for chat_id in english:
        assert [call.params["text"] for call in delivered(harness, chat_id)] == ["Hello everyone"]


async def test_broadcasts_are_protected_from_forwarding(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await send_broadcast(harness, "Hola")
    message = harness.fake.last_bot_message(chat_id)
    assert message.protect_content


async def test_skipping_english_sends_spanish_to_everyone(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [english] = await subscribe(harness, 1, "en", first=710_000)
    await send_broadcast(harness, "Solo en español")
    assert [call.params["text"] for call in delivered(harness, english)] == ["Solo en español"]


async def test_text_on_the_command_line_is_the_spanish_text(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, "/broadcast Noticia desde la misma línea")
    assert "Ahora el mismo texto en <b>inglés</b>" in harness.fake.last_text(sender.id)
    await skip_english_and_deliver(harness)
    assert harness.fake.last_text(chat_id) == "Noticia desde la misma línea"


async def test_preview_shows_exactly_what_subscribers_will_receive(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    spanish_chat = (await subscribe(harness, 2, "es", first=700_000))[0]
    await subscribe(harness, 1, "en", first=710_000)
    sender = harness.people.broadcaster
    await compose(harness, SPANISH, ENGLISH)
    texts = [message.body for message in harness.fake.bot_messages(sender.id)]
    spanish_at = texts.index("Vista previa. Los suscriptores que usan español recibirán:")
    # Tags typed as plain text stay text (escaped), exactly as subscribers will see them.
    assert (
        texts[spanish_at + 1] == "Hoy fueron excarcelados &lt;b&gt;12&lt;/b&gt; presos políticos."
    )
    assert (
        texts[spanish_at + 3] == "Today &lt;b&gt;12&lt;/b&gt; political prisoners were released."
    )
    summary = harness.fake.last_text(sender.id)
    assert "Llegará a 3 suscriptores (2 en español, 1 en inglés)." in summary
    await confirm_and_deliver(harness)
    assert harness.fake.last_text(spanish_chat) == texts[spanish_at + 1]


async def test_formatting_typed_by_the_sender_reaches_subscribers(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, "/difundir")
    bold = {"type": "bold", "offset": 0, "length": 7}
    await harness.rig.feed(_text_with_entities(harness, "Urgente: audiencia hoy", [bold]))
    await skip_english_and_deliver(harness)
    assert harness.fake.last_text(chat_id) == "<b>Urgente</b>: audiencia hoy"


async def test_without_a_channel_there_is_no_channel_button(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    await subscribe(harness, 1, "es", first=700_000)
    await compose(harness, "Hola", None)
    summary = harness.fake.last_bot_message(harness.people.broadcaster.id)
    assert [[label for label, _ in row] for row in harness.fake.buttons(summary)] == [
        ["✅ Enviar", "✖️ Cancelar"]
    ]
    assert "canal" not in summary.body


async def test_cancel_at_the_preview_sends_nothing(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await compose(harness, "No enviar", None)
    await harness.rig.press_button(harness.people.broadcaster, "✖️ Cancelar")
    await harness.services.outbox_worker.drain()
    assert delivered(harness, chat_id) == []
    assert "Cancelado" in harness.fake.last_text(harness.people.broadcaster.id)


async def test_cancel_command_ends_the_composition(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, "/difundir")
    await harness.rig.send_text(sender, "/cancelar")
    assert harness.fake.last_text(sender.id) == "Cancelado: no se envió nada."
    await harness.rig.send_text(sender, "Esto ya no es una difusión")
    assert "Omitir" not in harness.fake.last_text(sender.id)


async def test_a_second_tap_on_send_sends_once(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    sender = harness.people.broadcaster
    await compose(harness, "Una sola vez", None)
    summary = harness.fake.last_bot_message(sender.id)
    send_data = harness.button_data(summary, "✅ Enviar")
    await harness.rig.press(sender, summary.message_id, send_data)
    await harness.rig.press(sender, summary.message_id, send_data)
    await harness.services.outbox_worker.drain()
    assert len(delivered(harness, chat_id)) == 1
    answers = harness.fake.calls("answerCallbackQuery")
    assert answers[-1].params.get("text") == "Este botón ya no está activo."


async def test_english_speaking_broadcaster_is_guided_in_english(harness: BotHarness) -> None:
    sender = harness.people.moderator2  # language en
    await grant(harness, sender, Role.BROADCASTER)
    await subscribe(harness, 1, "en", first=710_000)
    await harness.rig.send_text(sender, "/broadcast")
    assert "in <b>Spanish</b>" in harness.fake.last_text(sender.id)
    await harness.rig.send_text(sender, "Hola")
    await harness.rig.press_button(sender, "Skip: Spanish for everyone")
    assert "It will go to 1 subscriber (1 in Spanish, 0 in English)." in harness.fake.last_text(
        sender.id
    )


async def test_strangers_and_moderators_cannot_broadcast(harness: BotHarness) -> None:
    await grant(harness, harness.people.moderator, Role.MODERATOR)
    for person in (harness.people.stranger, harness.people.moderator):
        await harness.rig.send_text(person, "/difundir Hola")
        assert harness.fake.last_text(person.id) == "Este comando no está disponible."
    assert harness.fake.calls("sendMessage", chat_id=700_000) == []


async def test_admins_may_broadcast(harness: BotHarness) -> None:
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/difundir De la administración")
    await skip_english_and_deliver(harness, admin)
    assert harness.fake.last_text(chat_id) == "De la administración"


async def test_a_role_revoked_before_confirming_stops_the_broadcast(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    sender = harness.people.broadcaster
    await compose(harness, "Casi", None)
    await harness.services.roles.revoke(sender.id)
    await confirm_and_deliver(harness)
    assert delivered(harness, chat_id) == []
    answers = harness.fake.calls("answerCallbackQuery")
    assert answers[-1].params.get("text") == "Este comando no está disponible."


async def test_the_composition_continues_after_a_restart(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "en", first=710_000)
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, "/difundir Antes del reinicio")
    await harness.restart()
    await harness.rig.send_text(sender, "Before the restart")
    await confirm_and_deliver(harness)
    assert harness.fake.last_text(chat_id) == "Before the restart"


async def test_nobody_subscribed_sends_nothing_and_says_so(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    await compose(harness, "¿Hay alguien?", None)
    await harness.rig.press_button(harness.people.broadcaster, "✅ Enviar")
    assert harness.fake.last_text(harness.people.broadcaster.id) == (
        "Todavía no hay suscriptores: no se envió nada."
    )


def _text_with_entities(
    harness: BotHarness, text: str, entities: list[dict[str, object]]
) -> JSONDict:
    update = text_update(harness.fake, harness.people.broadcaster, text)
    update["message"]["entities"] = entities
    return update
