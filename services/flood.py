"""Per-user flood control: a slow-down notice, then a short silence.

More than `limit` updates within `window` seconds earns one polite notice, and that
user's updates are then ignored for `pause` seconds. The state lives in memory, one
`FloodGate` per Application, bounded by `max_users` (least recently seen forgotten
first): a restart forgives everyone, which is the right failure for a family in a hurry.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import Enum

FLOOD_LIMIT = 20
FLOOD_WINDOW_SECONDS = 10.0
FLOOD_PAUSE_SECONDS = 30.0
MAX_TRACKED_USERS = 20_000


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first update dropped: tell the user once
    DROP = "drop"


@dataclass(slots=True)
class _Recent:
    times: deque[float] = field(default_factory=deque)
    muted_until: float = 0.0


class FloodGate:
    """Counts each user's recent updates; decides whether the next one is handled."""

    def __init__(
        self,
        limit: int = FLOOD_LIMIT,
        window: float = FLOOD_WINDOW_SECONDS,
        pause: float = FLOOD_PAUSE_SECONDS,
        max_users: int = MAX_TRACKED_USERS,
    ) -> None:
        self._limit = limit
        self._window = window
        self._pause = pause
        self._max_users = max_users
        self._users: OrderedDict[int, _Recent] = OrderedDict()

    def __len__(self) -> int:
        return len(self._users)

    def check(self, user_id: int, now: float) -> Verdict:
        recent = self._users.get(user_id)
        if recent is None:
            recent = _Recent()
            self._users[user_id] = recent
            if len(self._users) > self._max_users:
                self._users.popitem(last=False)
        else:
            self._users.move_to_end(user_id)
        if now < recent.muted_until:
            return Verdict.DROP
        times = recent.times
        while times and times[0] <= now - self._window:
            times.popleft()
        times.append(now)
        if len(times) <= self._limit:
            return Verdict.ALLOW
        times.clear()
        recent.muted_until = now + self._pause
        return Verdict.WARN
