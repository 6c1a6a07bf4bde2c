"""Migration 0004 applies on top of the earlier schema with reports already in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import Database, load_migrations, split_statements

MODERATION = 4


def _apply_before(path: Path, version: int) -> None:
    """The schema as a deployment had it before this migration, with its bookkeeping."""
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        for number, name, sql in load_migrations():
            if number >= version:
                continue
            for statement in split_statements(sql):
                raw.execute(statement)
            raw.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (number, name),
            )
        raw.execute(
            "INSERT INTO reports (receipt_hash, kind, created_at, updated_at)"
            " VALUES ('h', 'detention', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        )


async def test_0004_applies_to_a_database_with_reports(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    _apply_before(path, MODERATION)
    db = Database(path)
    await db.connect()
    row = await db.fetch_one("SELECT version FROM schema_migrations WHERE version = ?", (4,))
    assert row is not None
    report = await db.fetch_one("SELECT id, state, version FROM reports")
    assert report is not None and (report["state"], report["version"]) == ("received", 0)
    await db.execute(
        "INSERT INTO verify_votes (report_id, voter_key, voted_at) VALUES (?, 'k', 't')",
        (report["id"],),
    )
    indexes = {r["name"] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
    assert {"verify_votes", "moderation_prompts", "audit_events_target"} <= indexes
    await db.close()


async def test_a_moderator_votes_once_per_report(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    _apply_before(path, MODERATION)
    db = Database(path)
    await db.connect()
    insert = (
        "INSERT INTO verify_votes (report_id, voter_key, voted_at) VALUES (1, 'k', 't')"
        " ON CONFLICT DO NOTHING"
    )
    assert await db.execute(insert) == 1
    assert await db.execute(insert) == 0
    await db.close()


async def test_0010_starts_the_audit_head_from_the_existing_trail(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    _apply_before(path, 10)
    with sqlite3.connect(path) as raw:
        for number in (1, 2):
            raw.execute(
                "INSERT INTO audit_events (id, at, action, target_type, prev_hash, row_hash)"
                " VALUES (?, 't', 'take', 'report', ?, ?)",
                (number, f"p{number}", f"h{number}"),
            )
    db = Database(path)
    await db.connect()
    head = await db.fetch_one("SELECT event_count, last_id, last_digest FROM audit_head")
    assert head is not None and tuple(head) == (2, 2, "h2")
    await db.execute(
        "INSERT INTO audit_events (id, at, action, target_type, prev_hash, row_hash)"
        " VALUES (3, 't', 'take', 'report', 'h2', 'h3')"
    )
    head = await db.fetch_one("SELECT event_count, last_id, last_digest FROM audit_head")
    assert head is not None and tuple(head) == (3, 3, "h3")
    await db.close()
