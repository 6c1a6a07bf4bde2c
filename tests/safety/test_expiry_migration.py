"""Migration 0015 applies over tracked ids kept by the older schema, repeats included."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import Database, load_migrations, split_statements

EXPIRY_VERSION = 15


def database_before_expiry(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    for version, name, sql in load_migrations():
        if version >= EXPIRY_VERSION:
            continue
        for statement in split_statements(sql):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')", (version, name)
        )
    rows = [("k1", "e1", 5), ("k1", "e1", 5), ("k1", "e1", 6), ("k2", "e2", 5)]
    conn.executemany(
        "INSERT INTO tracked_messages (chat_key, chat_id_enc, message_id, sent_at)"
        " VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
        rows,
    )
    conn.close()


async def test_expiry_migration_keeps_one_row_per_message(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    database_before_expiry(path)
    db = Database(path)
    await db.connect()
    try:
        rows = await db.fetch_all(
            "SELECT chat_key, message_id FROM tracked_messages ORDER BY chat_key, message_id"
        )
        assert [(r["chat_key"], r["message_id"]) for r in rows] == [
            ("k1", 5),
            ("k1", 6),
            ("k2", 5),
        ]
        tables = {r["name"] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert "tracked_chats" in tables
        assert await db.schema_version() >= EXPIRY_VERSION
    finally:
        await db.close()
