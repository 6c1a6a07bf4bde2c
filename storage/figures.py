"""Verified figures: the tally of `domain.figures`, read from two small summaries.

What is counted and how is defined once, in `domain.figures`; this module only reads
its `Tally` from the database. The counts come from two summaries kept exact by the
triggers of migration 0006 (`figures_deprived` per breakdown combination,
`figures_daily` per kind and day), so /cifras costs the same over a million cases as
over a hundred; the one query on `cases` itself reads the end of an index range
(tests/figures check the plans). A public export carries the same tally in its rows
(`domain.figures_csv`), and gives the same figures.

The snapshot is cached until `version()` changes (see `figures_version` in 0006) or the
day does; computing it is serialised, so a burst of /cifras after an announcement
computes it once. Reports awaiting verification are counted live, never cached.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiosqlite

from domain.figures import (
    CHART_WEEKS,
    DAY_KINDS,
    DETENTION,
    SHOWN_ANNOUNCEMENTS,
    AnnouncedVsVerified,
    Announcement,
    Figure,
    FiguresSnapshot,
    Share,
    Tally,
    Week,
    chart_start,
    compute,
)
from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind, CaseState, ReportState
from storage.announcements import Announcements
from storage.clock import from_iso
from storage.database import Database

# The shapes of the figures live with their definitions; they are read here too.
__all__ = [
    "CHART_WEEKS",
    "DETENTION",
    "AnnouncedVsVerified",
    "Announcement",
    "CaseIdentity",
    "Figure",
    "FiguresSnapshot",
    "FiguresStore",
    "Share",
    "Tally",
    "Week",
    "query_plans",
    "rebuild_summaries",
]

AWAITING = (ReportState.RECEIVED, ReportState.IN_REVIEW, ReportState.NEEDS_INFO)
_EARLIEST = "0001-01-01"

_VERSION = (
    "SELECT (SELECT n FROM figures_version WHERE id = 1), (SELECT MAX(id) FROM cases),"
    " (SELECT MAX(id) FROM case_events), (SELECT MAX(id) FROM announcements)"
)
# Each breakdown summed in SQL: a few dozen rows cross into Python, not thousands.
_DEPRIVED = " UNION ALL ".join(
    f"SELECT '{column}' AS breakdown, {column} AS code, SUM(n) AS n"  # noqa: S608 - constants
    f" FROM figures_deprived GROUP BY {column}"
    for column in ("state", "sex", "affiliation", "is_minor", "federal_entity", "detaining_body")
)
_LAST_VERIFIED = (
    "SELECT last_verified_at FROM cases INDEXED BY cases_figures_verified"
    " WHERE state = ? AND merged_into IS NULL AND last_verified_at IS NOT NULL"
    " ORDER BY last_verified_at DESC LIMIT 1"
)
_SUM_DAYS = (
    "SELECT COALESCE(SUM(n), 0) FROM figures_daily WHERE kind = ? AND day >= ? AND day <= ?"
)
# Every day of the kinds the figures count: a few thousand rows even over years.
_DAYS = "SELECT kind, day, n FROM figures_daily WHERE kind IN (?, ?, ?, ?) AND n <> 0"
_AWAITING = "SELECT COUNT(*) FROM reports WHERE state IN (?, ?, ?) AND quarantined = 0"
_IDENTITIES = (
    "SELECT id, person_name_enc, cedula_hash, detained_on FROM cases"
    " WHERE id > ? AND merged_into IS NULL ORDER BY id LIMIT ?"
)
# The same rows the triggers of migration 0006 maintain, computed from scratch.
_REBUILD = (
    "DELETE FROM figures_deprived",
    "INSERT INTO figures_deprived"
    " (state, sex, affiliation, is_minor, federal_entity, detaining_body, n)"
    " SELECT state, COALESCE(sex, ''), COALESCE(affiliation, ''), is_minor,"
    " COALESCE(federal_entity, ''), COALESCE(detaining_body, ''), COUNT(*) FROM cases"
    " WHERE merged_into IS NULL AND state IN ('detained', 'disappeared', 'house_arrest')"
    " GROUP BY 1, 2, 3, 4, 5, 6",
    "DELETE FROM figures_daily",
    "INSERT INTO figures_daily (kind, day, n) SELECT 'detention', detained_on, COUNT(*)"
    " FROM cases WHERE merged_into IS NULL AND detained_on IS NOT NULL GROUP BY detained_on",
    "INSERT INTO figures_daily (kind, day, n) SELECT e.kind, e.event_date, COUNT(*)"
    " FROM case_events AS e JOIN cases AS c ON c.id = e.case_id WHERE c.merged_into IS NULL"
    " GROUP BY e.kind, e.event_date",
)


async def rebuild_summaries(conn: aiosqlite.Connection) -> None:
    """Recount `figures_deprived` and `figures_daily` (after a load without triggers)."""
    for statement in _REBUILD:
        await conn.execute(statement)


async def query_plans(db: Database) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of every query /cifras runs, with typical parameters: the proof
    (in tests and benchmarks) that none scans cases, case_events or reports."""
    day, kind = "2026-01-12", CaseEventKind.RELEASE.value
    queries = {
        "version": (_VERSION, ()),
        "deprived": (_DEPRIVED, ()),
        "last_verified": (_LAST_VERIFIED, (CaseState.DETAINED.value,)),
        "sum_days": (_SUM_DAYS, (kind, _EARLIEST, day)),
        "days": (_DAYS, DAY_KINDS),
        "awaiting": (_AWAITING, tuple(state.value for state in AWAITING)),
    }
    plans = {}
    for name, (sql, params) in queries.items():
        rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)
        plans[name] = [str(row["detail"]) for row in rows]
    return plans


@dataclass(frozen=True, slots=True)
class CaseIdentity:
    """What the duplicate index needs of a case; the name is still sealed."""

    case_id: int
    person_name_enc: str
    cedula_hash: str | None
    detained_on: dt.date | None


class FiguresStore:
    """The figures of /cifras, cached per data version and day."""

    def __init__(self, db: Database, announcements: Announcements, timezone: dt.tzinfo) -> None:
        self._db = db
        self._announcements = announcements
        self._timezone = timezone
        self._cached: FiguresSnapshot | None = None
        self._computing = asyncio.Lock()

    async def version(self) -> tuple[int, ...]:
        """Changes whenever a cached figure may have: see `figures_version` in 0006."""
        row = await self._db.fetch_one(_VERSION)
        return tuple(int(value or 0) for value in row) if row else ()

    async def snapshot(self, today: dt.date) -> FiguresSnapshot:
        async with self._computing:
            version = await self.version()
            cached = self._cached
            if cached is None or cached.version != version or cached.today != today:
                cached = self._cached = await self._compute(version, today)
            return cached

    async def awaiting_verification(self) -> int:
        """Reports received, in review or waiting for information (quarantined ones aside)."""
        row = await self._db.fetch_one(_AWAITING, tuple(state.value for state in AWAITING))
        return int(row[0]) if row else 0

    async def releases_between(self, first: dt.date, last: dt.date) -> int:
        """Verified releases dated first..last, both included (`domain.figures.between`)."""
        row = await self._db.fetch_one(
            _SUM_DAYS, (CaseEventKind.RELEASE.value, first.isoformat(), last.isoformat())
        )
        return int(row[0]) if row else 0

    async def _compute(self, version: tuple[int, ...], today: dt.date) -> FiguresSnapshot:
        return compute(
            await self.tally(),
            today=today,
            announcements=await self._announcements.recent(SHOWN_ANNOUNCEMENTS),
            chart_announcements=await self._announcements.between(chart_start(today), today),
            version=version,
        )

    async def tally(self) -> Tally:
        """The summaries as `domain.figures` counts from them."""
        tally = Tally()
        for breakdown, code, count in await self._db.fetch_all(_DEPRIVED):
            if breakdown == "state":
                tally.deprived[CaseState(code)] += count
            elif breakdown == "is_minor":
                tally.minors += count if code else 0
            else:
                tally.breakdowns[breakdown][code or None] += count
        for state in DEPRIVED_OF_LIBERTY:
            row = await self._db.fetch_one(_LAST_VERIFIED, (state.value,))
            if row is not None:
                tally.saw_verified(state, _local_day(row[0], self._timezone))
        for kind, day, count in await self._db.fetch_all(_DAYS, DAY_KINDS):
            tally.daily[kind][dt.date.fromisoformat(day)] += count
        return tally

    async def case_identities(self, batch: int = 5_000) -> AsyncIterator[list[CaseIdentity]]:
        """Every unmerged case in id order, in batches (the lock is free between them)."""
        after = 0
        while rows := await self._db.fetch_all(_IDENTITIES, (after, batch)):
            yield [
                CaseIdentity(
                    row["id"],
                    row["person_name_enc"],
                    row["cedula_hash"],
                    dt.date.fromisoformat(row["detained_on"]) if row["detained_on"] else None,
                )
                for row in rows
            ]
            after = rows[-1]["id"]


def _local_day(stamp: str, timezone: dt.tzinfo) -> dt.date:
    """The deployment's calendar day of a stored UTC time (a bare date is taken as is)."""
    try:
        return from_iso(stamp).astimezone(timezone).date()
    except ValueError:
        return dt.date.fromisoformat(stamp[:10])
