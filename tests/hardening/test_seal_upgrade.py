"""A database from before row binding (version-1 values, no key in the row) still
opens: its first start rewrites every value as version 2 bound to its row, and from
then on an old value copied into another row does not open. rotate-key does the same
on a database the bot has not opened since."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.crypto import DecryptionError, FieldCipher, is_legacy
from storage.database import Database
from storage.roles import Role
from storage.seal_upgrade import rows_are_bound
from tests.hardening.legacy import downgrade, seal_v1
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings
from tests.safety.backup_shell import shell
from tests.safety.test_rotation import populate
from tests.sealed_cells import plaintexts, sealed_columns, stored_values


async def every_value(path: Path, cipher: FieldCipher) -> dict[tuple[str, str, int], str]:
    db = Database(path)
    await db.connect()
    try:
        return await plaintexts(db, cipher, await sealed_columns(db))
    finally:
        await db.close()


async def legacy_values(path: Path) -> int:
    db = Database(path)
    await db.connect()
    try:
        count = 0
        for column in await sealed_columns(db):
            count += sum(is_legacy(stored) for _, _, stored in await stored_values(db, column))
        return count
    finally:
        await db.close()


async def old_database(harness: BotHarness) -> tuple[str, str, dict[tuple[str, str, int], str]]:
    """Data in every kind of table, then written back as the previous release left it."""
    first, second = await populate(harness)
    await harness.services.outbox_worker.drain()  # the moderators' notices too
    await harness.stop()
    path = harness.settings.database_path
    before = await every_value(path, FieldCipher(TEST_KEY))
    assert await downgrade(path, TEST_KEY) == len(before) > 20
    return first, second, before


async def test_the_first_start_binds_every_value_to_its_row(harness: BotHarness) -> None:
    first, _, before = await old_database(harness)
    path = harness.settings.database_path
    assert await legacy_values(path) == len(before)

    await harness.start()
    db = harness.services.db
    assert await rows_are_bound(db)
    assert not harness.services.cipher.legacy
    await harness.stop()
    assert await legacy_values(path) == 0
    assert await every_value(path, FieldCipher(TEST_KEY)) == before

    # The bot reads everything as before: the report, its status, the case, the roles.
    await harness.start()
    report = await harness.services.reports.by_receipt(first)
    assert report is not None and report.person_name == "Pedro Pérez"
    await harness.rig.send_text(harness.people.family_en, f"/status {first.replace(' ', '')}")
    assert "Pedro Pérez" in harness.fake.last_text(harness.people.family_en.id)
    case = await harness.services.cases.get(1)
    assert case is not None and case.person_name == "Pedro Pérez"
    assert await harness.services.roles.has_any(harness.people.moderator.id, Role.MODERATOR)


async def test_after_the_upgrade_an_old_value_moved_into_another_row_does_not_open(
    harness: BotHarness,
) -> None:
    await old_database(harness)
    await harness.start()
    first = await harness.services.db.fetch_one("SELECT MIN(id), MAX(id) FROM reports")
    assert first is not None and first[0] != first[1]
    # From a copy of the file taken before the upgrade: the first report's name, as it
    # was then, written into the second report.
    stale = seal_v1(TEST_KEY, "Pedro Pérez", context="reports.person_name")
    await harness.services.db.execute(
        "UPDATE reports SET person_name_enc = ? WHERE id = ?", (stale, first[1])
    )
    with pytest.raises(DecryptionError):
        await harness.services.reports.by_id(first[1])
    await harness.restart()  # not laundered by a restart either
    with pytest.raises(DecryptionError):
        await harness.services.reports.by_id(first[1])


async def test_rotate_key_upgrades_a_database_the_bot_has_not_opened(
    harness: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, before = await old_database(harness)
    path = harness.settings.database_path
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("ENCRYPTION_KEY", NEW_KEY)
    monkeypatch.setenv("ENCRYPTION_OLD_KEYS", TEST_KEY)
    assert await shell("rotate-key") == 0
    assert await legacy_values(path) == 0
    assert await every_value(path, FieldCipher(NEW_KEY)) == before

    rotated = BotHarness(make_settings(tmp_path, encryption_key=NEW_KEY), harness.clock)
    await rotated.start()
    try:
        assert await rows_are_bound(rotated.services.db)
        assert not rotated.services.cipher.legacy
    finally:
        await rotated.stop()
