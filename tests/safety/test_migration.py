"""Migration 0007 applies over a database that already holds reports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import Database, load_migrations, split_statements

SAFETY_VERSION = 7


def database_before_safety(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    for version, name, sql in load_migrations():
        if version >= SAFETY_VERSION:
            continue
        for statement in split_statements(sql):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')", (version, name)
        )
    conn.execute(
        "INSERT INTO reports (receipt_hash, kind, reporter_key, created_at, updated_at)"
        " VALUES ('h', 'detention', 'k', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
    )
    conn.close()


async def test_safety_migration_keeps_existing_reports_out_of_quarantine(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vigia.db"
    database_before_safety(path)
    db = Database(path)
    await db.connect()
    try:
        row = await db.fetch_one("SELECT quarantined, reporter_key FROM reports")
        assert row is not None and (row["quarantined"], row["reporter_key"]) == (0, "k")
        tables = {r["name"] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert {"tracked_messages", "privacy_prefs", "blocked_users"} <= tables
        assert await db.schema_version() >= SAFETY_VERSION
    finally:
        await db.close()
