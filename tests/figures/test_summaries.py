"""The storage under /cifras: trigger-kept summaries stay exact through every desk move,
queries use indexes, the cache notices every change, and fixtures load faithfully."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.transitions import CaseAction, case_transition
from domain.vocabulary import ReportState
from storage.announcements import Announcements
from storage.cases import Change
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database, load_migrations, split_statements
from storage.figures import FiguresStore, query_plans, rebuild_summaries
from storage.fixtures import FixtureSpec, insert_reports, load_cases
from tests.figures.dataset import seed
from tests.harness import TEST_KEY, BotHarness

TODAY = dt.date(2026, 1, 12)
FIGURES_MIGRATION = 6
SUMMARIES = (
    "SELECT * FROM figures_deprived WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
    "SELECT * FROM figures_daily WHERE n <> 0 ORDER BY 1, 2",
)


async def _summaries(db: Database) -> list[list[tuple[object, ...]]]:
    return [[tuple(row) for row in await db.fetch_all(sql)] for sql in SUMMARIES]


async def _recounted(db: Database) -> list[list[tuple[object, ...]]]:
    async with db.transaction() as conn:
        await rebuild_summaries(conn)
    return await _summaries(db)


async def _move(
    harness: BotHarness, case_id: int, action: CaseAction, place: str | None = None
) -> None:
    """A case action as the desk records it: through storage.cases, in one transaction."""
    services = harness.services
    case = await services.cases.get(case_id)
    assert case is not None
    move = case_transition(case.state, action, place=place)
    async with services.db.transaction() as conn:
        await services.cases.apply(
            conn, case, move, Change(event_date=TODAY, place=place), actor_key="t"
        )


async def test_summaries_match_a_recount_after_every_kind_of_desk_move(
    harness: BotHarness,
) -> None:
    await seed(harness)
    services = harness.services
    await _move(harness, 1, CaseAction.HOUSE_ARREST)
    await _move(harness, 3, CaseAction.RELEASE)
    await _move(harness, 6, CaseAction.REARREST)
    await _move(harness, 2, CaseAction.TRANSFER, place="unknown")
    await _move(harness, 5, CaseAction.REARREST)
    source, target = await services.cases.get(7), await services.cases.get(2)
    assert source is not None and target is not None
    async with services.db.transaction() as conn:
        await services.cases.merge(
            conn,
            source,
            target,
            case_transition(source.state, CaseAction.MERGE),
            on=TODAY,
            actor_key="t",
        )
    kept = await _summaries(services.db)
    assert kept == await _recounted(services.db)
    snapshot = await services.figures.snapshot(TODAY)
    # 1 house arrest, 2 disappeared, 4 detained, 5 and 6 re-arrested; 3 released; 7 merged.
    assert snapshot.deprived.count == 5
    assert (snapshot.house_arrest.count, snapshot.disappeared.count) == (2, 1)
    assert snapshot.releases.count == 3  # 5, 6 and 3 (7's first release left with the merge)
    assert snapshot.rearrests.count == 2


async def test_every_figures_query_reads_an_index_or_a_summary(harness: BotHarness) -> None:
    await seed(harness)
    for name, plan in (await query_plans(harness.services.db)).items():
        scans = {step for step in plan if step.startswith("SCAN")}
        assert scans <= {"SCAN CONSTANT ROW", "SCAN figures_deprived"}, (name, plan)
    plans = await query_plans(harness.services.db)
    assert plans["last_verified"] == [
        "SEARCH cases USING COVERING INDEX cases_figures_verified (state=? AND last_verified_at>?)"
    ]


async def test_the_snapshot_is_reused_until_something_it_counts_changes(
    harness: BotHarness,
) -> None:
    await seed(harness)
    figures = harness.services.figures
    first = await figures.snapshot(TODAY)
    assert await figures.snapshot(TODAY) is first
    await _move(harness, 1, CaseAction.RELEASE)
    moved = await figures.snapshot(TODAY)
    assert moved is not first and moved.releases.count == first.releases.count + 1
    await harness.services.announcements.record(
        claimed_count=9, since=TODAY, source="x", recorded_by=1
    )
    announced = await figures.snapshot(TODAY)
    assert announced is not moved and len(announced.announced) == 1
    tomorrow = await figures.snapshot(TODAY + dt.timedelta(days=1))
    assert tomorrow is not announced and tomorrow.releases_last_7_days == 2


async def test_reports_awaiting_verification_are_counted_live(harness: BotHarness) -> None:
    await seed(harness)
    user = harness.people.family_en
    await harness.rig.send_text(user, "/figures")
    text = str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])
    assert "awaiting verification: <b>2</b>" in text
    await insert_reports(harness.services.db, harness.services.cipher, [ReportState.IN_REVIEW])
    await harness.rig.send_text(user, "/figures")
    text = str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])
    assert "awaiting verification: <b>3</b>" in text


async def _fresh(path: Path) -> tuple[Database, FiguresStore]:
    db = Database(path)
    await db.connect()
    cipher = FieldCipher(TEST_KEY)
    return db, FiguresStore(db, Announcements(db, cipher, Clock()), ZoneInfo("America/Caracas"))


async def test_a_fixture_load_keeps_every_index_and_trigger(tmp_path: Path) -> None:
    db, _ = await _fresh(tmp_path / "a.db")
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    before = [tuple(row) for row in await db.fetch_all(schema)]
    await load_cases(db, FieldCipher(TEST_KEY), FixtureSpec(cases=500, distinct_names=False))
    assert [tuple(row) for row in await db.fetch_all(schema)] == before
    assert await _summaries(db) == await _recounted(db)
    await db.close()


async def test_the_same_spec_always_gives_the_same_figures(tmp_path: Path) -> None:
    spec = FixtureSpec(cases=800, seed=11)
    snapshots = []
    for name in ("a.db", "b.db"):
        db, figures = await _fresh(tmp_path / name)
        summary = await load_cases(db, FieldCipher(TEST_KEY), spec)
        assert (summary.first_id, summary.last_id) == (1, 800)
        snapshots.append(await figures.snapshot(TODAY))
        await db.close()
    first, second = snapshots
    assert first.deprived == second.deprived and first.weeks == second.weeks
    assert first.by_federal_entity == second.by_federal_entity
    assert first.releases.count > 0 and first.deprived.count > 0


def _schema_before_figures(path: Path) -> None:
    """The schema as a deployment had it before 0006, with cases already in it."""
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        for number, name, sql in load_migrations():
            if number == FIGURES_MIGRATION:
                continue
            for statement in split_statements(sql):
                raw.execute(statement)
            raw.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (number, name),
            )
        stamp = "2026-01-01T00:00:00Z"
        cases = ((1, "detained", None), (2, "released", None), (3, "released", 2))
        for case_id, state, merged_into in (*cases, (4, "house_arrest", None)):
            raw.execute(
                "INSERT INTO cases (id, state, person_name_enc, sex, detained_on, merged_into,"
                " last_verified_at, created_at, updated_at)"
                " VALUES (?, ?, 'x', 'female', '2025-12-01', ?, ?, ?, ?)",
                (case_id, state, merged_into, stamp, stamp, stamp),
            )
        for case_id in (2, 3):
            raw.execute(
                "INSERT INTO case_events (case_id, kind, event_date, created_at)"
                " VALUES (?, 'release', '2026-01-02', ?)",
                (case_id, stamp),
            )


async def test_0006_counts_the_cases_a_database_already_had(tmp_path: Path) -> None:
    path = tmp_path / "vigia.db"
    _schema_before_figures(path)
    db, figures = await _fresh(path)
    snapshot = await figures.snapshot(TODAY)
    assert (snapshot.deprived.count, snapshot.house_arrest.count) == (2, 1)
    assert snapshot.releases.count == 1  # case 3 is merged into case 2
    assert [(share.code, share.count) for share in snapshot.by_sex] == [("female", 2)]
    assert await _summaries(db) == await _recounted(db)
    await db.close()
