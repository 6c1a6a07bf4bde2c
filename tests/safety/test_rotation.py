"""Key rotation: interrupted, resumed, and the bot then runs on the new key alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from domain.vocabulary import ReportKind
from fake_telegram import FakeUser
from storage.crypto import FieldCipher
from storage.database import Database
from storage.reports import Reports
from storage.rotation import KeyRotation
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings
from tests.safety.backup_shell import shell
from tests.safety.helpers import (
    grant_moderator,
    report_through_intake,
    verify_as_moderator,
)

SECOND = FakeUser(id=2101, first_name="Rosa", language_code="en")


class Interrupted(Exception):
    """Stands for a crash or a Ctrl-C in the middle of the rotation."""


async def populate(harness: BotHarness) -> tuple[str, str]:
    """Data in every kind of table: reports, a case, roles, subscribers, tracking..."""
    family = harness.people.family_en
    first = await report_through_intake(harness, family, name="Pedro Pérez", cedula="V-12.345.678")
    second = await report_through_intake(harness, SECOND, name="Luisa Gómez", cedula="E-8123456")
    await verify_as_moderator(harness, first)
    await grant_moderator(harness)
    await harness.rig.send_text(harness.people.moderator, f"/block {harness.people.stranger.id}")
    await harness.rig.send_text(family, "/subscribe")
    await harness.rig.send_text(family, "/privacy")
    await harness.rig.press_button(family, "Turn automatic deletion on")
    await harness.rig.send_text(family, "/language en")
    await harness.rig.send_text(SECOND, "/report")  # an unfinished draft, persisted
    await harness.rig.press_button(SECOND, "📝 A detention")
    await harness.rig.send_text(SECOND, "Someone Else")
    return first, second


async def test_an_interrupted_rotation_resumes_and_ends_under_the_new_key(
    harness: BotHarness, tmp_path: Path
) -> None:
    first, second = await populate(harness)
    await harness.stop()
    db = Database(harness.settings.database_path)
    await db.connect()
    rotating = FieldCipher(NEW_KEY, (TEST_KEY,))
    seen = 0

    def crash_after_ten_rows() -> None:
        nonlocal seen
        seen += 1
        if seen > 10:
            raise Interrupted

    with pytest.raises(Interrupted):
        await KeyRotation(db, rotating, batch_rows=4).run(after_row=crash_after_ten_rows)
    left = await KeyRotation(db, rotating).stale_values()
    assert left > 0
    report = await KeyRotation(db, rotating, batch_rows=4).run()
    assert report.values_resealed == left
    assert report.unmatched_hashes == {}
    assert "reports.receipt_hash" not in report.kept_hashes
    assert await KeyRotation(db, rotating).stale_values() == 0
    # Every sealed value opens with the new key alone, and nothing is left to change.
    again = await KeyRotation(db, FieldCipher(NEW_KEY)).run()
    assert (again.values_resealed, again.hashes_recomputed) == (0, 0)
    new_only = Reports(db, FieldCipher(NEW_KEY), harness.clock)
    by_code = await new_only.by_receipt(first)
    assert by_code is not None and by_code.person_name == "Pedro Pérez"
    by_cedula = await new_only.same_person_recently(
        harness.people.family_en.id, "V12345678", ReportKind.DETENTION
    )
    assert by_cedula is not None and by_cedula.id == by_code.id
    assert [r.person_name for r in await new_only.for_reporter(SECOND.id)] == ["Luisa Gómez"]
    assert await new_only.by_receipt(second) is not None
    await db.close()


async def test_after_rotation_the_bot_runs_on_the_new_key_alone(
    harness: BotHarness, tmp_path: Path
) -> None:
    first, _ = await populate(harness)
    await harness.stop()
    db = Database(harness.settings.database_path)
    await db.connect()
    await KeyRotation(db, FieldCipher(NEW_KEY, (TEST_KEY,))).run()
    await db.close()
    rotated = BotHarness(make_settings(tmp_path, encryption_key=NEW_KEY), harness.clock)
    await rotated.start()
    try:
        family = rotated.people.family_en
        rotated.clock.advance(dt.timedelta(minutes=1))
        await rotated.rig.send_text(family, f"/status {first}")
        assert "Pedro Pérez" in rotated.fake.last_text(family.id)
        assert await rotated.services.subscribers.is_subscribed(family.id)
        assert await rotated.services.privacy.auto_wipe(family.id)
        assert await rotated.services.blocks.is_blocked(rotated.people.stranger.id)
        await rotated.rig.send_text(family, "/privacy")
        await rotated.rig.press_button(family, "🔑 Show my reports")
        await rotated.rig.send_text(family, first)
        assert "Pedro Pérez" in rotated.fake.last_text(family.id)
    finally:
        await rotated.stop()


async def test_the_shell_command_rotates_and_can_be_run_twice(
    harness: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await populate(harness)
    await harness.stop()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(harness.settings.database_path))
    monkeypatch.setenv("ENCRYPTION_KEY", NEW_KEY)
    monkeypatch.setenv("ENCRYPTION_OLD_KEYS", TEST_KEY)
    assert await shell("rotate-key") == 0
    assert await shell("rotate-key") == 0
    db = Database(harness.settings.database_path)
    await db.connect()
    assert await KeyRotation(db, FieldCipher(NEW_KEY)).stale_values() == 0
    await db.close()
