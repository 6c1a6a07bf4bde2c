"""`python -m bot health`: exit 0 only while the bot runs on a current database.

The running bot rewrites a heartbeat row every HEARTBEAT_SECONDS from a job of its
job queue, which runs only while the Application runs (polling or serving its
webhook) and its event loop is not stuck. The health command, run by Docker's
HEALTHCHECK in another process, opens the existing database read-only and fails
with one line when there is no database, its schema is not this build's, or the
heartbeat is older than STALE_AFTER. It never creates a database or its directory.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from domain.i18n import N_
from domain.operator_text import OperatorText, text
from handlers.context import VigiaApp, VigiaContext
from services.settings import Settings
from storage.database import load_migrations
from storage.heartbeat import Heartbeat, read_health

HEARTBEAT_SECONDS = 30
HEARTBEAT_JOB_NAME = "heartbeat"
# Four beats missed: a busy minute (a long backup, a slow disk) is not an outage.
STALE_AFTER = dt.timedelta(seconds=4 * HEARTBEAT_SECONDS)
EXIT_HEALTHY = 0
# Docker reads any exit code but 0 and 1 as "reserved"; 1 is "unhealthy".
EXIT_UNHEALTHY = 1


async def start_heartbeat(application: VigiaApp) -> None:
    """The first beat now, at startup, then one every HEARTBEAT_SECONDS from the job queue.

    Not `first=0`: a repeating job added before the job queue starts has its first run
    moved to one interval after it was added, so a fresh bot would look dead for 30 s."""
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required")
    services = application.bot_data.services
    heartbeat = Heartbeat(services.db, services.clock)

    async def beat(_context: VigiaContext) -> None:
        await heartbeat.beat()

    await heartbeat.beat()
    jobs.run_repeating(beat, HEARTBEAT_SECONDS, first=HEARTBEAT_SECONDS, name=HEARTBEAT_JOB_NAME)


def check_health(settings: Settings, now: dt.datetime) -> tuple[int, OperatorText]:
    """The exit code and the one line that says why."""
    path = settings.database_path
    try:
        reading = read_health(path)
    except FileNotFoundError:
        return EXIT_UNHEALTHY, text(
            N_("no database at {path}: the bot has not started (DATABASE_PATH)"), path=path
        )
    except sqlite3.Error as exc:
        return EXIT_UNHEALTHY, text(
            N_("the database at {path} cannot be read: {reason}"), path=path, reason=exc
        )
    expected = max(version for version, _, _ in load_migrations())
    if reading.schema_version != expected:
        return (
            EXIT_UNHEALTHY,
            text(
                N_(
                    "the database has schema {found}, this build expects {expected}: the bot "
                    "migrates it when it starts"
                ),
                found=reading.schema_version,
                expected=expected,
            ),
        )
    if reading.last_beat is None:
        return EXIT_UNHEALTHY, text(N_("the bot has written no heartbeat yet: it is not running"))
    age = int((now - reading.last_beat).total_seconds())
    if age > STALE_AFTER.total_seconds():
        return (
            EXIT_UNHEALTHY,
            text(
                N_(
                    "the last heartbeat is {age} s old (one every {every} s): the bot is "
                    "stopped or stuck"
                ),
                age=age,
                every=HEARTBEAT_SECONDS,
            ),
        )
    return EXIT_HEALTHY, text(
        N_("healthy: schema {expected}, last heartbeat {age} s ago"),
        expected=expected,
        age=max(age, 0),
    )
