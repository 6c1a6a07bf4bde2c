"""Release updates: /suscribir, /subscribe, /desuscribir, /unsubscribe and their buttons."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.intake.helpers import family, reach_summary_en


async def test_subscribe_in_spanish(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/suscribir")
    assert "Listo: recibirás aquí las noticias" in harness.fake.last_text(family.id)
    assert await harness.services.subscribers.is_subscribed(family.id)


async def test_subscribe_in_english_remembers_the_language(harness: BotHarness) -> None:
    family = harness.people.family_en
    await harness.rig.send_text(family, "/subscribe")
    assert "verified release updates here" in harness.fake.last_text(family.id)
    subscribers = await harness.services.subscribers.all()
    assert [(s.chat_id, s.language) for s in subscribers] == [(family.id, "en")]


async def test_subscribing_twice_keeps_one_subscription(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/suscribir")
    await harness.rig.send_text(family, "/subscribe")
    assert "Ya recibías" in harness.fake.last_text(family.id)
    assert await harness.services.subscribers.count() == 1


async def test_unsubscribe_stops_the_updates(harness: BotHarness) -> None:
    family = harness.people.family_en
    await harness.rig.send_text(family, "/subscribe")
    await harness.rig.send_text(family, "/unsubscribe")
    assert "no longer receive release updates" in harness.fake.last_text(family.id)
    assert not await harness.services.subscribers.is_subscribed(family.id)
    assert await harness.services.subscribers.count() == 0


async def test_unsubscribe_when_not_subscribed_says_so(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/desuscribir")
    assert "No estabas recibiendo" in harness.fake.last_text(family.id)


async def test_the_offer_after_filing_subscribes_and_loses_its_buttons(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    offer = harness.fake.add_bot_message(
        family.id,
        text="¿Quieres recibir noticias?",
        reply_markup={"inline_keyboard": [[{"text": "Sí", "callback_data": "sub:subscribe"}]]},
    )
    await harness.rig.press(family, offer.message_id, "sub:subscribe")
    assert await harness.services.subscribers.is_subscribed(family.id)
    stored = harness.fake.message(family.id, offer.message_id)
    assert stored is not None
    assert stored.reply_markup is None
    assert "Listo: recibirás" in harness.fake.last_text(family.id)


async def test_the_menu_entry_offers_the_opposite_of_the_current_choice(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await harness.rig.send_text(family, "/start")
    await harness.rig.press_button(family, "🔔 Release updates")
    await harness.rig.press_button(family, "🔔 Receive release updates")
    assert await harness.services.subscribers.is_subscribed(family.id)
    await harness.rig.send_text(family, "/start")
    await harness.rig.press_button(family, "🔔 Release updates")
    assert "You receive the organisation's" in harness.fake.last_text(family.id)
    await harness.rig.press_button(family, "🔕 Stop release updates")
    assert not await harness.services.subscribers.is_subscribed(family.id)


async def test_subscriptions_are_listed_for_the_broadcast_in_batches(
    harness: BotHarness,
) -> None:
    subscribers = harness.services.subscribers
    for chat_id in range(5000, 5025):
        await subscribers.subscribe(chat_id, "en" if chat_id % 5 == 0 else "es")
    listed = [s async for s in subscribers.iterate(batch_rows=7)]
    assert [s.chat_id for s in listed] == list(range(5000, 5025))
    assert await subscribers.count_by_language() == {"es": 20, "en": 5}


async def test_subscriber_chat_ids_are_not_stored_in_plaintext(harness: BotHarness) -> None:
    await harness.services.subscribers.subscribe(77777777, "es")
    raw = harness.settings.database_path.read_bytes()
    wal = harness.settings.database_path.with_name("vigia.db-wal")
    if wal.exists():
        raw += wal.read_bytes()
    assert b"77777777" not in raw


async def test_desuscribir_in_spanish_stops_the_updates(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/suscribir")
    await harness.rig.send_text(family, "/desuscribir")
    assert "Listo: ya no recibirás noticias" in harness.fake.last_text(family.id)
    assert not await harness.services.subscribers.is_subscribed(family.id)


async def test_the_offer_made_by_intake_subscribes_in_the_reporters_language(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    await reporter.tap("🔔 Yes, send me updates")
    assert "verified release updates here" in harness.fake.last_text(reporter.user.id)
    subscribers = await harness.services.subscribers.all()
    assert [(s.chat_id, s.language) for s in subscribers] == [(reporter.user.id, "en")]


async def test_declining_the_offer_after_filing_subscribes_nobody(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    await reporter.tap("No, thanks")
    assert await harness.services.subscribers.count() == 0
