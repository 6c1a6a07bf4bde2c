"""What the published site reads beyond the figures and the public export: when the
published data last changed, which cases changed since a build, and which cases hold
the newest releases and the newest named detentions (the site lists a thousand of each).

The site says "last updated" and its Atom feed an `updated` time; both come from the
data (the newest change to a case, a step of a story, or an announcement), never from
the clock, so the same database always gives the same files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind
from storage.clock import from_iso
from storage.database import Database

_LAST_CHANGE = (
    "SELECT MAX(moment) FROM ("
    " SELECT MAX(updated_at) AS moment FROM cases"
    " UNION ALL SELECT MAX(created_at) FROM case_events"
    " UNION ALL SELECT MAX(created_at) FROM announcements)"
)
_CHANGE_MARK = "SELECT COALESCE(MAX(seq), 0) FROM case_changes"
_CHANGED_SINCE = "SELECT case_id, seq FROM case_changes WHERE seq > ? ORDER BY seq"

_RELEASES = (
    "FROM case_events AS e JOIN cases AS c ON c.id = e.case_id"
    " WHERE e.kind = :kind AND e.event_date <= :today AND c.merged_into IS NULL"
)
# The day of the `kept`-th newest release; the cases of every newer release; and the
# first cases of that day in the order the site's list takes them (case, then story).
_RELEASE_DAY = f"SELECT e.event_date {_RELEASES} ORDER BY e.event_date DESC LIMIT 1 OFFSET :skip"
_RELEASES_AFTER = f"SELECT e.case_id {_RELEASES} AND e.event_date > :day"
_RELEASES_ON = (
    f"SELECT e.case_id {_RELEASES} AND e.event_date = :day"
    " ORDER BY e.case_id, e.created_at, e.id LIMIT :room"
)
_RELEASE_CASES = f"SELECT DISTINCT e.case_id {_RELEASES}"
_DEPRIVED_STATES = ", ".join(f"'{state.value}'" for state in DEPRIVED_OF_LIBERTY)
# The unary `+` leaves the consent index (0021) to the planner, not the state one.
_NAMED = (
    "FROM cases WHERE publish_consent = 1 AND +merged_into IS NULL"
    f" AND +state IN ({_DEPRIVED_STATES})"
)
# The same for the people named: detained on or after the `kept`-th latest detention (a
# date not recorded sorts last: then every one).
_NAMED_CASES = f"SELECT id {_NAMED}"
_NAMED_CASES_FROM = f"SELECT id {_NAMED} AND detained_on >= ?"
_NAMED_THRESHOLD = f"SELECT detained_on {_NAMED} ORDER BY detained_on DESC LIMIT 1 OFFSET ?"
_NAMED_COUNT = f"SELECT COUNT(*) {_NAMED}"


@dataclass(frozen=True, slots=True)
class Changes:
    """The cases changed after a mark, and the mark that covers them."""

    mark: int
    case_ids: tuple[int, ...]


class SiteStore:
    """Named read queries of the site."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def last_change(self) -> dt.datetime | None:
        """The newest stored change to what the site publishes (UTC); None when empty."""
        row = await self._db.fetch_one(_LAST_CHANGE)
        if row is None or row[0] is None:
            return None
        return from_iso(str(row[0]))

    async def change_mark(self) -> int:
        """The newest change to any case (0: none yet); a later change has a greater mark."""
        row = await self._db.fetch_one(_CHANGE_MARK)
        return int(row[0]) if row else 0

    async def changed_since(self, mark: int) -> Changes:
        """Every case with a change after `mark` (deleted ones too), oldest change first."""
        rows = await self._db.fetch_all(_CHANGED_SINCE, (mark,))
        newest = max((int(row["seq"]) for row in rows), default=mark)
        return Changes(newest, tuple(int(row["case_id"]) for row in rows))

    async def newest_release_cases(self, today: dt.date, kept: int) -> list[int]:
        """The unmerged cases holding the `kept` newest releases dated up to `today` (ties
        on the oldest of those days taken in case order, as the site lists them), in id
        order."""
        known = {"kind": CaseEventKind.RELEASE.value, "today": today.isoformat()}
        row = await self._db.fetch_one(_RELEASE_DAY, {**known, "skip": kept - 1})
        if row is None:
            rows = await self._db.fetch_all(_RELEASE_CASES, known)
            return sorted(int(found[0]) for found in rows)
        day = {**known, "day": row[0]}
        after = [int(found[0]) for found in await self._db.fetch_all(_RELEASES_AFTER, day)]
        on_day = await self._db.fetch_all(_RELEASES_ON, {**day, "room": kept - len(after)})
        return sorted({*after, *(int(found[0]) for found in on_day)})

    async def newest_named_cases(self, kept: int) -> list[int]:
        """The unmerged cases deprived of liberty whose families consented, detained on or
        after the day of the `kept`-th latest detention among them, in id order."""
        row = await self._db.fetch_one(_NAMED_THRESHOLD, (kept - 1,))
        day = row[0] if row is not None else None
        if day is None:
            rows = await self._db.fetch_all(_NAMED_CASES)
        else:
            rows = await self._db.fetch_all(_NAMED_CASES_FROM, (day,))
        return sorted(int(found[0]) for found in rows)

    async def named_count(self) -> int:
        """How many people the site may name: consented, unmerged, deprived of liberty."""
        row = await self._db.fetch_one(_NAMED_COUNT)
        return int(row[0]) if row else 0
