"""The 48-hour clock of DESIGN.md: hours since an arrest nobody can place.

The COPP gives the State 48 hours to bring a detainee before a judge. Reports carry
the day of the arrest, not the hour, so the clock starts at the first minute of that
day in the deployment's time zone: it may run a few hours early, never late — a
moderator is warned too soon rather than too late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEADLINE_HOURS = 48


@dataclass(frozen=True, slots=True)
class Clock48:
    hours: int

    @property
    def overdue(self) -> bool:
        """Past the deadline: a likely enforced disappearance."""
        return self.hours >= DEADLINE_HOURS


def clock48(since: dt.date | None, now: dt.datetime, timezone: dt.tzinfo) -> Clock48 | None:
    """Hours elapsed since the start of `since` (local day); None without a date."""
    if since is None:
        return None
    start = dt.datetime.combine(since, dt.time(0, 0), tzinfo=timezone)
    elapsed = now - start
    return Clock48(max(0, int(elapsed.total_seconds() // 3600)))
