"""The receipt-code guessing throttle, kept in the database so a restart does not reset it.

A receipt code is the only key to a report's state, so trying codes must stay slow:
after `max_failures` wrong codes within `window`, the user is refused for `lockout`.
A right code does not wipe earlier failures (one known code must not reset the count
for guessing others). Users are keyed by an HMAC of their id (purpose 'throttle').
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database

THROTTLE_PURPOSE = "throttle"
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=10)
LOCKOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Lockout:
    """The user may try again at `until`; `minutes_left` is rounded up, at least 1."""

    until: dt.datetime
    minutes_left: int


class GuessThrottle:
    """Counts wrong codes per user and refuses further tries while locked out."""

    def __init__(
        self,
        db: Database,
        cipher: FieldCipher,
        clock: Clock,
        *,
        max_failures: int = MAX_FAILURES,
        window: dt.timedelta = WINDOW,
        lockout: dt.timedelta = LOCKOUT,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self.max_failures = max_failures
        self.window = window
        self.lockout = lockout

    def _key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose=THROTTLE_PURPOSE)

    def _keys(self, user_id: int) -> list[str]:
        """Old keys too: a restart with a new key must not lift a lockout."""
        return self._cipher.lookup_hash_with_old_keys(user_id, purpose=THROTTLE_PURPOSE)

    async def locked(self, user_id: int) -> Lockout | None:
        """The current lockout of this user, if any."""
        keys = self._keys(user_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            "SELECT MAX(until) FROM guess_lockouts"  # noqa: S608 - only ? marks
            f" WHERE user_key IN ({marks}) AND until > ?",
            (*keys, self._clock.now_iso()),
        )
        until = row[0] if row is not None else None
        return self._lockout(from_iso(until)) if until else None

    async def record_failure(self, user_id: int) -> Lockout | None:
        """Note one wrong code; returns the lockout it started, if it was one too many."""
        key = self._key(user_id)
        now = self._clock.now()
        since = to_iso(now - self.window)
        async with self._db.transaction() as conn:
            # Old failures of everyone go: they no longer count and only leave a trace.
            await conn.execute("DELETE FROM guess_failures WHERE at <= ?", (since,))
            await conn.execute("DELETE FROM guess_lockouts WHERE until <= ?", (to_iso(now),))
            await conn.execute(
                "INSERT INTO guess_failures (user_key, at) VALUES (?, ?)", (key, to_iso(now))
            )
            keys = self._keys(user_id)
            marks = ", ".join("?" for _ in keys)
            async with conn.execute(
                f"SELECT COUNT(*) FROM guess_failures WHERE user_key IN ({marks})",  # noqa: S608
                keys,
            ) as cursor:
                row = await cursor.fetchone()
            failures = int(row[0]) if row else 0
            if failures < self.max_failures:
                return None
            until = now + self.lockout
            await conn.execute(
                "INSERT INTO guess_lockouts (user_key, until) VALUES (?, ?)"
                " ON CONFLICT (user_key) DO UPDATE SET until = excluded.until",
                (key, to_iso(until)),
            )
            await conn.execute(
                f"DELETE FROM guess_failures WHERE user_key IN ({marks})",  # noqa: S608
                keys,
            )
        return self._lockout(until)

    def _lockout(self, until: dt.datetime) -> Lockout:
        seconds = (until - self._clock.now()).total_seconds()
        return Lockout(until, max(1, math.ceil(seconds / 60)))
