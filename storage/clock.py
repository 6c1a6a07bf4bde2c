"""Time source shared by storage and handlers, so tests can move time forward."""

from __future__ import annotations

import datetime as dt


class Clock:
    """Wall clock in UTC; `SettableClock` in tests replaces it."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def now_iso(self) -> str:
        return to_iso(self.now())


class SettableClock(Clock):
    """A clock that stands still until told to move (back-dated rows, retention, throttles)."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def set(self, moment: dt.datetime) -> None:
        self._now = moment

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


def to_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
