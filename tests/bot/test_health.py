"""`python -m bot health` fails unless the running bot keeps its heartbeat (issue 19).

The heartbeat is written by the real Application's own job; time moves on the
harness's clock, never by sleeping. The command itself runs as a real process
against the database the running bot holds open.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.health import HEARTBEAT_JOB_NAME, HEARTBEAT_SECONDS, STALE_AFTER, check_health
from services.settings import Settings
from storage.clock import SettableClock
from storage.database import Database
from tests.bot.process import run_bot
from tests.harness import PROCESS_KEY, BotHarness, make_settings


def _health(settings: Settings, cwd: Path) -> tuple[int, list[str]]:
    """The real command, in its own process; its one line, from stdout or stderr."""
    env = {"ENCRYPTION_KEY": PROCESS_KEY, "DATABASE_PATH": str(settings.database_path)}
    result = run_bot(["health"], env, cwd)
    return result.returncode, (result.stdout + result.stderr).strip().splitlines()


async def _beat(bot: BotHarness) -> None:
    """Run the bot's own heartbeat job once, as its job queue does every 30 s."""
    job_queue = bot.app.job_queue
    assert job_queue is not None
    [job] = job_queue.get_jobs_by_name(HEARTBEAT_JOB_NAME)
    await job.run(bot.app)


@pytest.fixture
async def live_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The real bot on a clock at the real time, so that a separate process agrees."""
    bot = BotHarness(make_settings(tmp_path), SettableClock(dt.datetime.now(dt.UTC)))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def test_no_database_fails_and_creates_neither_the_file_nor_its_directory(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    code, lines = _health(make_settings(tmp_path, database_path=missing), tmp_path)
    assert code == 1
    assert lines == [f"vigia: no database at {missing}: the bot has not started (DATABASE_PATH)"]
    assert not (tmp_path / "nonexistent").exists()


def test_no_settings_at_all_fails_without_creating_the_default_database(
    tmp_path: Path,
) -> None:
    result = run_bot(["health"], {}, tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        "vigia: no database at data/vigia.db: the bot has not started (DATABASE_PATH)"
    )
    assert list(tmp_path.iterdir()) == []


async def test_the_running_bot_beats_at_start_and_every_30_seconds_and_health_passes(
    live_bot: BotHarness, tmp_path: Path
) -> None:
    job_queue = live_bot.app.job_queue
    assert job_queue is not None
    [job] = job_queue.get_jobs_by_name(HEARTBEAT_JOB_NAME)
    assert job.job.trigger.interval == dt.timedelta(seconds=HEARTBEAT_SECONDS)
    # The first beat is written at startup: a fresh bot is healthy at once.
    assert check_health(live_bot.settings, live_bot.clock.now())[0] == 0
    await _beat(live_bot)
    database = live_bot.settings.database_path
    before = database.read_bytes()
    code, lines = _health(live_bot.settings, tmp_path)
    assert code == 0, lines
    [line] = lines
    assert line.startswith("vigia: healthy: schema ")
    # Read-only: the command changed nothing in the file the bot holds open.
    assert database.read_bytes() == before


async def test_a_stale_heartbeat_fails_and_the_next_beat_heals_it(
    live_bot: BotHarness, tmp_path: Path
) -> None:
    await _beat(live_bot)
    # The bot stops beating (stopped, or its loop stuck) while the clock runs on.
    live_bot.clock.set(dt.datetime.now(dt.UTC) - STALE_AFTER - dt.timedelta(seconds=30))
    await _beat(live_bot)
    code, lines = _health(live_bot.settings, tmp_path)
    assert code == 1
    [line] = lines
    assert line.startswith("vigia: the last heartbeat is ")
    assert "the bot is stopped or stuck" in line
    live_bot.clock.set(dt.datetime.now(dt.UTC))
    await _beat(live_bot)
    assert _health(live_bot.settings, tmp_path)[0] == 0


async def test_staleness_is_measured_on_the_clock(live_bot: BotHarness) -> None:
    """In process: exactly at the limit still healthy, one second past it not."""
    await _beat(live_bot)
    beat_at = live_bot.clock.now().replace(microsecond=0)
    settings = live_bot.settings
    assert check_health(settings, beat_at + STALE_AFTER)[0] == 0
    assert check_health(settings, beat_at + STALE_AFTER + dt.timedelta(seconds=1))[0] == 1


async def test_a_database_the_bot_never_ran_on_has_no_heartbeat(tmp_path: Path) -> None:
    """Migrated (by a backup restore, say), but no bot has run its jobs on it."""
    settings = make_settings(tmp_path)
    db = Database(settings.database_path)
    await db.connect()
    await db.close()
    code, line = check_health(settings, dt.datetime.now(dt.UTC))
    assert code == 1
    assert str(line) == "the bot has written no heartbeat yet: it is not running"


def test_an_old_schema_and_a_file_that_is_no_database_fail(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        conn.execute("INSERT INTO schema_migrations VALUES (3, 'x', '2026-01-01T00:00:00Z')")
    code, line = check_health(make_settings(tmp_path, database_path=old), dt.datetime.now(dt.UTC))
    assert code == 1
    assert str(line).startswith("the database has schema 3, this build expects ")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    code, line = check_health(make_settings(tmp_path, database_path=junk), dt.datetime.now(dt.UTC))
    assert code == 1
    assert str(line).startswith(f"the database at {junk} cannot be read: ")
