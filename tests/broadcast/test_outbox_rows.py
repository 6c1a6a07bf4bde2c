"""Outbox rows over time: finished rows are purged, a forgotten chat's rows go, bad rows skip."""

from __future__ import annotations

import datetime as dt

from tests.broadcast.helpers import delivered
from tests.harness import BotHarness


async def queue(harness: BotHarness, chat_id: int, text: str) -> None:
    services = harness.services
    async with services.db.transaction() as conn:
        await services.outbox.add_notification(conn, chat_id=chat_id, language="es", text=text)


async def test_finished_rows_are_purged_after_two_days(harness: BotHarness) -> None:
    outbox = harness.services.outbox
    await queue(harness, 2001, "Enviado")
    await harness.services.outbox_worker.drain()
    await queue(harness, 2002, "Pendiente")
    harness.clock.advance(dt.timedelta(days=1))
    assert await outbox.purge_finished() == 0
    harness.clock.advance(dt.timedelta(days=1, seconds=1))
    assert await outbox.purge_finished() == 1
    assert await outbox.pending_count() == 1


async def test_a_forgotten_chat_loses_its_queued_messages(harness: BotHarness) -> None:
    await queue(harness, 2001, "Para olvidar")
    await queue(harness, 2002, "Para otro")
    assert await harness.services.outbox.forget_chat(2001) == 1
    await harness.services.outbox_worker.drain()
    assert delivered(harness, 2001) == []
    assert len(delivered(harness, 2002)) == 1


async def test_a_row_no_key_opens_does_not_block_the_queue(harness: BotHarness) -> None:
    await queue(harness, 2001, "Ilegible")
    await queue(harness, 2002, "Legible")
    async with harness.services.db.transaction() as conn:
        await conn.execute("UPDATE outbox SET payload_enc = 'deadbeef:AAAA' WHERE id = 1")
    await harness.services.outbox_worker.drain()
    assert delivered(harness, 2001) == []
    assert len(delivered(harness, 2002)) == 1
    assert await harness.services.outbox.pending_count() == 0
