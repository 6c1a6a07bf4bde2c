"""Migrations apply to an empty file, are recorded, and are idempotent."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from storage.database import Database, load_migrations, split_statements


async def test_all_migrations_apply_to_an_empty_file(tmp_path: Path) -> None:
    db = Database(tmp_path / "vigia.db")
    await db.connect()
    latest = max(version for version, _, _ in load_migrations())
    assert await db.schema_version() == latest
    tables = {row["name"] for row in await db.fetch_all("SELECT name FROM sqlite_master")}
    assert {"reports", "cases", "roles", "subscribers", "audit_events", "outbox"} <= tables
    await db.close()


async def test_connecting_again_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    for _ in range(2):
        db = Database(path)
        await db.connect()
        await db.close()
    db = Database(path)
    await db.connect()
    rows = await db.fetch_all("SELECT version FROM schema_migrations")
    assert len(rows) == len(load_migrations())
    await db.close()


async def test_connection_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(tmp_path / "vigia.db")
    await db.connect()
    journal = await db.fetch_one("PRAGMA journal_mode")
    foreign = await db.fetch_one("PRAGMA foreign_keys")
    assert journal is not None and journal[0] == "wal"
    assert foreign is not None and foreign[0] == 1
    await db.close()


async def test_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = Database(tmp_path / "vigia.db")
    await db.connect()
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO user_prefs (user_key, language, updated_at) VALUES ('k','es','t')"
            )
            raise RuntimeError("boom")
    assert await db.fetch_one("SELECT * FROM user_prefs") is None
    await db.close()


async def test_audit_rows_cannot_be_rewritten_through_sql(tmp_path: Path) -> None:
    db = Database(tmp_path / "vigia.db")
    await db.connect()
    await db.execute(
        "INSERT INTO audit_events (at, action, target_type, prev_hash, row_hash)"
        " VALUES ('t', 'a', 'report', '', 'h')"
    )
    with pytest.raises(aiosqlite.IntegrityError):
        await db.execute("UPDATE audit_events SET action = 'b'")
    await db.close()


def test_statement_splitter_keeps_triggers_whole() -> None:
    sql = "CREATE TABLE t (a);\nCREATE TRIGGER x BEFORE DELETE ON t\nBEGIN\n SELECT 1;\nEND;\n"
    assert len(list(split_statements(sql))) == 2
