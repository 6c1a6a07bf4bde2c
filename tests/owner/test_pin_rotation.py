"""A key change keeps the family's PIN: found and checked under the old key while it is
configured, sealed again under the new one when next typed, then the new key alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storage.crypto import FieldCipher
from storage.database import Database
from storage.rotation import KeyRotation
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings
from tests.owner.helpers import PIN, last, say, set_pin
from tests.safety.helpers import file_report


async def unlock_with_pin(harness: BotHarness) -> str:
    family = harness.people.family_es
    harness.clock.advance(dt.timedelta(minutes=10))
    await say(harness, family, "/misreportes")
    await say(harness, family, PIN)
    return last(harness, family.id)


async def test_the_pin_survives_a_key_rotation(harness: BotHarness, tmp_path: Path) -> None:
    await file_report(harness, harness.people.family_es, name="Pedro Pérez")
    await set_pin(harness, harness.people.family_es)
    await harness.stop()
    db = Database(harness.settings.database_path)
    await db.connect()
    report = await KeyRotation(db, FieldCipher(NEW_KEY, (TEST_KEY,))).run()
    await db.close()
    assert "chat_secrets.chat_key" not in report.kept_hashes
    assert "chat_secrets.chat_key" not in report.unmatched_hashes

    both = BotHarness(
        make_settings(tmp_path, encryption_key=NEW_KEY, encryption_old_keys=(TEST_KEY,)),
        harness.clock,
    )
    await both.start()
    try:
        assert "Pedro Pérez" in await unlock_with_pin(both)
    finally:
        await both.stop()

    new_only = BotHarness(make_settings(tmp_path, encryption_key=NEW_KEY), harness.clock)
    await new_only.start()
    try:
        assert "Pedro Pérez" in await unlock_with_pin(new_only)
    finally:
        await new_only.stop()
