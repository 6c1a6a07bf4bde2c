"""The outbox and broadcasts survive a key rotation: sealed texts, chat ids and hashes."""

from __future__ import annotations

from pathlib import Path

from storage.crypto import FieldCipher
from storage.database import Database
from storage.outbox import Recipient
from storage.rotation import KeyRotation
from tests.broadcast.helpers import delivered
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings


async def test_queued_messages_are_delivered_after_a_rotation(
    harness: BotHarness, tmp_path: Path
) -> None:
    services = harness.services
    sender = harness.people.broadcaster
    await services.outbox_worker.stop()  # keep everything queued across the rotation
    async with services.db.transaction() as conn:
        await services.outbox.add_notification(conn, chat_id=2001, language="es", text="Aviso")
    draft = await services.broadcasts.create_draft(
        sender_id=sender.id, sender_chat_id=sender.id, sender_language="es",
        text_es="Hola", text_en="Hello",
    )  # fmt: skip
    await services.broadcasts.start(
        draft, [Recipient(2002, "en")], sender_language="es", progress_message_id=None
    )
    await harness.stop()

    db = Database(harness.settings.database_path)
    await db.connect()
    report = await KeyRotation(db, FieldCipher(NEW_KEY, (TEST_KEY,))).run()
    await db.close()
    assert report.unmatched_hashes == {}
    assert not {"outbox.chat_key"} & set(report.kept_hashes)

    rotated = BotHarness(
        make_settings(tmp_path, database_path=harness.settings.database_path,
                      encryption_key=NEW_KEY),
        clock=harness.clock,
    )  # fmt: skip
    await rotated.start()
    try:
        await rotated.services.outbox_worker.drain()
        assert [call.params["text"] for call in delivered(rotated, 2001)] == ["Aviso"]
        assert [call.params["text"] for call in delivered(rotated, 2002)] == ["Hello"]
        assert await rotated.services.outbox.forget_chat(2001) == 1
    finally:
        await rotated.stop()
