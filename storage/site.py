"""What the published site reads beyond the figures and the public export: when the
published data last changed.

The site says "last updated" and its Atom feed an `updated` time; both come from the
data (the newest change to a case, a step of a story, or an announcement), never from
the clock, so the same database always gives the same files.
"""

from __future__ import annotations

import datetime as dt

from storage.clock import from_iso
from storage.database import Database

_LAST_CHANGE = (
    "SELECT MAX(moment) FROM ("
    " SELECT MAX(updated_at) AS moment FROM cases"
    " UNION ALL SELECT MAX(created_at) FROM case_events"
    " UNION ALL SELECT MAX(created_at) FROM announcements)"
)


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
