"""The outbox under Telegram's answers: 429, 403, network errors, restarts, crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.outbox import Recipient
from tests.broadcast.helpers import (
    delivered,
    deliveries_per_chat,
    make_broadcaster,
    send_broadcast,
    subscribe,
)
from tests.harness import BotHarness, make_settings

CHANNEL_ID = -100_777


@pytest.fixture
async def fast(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The paid-broadcast ceiling, so hundreds of messages take a fraction of a second."""
    bot = BotHarness(make_settings(tmp_path, broadcast_rate=1000))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def test_many_subscribers_through_429_and_403(fast: BotHarness) -> None:
    await make_broadcaster(fast)
    chats = await subscribe(fast, 200, "es", first=700_000)
    chats += await subscribe(fast, 100, "en", first=710_000)
    blocked = chats[10::50]
    for chat_id in blocked:
        fast.fake.block_chat(chat_id)
    fast.fake.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=chats[150])
    await send_broadcast(fast, "Hola", "Hello")
    counts = deliveries_per_chat(fast, chats)
    assert all(counts[chat_id] == 1 for chat_id in chats if chat_id not in blocked)
    assert all(counts[chat_id] == 0 for chat_id in blocked)
    # The 429 was answered by waiting and sending the same message again.
    attempts = fast.fake.calls("sendMessage", chat_id=chats[150])
    assert [call.ok for call in attempts] == [False, True]
    # Above Telegram's free 30 messages/s, broadcasts are paid ones.
    assert attempts[-1].params.get("allow_paid_broadcast") is True


async def test_chats_that_blocked_the_bot_are_unsubscribed(fast: BotHarness) -> None:
    await make_broadcaster(fast)
    chats = await subscribe(fast, 5, "es", first=700_000)
    fast.fake.block_chat(chats[2])
    await send_broadcast(fast, "Hola")
    subscribers = fast.services.subscribers
    assert not await subscribers.is_subscribed(chats[2])
    assert await subscribers.count() == 4
    report = fast.fake.last_text(fast.people.broadcaster.id)
    assert "Entregados: 4 de 5" in report
    assert "Bloquearon el bot o borraron su cuenta (dados de baja): 1" in report


async def test_a_429_that_outlasts_the_rate_limiter_pauses_and_resends_once(
    harness: BotHarness,
) -> None:
    # The Application's AIORateLimiter retries a 429 three times; a fourth 429 reaches
    # the outbox worker, which waits the time Telegram asks and sends the same row again.
    await make_broadcaster(harness)
    chats = await subscribe(harness, 3, "es", first=700_000)
    harness.fake.fail_next("sendMessage", error_code=429, retry_after=1, times=4, chat_id=chats[1])
    await send_broadcast(harness, "Hola")
    assert deliveries_per_chat(harness, chats) == {chat_id: 1 for chat_id in chats}
    assert len(harness.fake.calls("sendMessage", chat_id=chats[1])) == 5


async def test_at_the_default_rate_broadcasts_are_not_paid(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    await send_broadcast(harness, "Hola")
    [call] = delivered(harness, chat_id)
    assert "allow_paid_broadcast" not in call.params


async def test_network_errors_are_retried_with_backoff(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    chats = await subscribe(harness, 3, "es", first=700_000)
    harness.fake.fail_next("sendMessage", network=True, times=2, chat_id=chats[0])
    await send_broadcast(harness, "Hola")
    assert delivered(harness, chats[0]) == []
    worker = harness.services.outbox_worker
    harness.clock.advance(dt.timedelta(seconds=4))
    await worker.drain()
    assert len(harness.fake.calls("sendMessage", chat_id=chats[0])) == 1  # not due yet
    harness.clock.advance(dt.timedelta(seconds=1))
    await worker.drain()  # second failure: the wait doubles to 10 s
    harness.clock.advance(dt.timedelta(seconds=10))
    await worker.drain()
    assert len(delivered(harness, chats[0])) == 1
    assert "Entregados: 3 de 3" in harness.fake.last_text(harness.people.broadcaster.id)


async def test_a_server_error_is_retried_and_a_bad_request_is_not(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    chats = await subscribe(harness, 2, "es", first=700_000)
    harness.fake.fail_next("sendMessage", error_code=502, chat_id=chats[0])
    harness.fake.fail_next("sendMessage", error_code=400, chat_id=chats[1])
    await send_broadcast(harness, "Hola")
    harness.clock.advance(dt.timedelta(minutes=1))
    await harness.services.outbox_worker.drain()
    assert len(delivered(harness, chats[0])) == 1
    assert len(harness.fake.calls("sendMessage", chat_id=chats[1])) == 1
    assert "No se pudieron entregar: 1" in harness.fake.last_text(harness.people.broadcaster.id)


async def test_retries_end_after_the_last_attempt(harness: BotHarness) -> None:
    await make_broadcaster(harness)
    [chat_id] = await subscribe(harness, 1, "es", first=700_000)
    harness.fake.fail_next("sendMessage", network=True, times=10, chat_id=chat_id)
    await send_broadcast(harness, "Hola")
    for _ in range(8):
        harness.clock.advance(dt.timedelta(minutes=10))
        await harness.services.outbox_worker.drain()
    assert len(harness.fake.calls("sendMessage", chat_id=chat_id)) == 6
    assert "No se pudieron entregar: 1" in harness.fake.last_text(harness.people.broadcaster.id)


async def test_a_restart_mid_broadcast_sends_to_everyone_exactly_once(tmp_path: Path) -> None:
    bot = BotHarness(make_settings(tmp_path, broadcast_rate=150))
    await bot.start()
    try:
        await make_broadcaster(bot)
        chats = await subscribe(bot, 300, "es", first=700_000)
        await send_broadcast_in_background(bot, "Hola")
        await wait_for_deliveries(bot, chats, at_least=60)
        await bot.restart()
        sent_before = sum(deliveries_per_chat(bot, chats).values())
        assert 60 <= sent_before < 300
        await bot.services.outbox_worker.drain()
        assert deliveries_per_chat(bot, chats) == {chat_id: 1 for chat_id in chats}
        assert "Entregados: 300 de 300" in bot.fake.last_text(bot.people.broadcaster.id)
    finally:
        await bot.stop()


async def test_rows_caught_mid_send_by_a_crash_are_not_sent_twice(harness: BotHarness) -> None:
    """A crash leaves rows whose request had started in `sending`: Telegram may have
    delivered them, so they are counted as sent, unconfirmed; every other row is sent."""
    await make_broadcaster(harness)
    services = harness.services
    sender = harness.people.broadcaster
    chats = await subscribe(harness, 5, "es", first=700_000)
    await services.outbox_worker.stop()  # as if the process died before sending
    broadcast_id = await services.broadcasts.create_draft(
        sender_id=sender.id, sender_chat_id=sender.id, sender_language="es", text_es="Hola"
    )
    recipients = [Recipient(chat_id, "es") for chat_id in chats]
    await services.broadcasts.start(
        broadcast_id, recipients, sender_language="es", progress_message_id=None
    )
    in_flight = [row for row in await services.outbox.due(10) if row.chat_id in chats[:2]]
    await services.outbox.mark_sending([row.id for row in in_flight])
    await harness.restart()
    await harness.services.outbox_worker.drain()
    counts = deliveries_per_chat(harness, chats)
    assert counts == {chat_id: 1 for chat_id in chats[2:]}
    report = harness.fake.last_text(sender.id)
    assert "Entregados: 5 de 5" in report
    assert "no se reenviaron (probablemente entregados): 2" in report


async def test_progress_is_edited_at_most_every_two_seconds(tmp_path: Path) -> None:
    bot = BotHarness(make_settings(tmp_path, broadcast_rate=100))
    await bot.start()
    try:
        await make_broadcaster(bot)
        await subscribe(bot, 500, "es", first=700_000)
        sender = bot.people.broadcaster.id
        loop = asyncio.get_running_loop()
        started = loop.time()
        seen: list[float] = []  # when each edit of the progress message was made

        async def watch() -> None:
            while True:
                edits = bot.fake.calls("editMessageText", chat_id=sender)
                seen.extend(loop.time() for _ in range(len(edits) - len(seen)))
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        try:
            await send_broadcast(bot, "Hola")
            await asyncio.sleep(0.02)
        finally:
            watcher.cancel()
        edits = [call for call in bot.fake.calls("editMessageText", chat_id=sender) if call.ok]
        middle, final = edits[:-1], edits[-1]
        # 500 messages at 100/s take about 5 s: an edit near 2 s and 4 s, then the last.
        assert len(middle) >= 2
        moments = [started, *seen[: len(middle)]]
        gaps = [later - earlier for earlier, later in itertools.pairwise(moments)]
        assert min(gaps) >= 1.9, gaps
        assert "Faltan:" in middle[0].params["text"]
        assert "Tiempo restante: aprox." in middle[0].params["text"]
        assert "Enviados: 500 · Fallidos: 0 · Faltan: 0" in final.params["text"]
        assert "Difusión #1 terminada" in bot.fake.last_text(sender)
    finally:
        await bot.stop()


async def test_the_public_channel_gets_it_first_when_set(tmp_path: Path) -> None:
    bot = BotHarness(make_settings(tmp_path, channel_id=CHANNEL_ID))
    await bot.start()
    try:
        await make_broadcaster(bot)
        [chat_id] = await subscribe(bot, 1, "en", first=710_000)
        await send_broadcast(bot, "Hola", "Hello")
        sends = [
            call for call in bot.fake.calls("sendMessage") if call.chat_id in (CHANNEL_ID, chat_id)
        ]
        assert [(call.chat_id, call.params["text"]) for call in sends] == [
            (CHANNEL_ID, "Hola"),
            (chat_id, "Hello"),
        ]
        assert all(call.ok and call.params.get("protect_content") is True for call in sends)
    finally:
        await bot.stop()


async def test_the_channel_can_be_left_out(tmp_path: Path) -> None:
    bot = BotHarness(make_settings(tmp_path, channel_id=CHANNEL_ID))
    await bot.start()
    try:
        await make_broadcaster(bot)
        await subscribe(bot, 1, "es", first=700_000)
        sender = bot.people.broadcaster
        await bot.rig.send_text(sender, "/difundir Solo suscriptores")
        await bot.rig.press_button(sender, "Omitir: español para todos")
        assert "También se publicará en el canal público." in bot.fake.last_text(sender.id)
        await bot.rig.press_button(sender, "No publicar en el canal")
        assert "No se publicará en el canal público." in bot.fake.last_text(sender.id)
        await bot.rig.press_button(sender, "✅ Enviar")
        await bot.services.outbox_worker.drain()
        assert bot.fake.calls("sendMessage", chat_id=CHANNEL_ID) == []
    finally:
        await bot.stop()


async def test_notifications_go_out_with_their_buttons_once(harness: BotHarness) -> None:
    services = harness.services
    markup = {"inline_keyboard": [[{"text": "Responder", "callback_data": "status:reply:1"}]]}
    async with services.db.transaction() as conn:
        await services.outbox.add_notification(
            conn, chat_id=2001, language="es", text="<b>Novedad</b>", reply_markup=markup
        )
    services.outbox.wake()
    await services.outbox_worker.drain()
    await harness.restart()
    await harness.services.outbox_worker.drain()
    [call] = delivered(harness, 2001)
    assert call.params["text"] == "<b>Novedad</b>"
    assert harness.fake.buttons(harness.fake.last_bot_message(2001)) == [
        [("Responder", "status:reply:1")]
    ]
    assert harness.fake.last_bot_message(2001).protect_content


async def test_a_chat_never_has_two_messages_in_flight(fast: BotHarness) -> None:
    services = fast.services
    async with services.db.transaction() as conn:
        for number in range(5):
            await services.outbox.add_notification(
                conn, chat_id=2001, language="es", text=f"Mensaje {number}"
            )
    await services.outbox_worker.drain()
    assert [call.params["text"] for call in delivered(fast, 2001)] == [
        f"Mensaje {number}" for number in range(5)
    ]


async def send_broadcast_in_background(harness: BotHarness, spanish: str) -> None:
    """Confirm a broadcast and leave the delivery to the worker's own loop."""
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, f"/difundir {spanish}")
    await harness.rig.press_button(sender, "Omitir: español para todos")
    await harness.rig.press_button(sender, "✅ Enviar")


async def wait_for_deliveries(harness: BotHarness, chats: list[int], *, at_least: int) -> None:
    for _ in range(500):
        if sum(deliveries_per_chat(harness, chats).values()) >= at_least:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the outbox worker did not start sending")
