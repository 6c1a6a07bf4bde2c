"""Verified figures: aggregate, read-only queries over cases, events and reports.

Conservative by construction: only cases (verified by the NGO) are counted, house
arrest counts as deprived of liberty and never as a release, and a case merged into
another (`merged_into` set) is never counted, nor are its events. The counts come from
two small summaries kept exact by the triggers of migration 0006 (`figures_deprived`
per breakdown combination, `figures_daily` per kind and day), so /cifras costs the
same over a million cases as over a hundred; the one query on `cases` itself reads
the end of an index range (tests/figures check the plans).

The snapshot is cached until `version()` changes (see `figures_version` in 0006) or the
day does; computing it is serialised, so a burst of /cifras after an announcement
computes it once. Reports awaiting verification are counted live, never cached.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiosqlite

from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind, CaseState, ReportState
from storage.announcements import Announcement, Announcements
from storage.clock import from_iso
from storage.database import Database

CHART_WEEKS = 26
SHOWN_ANNOUNCEMENTS = 3
AWAITING = (ReportState.RECEIVED, ReportState.IN_REVIEW, ReportState.NEEDS_INFO)
# `figures_daily.kind` of the detentions (cases by detained_on); the others are event kinds.
DETENTION = "detention"
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
_NEWEST_DAY = "SELECT MAX(day) FROM figures_daily WHERE kind = ? AND day <= ? AND n > 0"
_DAYS = (
    "SELECT kind, day, n FROM figures_daily"
    " WHERE kind IN (?, ?, ?) AND day >= ? AND day <= ? AND n <> 0"
)
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
        "newest_day": (_NEWEST_DAY, (kind, day)),
        "days": (_DAYS, (DETENTION, kind, CaseEventKind.REARREST.value, "2025-07-21", day)),
        "awaiting": (_AWAITING, tuple(state.value for state in AWAITING)),
    }
    plans = {}
    for name, (sql, params) in queries.items():
        rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)
        plans[name] = [str(row["detail"]) for row in rows]
    return plans


@dataclass(frozen=True, slots=True)
class Figure:
    """A count and the day its newest piece was verified (None when nothing is counted)."""

    count: int
    last_verified: dt.date | None


@dataclass(frozen=True, slots=True)
class Share:
    """One line of a breakdown; `code` None means the field was not recorded."""

    code: str | None
    count: int


@dataclass(frozen=True, slots=True)
class AnnouncedVsVerified:
    announcement: Announcement
    verified: int

    @property
    def ratio(self) -> float:
        return self.verified / self.announcement.claimed_count


@dataclass(frozen=True, slots=True)
class Week:
    """Verified detentions (re-arrests included) and releases in the week from `start`."""

    start: dt.date
    detentions: int
    releases: int


@dataclass(frozen=True, slots=True)
class FiguresSnapshot:
    version: tuple[int, ...]
    today: dt.date
    deprived: Figure
    disappeared: Figure
    house_arrest: Figure
    releases: Figure
    releases_last_7_days: int
    releases_last_30_days: int
    rearrests: Figure
    by_sex: tuple[Share, ...]
    by_affiliation: tuple[Share, ...]
    minors: int
    by_federal_entity: tuple[Share, ...]
    by_detaining_body: tuple[Share, ...]
    announced: tuple[AnnouncedVsVerified, ...]
    weeks: tuple[Week, ...]
    chart_announcements: tuple[Announcement, ...]


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
        """Verified releases dated first..last, both included."""
        return await self._sum_days(CaseEventKind.RELEASE, first.isoformat(), last)

    async def _compute(self, version: tuple[int, ...], today: dt.date) -> FiguresSnapshot:
        deprived = await self._deprived()
        release = CaseEventKind.RELEASE
        announced = []
        for announcement in await self._announcements.recent(SHOWN_ANNOUNCEMENTS):
            verified = await self.releases_between(announcement.since, today)
            announced.append(AnnouncedVsVerified(announcement, verified))
        first_week = _monday(today) - dt.timedelta(weeks=CHART_WEEKS - 1)
        return FiguresSnapshot(
            version=version,
            today=today,
            deprived=deprived.total,
            disappeared=deprived.by_state[CaseState.DISAPPEARED],
            house_arrest=deprived.by_state[CaseState.HOUSE_ARREST],
            releases=await self._event_figure(release, today),
            releases_last_7_days=await self._sum_days(release, _days_before(today, 6), today),
            releases_last_30_days=await self._sum_days(release, _days_before(today, 29), today),
            rearrests=await self._event_figure(CaseEventKind.REARREST, today),
            by_sex=_shares(deprived.by_sex),
            by_affiliation=_shares(deprived.by_affiliation),
            minors=deprived.minors,
            by_federal_entity=_shares(deprived.by_entity),
            by_detaining_body=_shares(deprived.by_body),
            announced=tuple(announced),
            weeks=await self._weeks(first_week, today),
            chart_announcements=tuple(await self._announcements.between(first_week, today)),
        )

    async def _deprived(self) -> _Deprived:
        result = _Deprived()
        breakdowns = {
            "sex": result.by_sex,
            "affiliation": result.by_affiliation,
            "federal_entity": result.by_entity,
            "detaining_body": result.by_body,
        }
        for breakdown, code, count in await self._db.fetch_all(_DEPRIVED):
            if breakdown == "state":
                result.counts[CaseState(code)] += count
            elif breakdown == "is_minor":
                result.minors += count if code else 0
            else:
                breakdowns[breakdown][code or None] += count
        for state in DEPRIVED_OF_LIBERTY:
            row = await self._db.fetch_one(_LAST_VERIFIED, (state.value,))
            if row is not None:
                result.last[state] = row[0]
        result.finish(self._timezone)
        return result

    async def _sum_days(self, kind: str, first: str, last: dt.date) -> int:
        row = await self._db.fetch_one(_SUM_DAYS, (kind, first, last.isoformat()))
        return int(row[0]) if row else 0

    async def _event_figure(self, kind: CaseEventKind, today: dt.date) -> Figure:
        count = await self._sum_days(kind, _EARLIEST, today)
        row = await self._db.fetch_one(_NEWEST_DAY, (kind.value, today.isoformat()))
        newest = row[0] if row else None
        return Figure(count, dt.date.fromisoformat(newest) if newest else None)

    async def _weeks(self, first_week: dt.date, today: dt.date) -> tuple[Week, ...]:
        detentions: Counter[dt.date] = Counter()
        releases: Counter[dt.date] = Counter()
        params = (
            DETENTION,
            CaseEventKind.REARREST.value,
            CaseEventKind.RELEASE.value,
            first_week.isoformat(),
            today.isoformat(),
        )
        for kind, day, count in await self._db.fetch_all(_DAYS, params):
            target = releases if kind == CaseEventKind.RELEASE else detentions
            target[_monday(dt.date.fromisoformat(day))] += count
        starts = (first_week + dt.timedelta(weeks=index) for index in range(CHART_WEEKS))
        return tuple(Week(start, detentions[start], releases[start]) for start in starts)

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


class _Deprived:
    """Running totals of the deprived-of-liberty scan."""

    def __init__(self) -> None:
        self.counts: Counter[CaseState] = Counter()
        self.last: dict[CaseState, str] = {}
        self.by_sex: Counter[str | None] = Counter()
        self.by_affiliation: Counter[str | None] = Counter()
        self.by_entity: Counter[str | None] = Counter()
        self.by_body: Counter[str | None] = Counter()
        self.minors = 0
        self.by_state: dict[CaseState, Figure] = {}
        self.total = Figure(0, None)

    def finish(self, timezone: dt.tzinfo) -> None:
        def day(stamp: str | None) -> dt.date | None:
            return _local_day(stamp, timezone) if stamp else None

        for state in DEPRIVED_OF_LIBERTY:
            self.by_state[state] = Figure(self.counts[state], day(self.last.get(state)))
        self.total = Figure(sum(self.counts.values()), day(max(self.last.values(), default=None)))


def _shares(counts: Counter[str | None]) -> tuple[Share, ...]:
    """Largest first, then by code; the unrecorded share last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] is None, -item[1], item[0] or ""))
    return tuple(Share(code, count) for code, count in ordered if count > 0)


def _local_day(stamp: str, timezone: dt.tzinfo) -> dt.date:
    """The deployment's calendar day of a stored UTC time (a bare date is taken as is)."""
    try:
        return from_iso(stamp).astimezone(timezone).date()
    except ValueError:
        return dt.date.fromisoformat(stamp[:10])


def _days_before(day: dt.date, days: int) -> str:
    return (day - dt.timedelta(days=days)).isoformat()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
