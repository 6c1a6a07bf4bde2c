"""Migration 0013 over a database written by the previous schema, with cases in it.

The data is what the bot before this migration left: a re-arrest recorded with
/rearrest had cleared `released_on` and the release's conditions; a merge wrote the
other case's number in sealed notes; an import that corrected `released_on` left the
release's event on the old day.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.cases import EVENT_DETAILS_CONTEXT, NAME_CONTEXT
from storage.crypto import FieldCipher
from storage.database import Database, load_migrations, split_statements
from storage.exports import CaseExports
from tests.harness import TEST_KEY

STORY = 16
STAMP = "2026-01-10T15:00:00Z"


def _before_story(path: Path, cipher: FieldCipher) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        for number, migration, sql in load_migrations():
            if number >= STORY:
                continue
            for statement in split_statements(sql):
                raw.execute(statement)
            raw.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (number, migration),
            )
        cases = [
            # 1: released on 5 Jan with conditions, re-arrested on 8 Jan by /rearrest.
            (1, "detained", None, None, None, None),
            # 2 and 3: 3 was merged into 2 on 9 Jan.
            (2, "detained", None, None, None, None),
            (3, "closed", None, None, None, 2),
            # 4: an import corrected released_on to 6 Jan; its event stayed on 7 Jan.
            (4, "released", "2026-01-06", "full_release", None, None),
        ]
        for case_id, state, released, conditions, days, merged in cases:
            raw.execute(
                "INSERT INTO cases (id, state, person_name_enc, detained_on, released_on,"
                " release_conditions, presentation_days, merged_into, verified_at,"
                " last_verified_at, created_at, updated_at)"
                " VALUES (?, ?, ?, '2026-01-02', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    state,
                    cipher.encrypt("Persona", context=NAME_CONTEXT, row=case_id),
                    released,
                    conditions,
                    days,
                    merged,
                )
                + (STAMP,) * 4,
            )
        note = cipher.encrypt
        events = [
            (1, "verified", "2026-01-02", None, "detained", None),
            (1, "release", "2026-01-05", "detained", "released", None),
            (1, "rearrest", "2026-01-08", "released", "detained", None),
            (2, "verified", "2026-01-02", None, "detained", None),
            (3, "verified", "2026-01-02", None, "detained", None),
            (3, "merged", "2026-01-09", "detained", "closed",
             note("merged_into=2", context=EVENT_DETAILS_CONTEXT, row=6)),
            (2, "merged", "2026-01-09", "detained", "detained",
             note("merged_from=3", context=EVENT_DETAILS_CONTEXT, row=7)),
            (4, "verified", "2026-01-02", None, "detained", None),
            (4, "release", "2026-01-07", "detained", "released", None),
        ]  # fmt: skip
        raw.executemany(
            "INSERT INTO case_events (case_id, kind, event_date, state_before, state_after,"
            " details_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, '{STAMP}')",
            events,
        )
        raw.execute(
            "INSERT INTO audit_events (at, action, target_type, target_id, details,"
            " prev_hash, row_hash) VALUES (?, 'release', 'case', 1, ?, 'p', 'h')",
            (
                STAMP,
                '{"conditions":["court_presentation","travel_ban"],"date":"2026-01-05",'
                '"presentation_days":15}',
            ),
        )


async def test_the_story_migration_restores_and_renames_what_the_old_schema_lost(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vigia.db"
    cipher = FieldCipher(TEST_KEY)
    _before_story(path, cipher)
    db = Database(path)
    await db.connect()
    try:
        assert await db.schema_version() >= STORY
        rows = await db.fetch_all(
            "SELECT id, released_on, release_conditions, presentation_days FROM cases ORDER BY id"
        )
        found = {row["id"]: tuple(row)[1:] for row in rows}
        # The re-arrested case has its latest release back, conditions and interval too.
        assert found[1] == ("2026-01-05", "court_presentation,travel_ban", 15)
        assert found[4][0] == "2026-01-06"
        release = await db.fetch_one(
            "SELECT event_date FROM case_events WHERE case_id = 4 AND kind = 'release'"
        )
        assert release is not None and release[0] == "2026-01-06"
        merges = await db.fetch_all(
            "SELECT case_id, related_case_id, details_enc FROM case_events"
            " WHERE kind = 'merged' ORDER BY case_id"
        )
        assert [tuple(row) for row in merges] == [(2, 3, None), (3, 2, None)]
        # The figures count the corrected release on its corrected day.
        daily = await db.fetch_all(
            "SELECT day, n FROM figures_daily WHERE kind = 'release' AND n <> 0 ORDER BY day"
        )
        assert [tuple(row) for row in daily] == [("2026-01-05", 1), ("2026-01-06", 1)]
        exported = await CaseExports(db, cipher, ZoneInfo("America/Caracas")).cases(public=False)
        first = exported[0]
        assert [(step.kind, step.event_date) for step in first.events] == [
            ("detention", "2026-01-02"),
            ("release", "2026-01-05"),
            ("rearrest", "2026-01-08"),
        ]
        assert exported[2].closed_on == "2026-01-09"
        assert first.last_verified_on == dt.date(2026, 1, 10).isoformat()
    finally:
        await db.close()
