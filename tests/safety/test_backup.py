"""Backups: consistent, encrypted, restorable; only admins get one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from services.backup import BackupError, open_sealed, restore_backup, seal
from storage.roles import Role
from tests.harness import OTHER_KEY, TEST_KEY, BotHarness
from tests.roles import grant
from tests.safety.backup_shell import shell
from tests.safety.helpers import count, report_through_intake


def table_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
    finally:
        conn.close()


async def backup_through_the_bot(harness: BotHarness) -> bytes:
    admin = harness.people.admin
    calls = await harness.rig.send_text(admin, "/backup")
    documents = [call for call in calls if call.method == "sendDocument"]
    assert len(documents) == 1
    assert documents[0].params["protect_content"] is False
    return documents[0].files["document"]


async def test_an_admins_backup_restores_to_the_same_tables(
    harness: BotHarness, tmp_path: Path
) -> None:
    await report_through_intake(harness, harness.people.family_en)
    await harness.services.tracker.flush()
    blob = await backup_through_the_bot(harness)
    assert b"SQLite format 3" not in blob and "Pérez".encode() not in blob
    restored = tmp_path / "restored" / "vigia.db"
    restore_backup(_write(tmp_path / "backup.vgb", blob), restored, [TEST_KEY])
    # Read while the bot runs: it wrote nothing since the snapshot but the backup's own
    # audit event, committed with it (so the copy holds the trail up to that event).
    live = table_contents(harness.settings.database_path)
    assert live["reports"] and live["tracked_messages"]
    copy = table_contents(restored)
    taken = [row for row in live["audit_events"] if row[3] == "backup_taken"]
    assert len(taken) == 1
    live["audit_events"].remove(taken[0])
    live.pop("audit_head")  # its count and last hash include that event
    copy.pop("audit_head")
    assert copy == live


async def test_only_admins_get_a_backup(harness: BotHarness) -> None:
    """A moderator and a broadcaster really hold their roles here, granted by /grant."""
    people = harness.people
    await grant(harness, people.moderator, Role.MODERATOR)
    await grant(harness, people.broadcaster, Role.BROADCASTER)
    for user in (people.moderator, people.broadcaster, people.family_es):
        calls = await harness.rig.send_text(user, "/backup")
        assert not [call for call in calls if call.method == "sendDocument"]
        assert harness.fake.last_text(user.id) == "Este comando no está disponible."
    calls = await harness.rig.send_text(people.admin, "/backup")
    assert [call.method for call in calls if call.method == "sendDocument"] == ["sendDocument"]


async def test_a_backup_is_never_sent_into_a_group(harness: BotHarness) -> None:
    admin = harness.people.admin
    calls = await harness.rig.send_text(admin, "/backup", chat_id=-100777)
    assert not [call for call in calls if call.method == "sendDocument"]


async def test_a_backup_opens_only_with_its_key(harness: BotHarness) -> None:
    blob = await backup_through_the_bot(harness)
    with pytest.raises(BackupError):
        open_sealed(blob, [OTHER_KEY])
    assert open_sealed(blob, [OTHER_KEY, TEST_KEY]).startswith(b"SQLite format 3")


def test_an_altered_backup_is_refused() -> None:
    blob = bytearray(seal(b"SQLite format 3\x00" + bytes(5000), TEST_KEY, chunk_size=1024))
    blob[-40] ^= 1
    with pytest.raises(BackupError):
        open_sealed(bytes(blob), [TEST_KEY])


def test_a_truncated_backup_is_refused() -> None:
    blob = seal(b"SQLite format 3\x00" + bytes(5000), TEST_KEY, chunk_size=1024)
    cut = 36 + 3 * (4 + 1024 + 16)  # header and three whole chunks
    with pytest.raises(BackupError):
        open_sealed(blob[:cut], [TEST_KEY])


async def test_the_shell_commands_back_up_and_restore(
    harness: BotHarness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(harness.settings.database_path))
    monkeypatch.setenv("ENCRYPTION_KEY", TEST_KEY)
    await report_through_intake(harness, harness.people.family_en, cedula="V11111111")
    target = tmp_path / "copy.vgb"
    assert await shell("backup", str(target)) == 0
    assert target.stat().st_mode & 0o077 == 0
    await report_through_intake(harness, harness.people.family_en, cedula="V22222222")
    assert await count(harness, "SELECT COUNT(*) FROM reports") == 2
    await harness.stop()
    assert await shell("restore", str(target)) == 0
    # In the operator's language, DEFAULT_LANGUAGE: Spanish here.
    assert "base de datos restaurada" in capsys.readouterr().out
    await harness.start()
    assert await count(harness, "SELECT COUNT(*) FROM reports") == 1


async def test_restore_refuses_a_file_it_cannot_open(
    harness: BotHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(harness.settings.database_path))
    monkeypatch.setenv("ENCRYPTION_KEY", OTHER_KEY)
    blob = await backup_through_the_bot(harness)
    await harness.stop()
    before = harness.settings.database_path.read_bytes()
    assert await shell("restore", str(_write(tmp_path / "b.vgb", blob))) == 1
    assert harness.settings.database_path.read_bytes() == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
