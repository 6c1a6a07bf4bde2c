"""Owner views open only to whoever proves to be the family: a PIN or a receipt code.

A seized phone is often handed over unlocked, so being in the chat proves nothing.
`/misreportes`, the report list of `/privacidad`, `/novedades`, the follow-up Reply
and the /pin settings ask for the family PIN or one of the chat's receipt codes; a
right one opens them in this chat for `UNLOCK` (kept in memory only: a restart locks
every chat again). Wrong answers share the receipt-code throttle (5 in 10 minutes
lock the user out for 15), and the answer never depends on whether the chat has
reports. A chat with neither a PIN nor a report has nothing to guard and is not asked.

The duress PIN, and the 10th wrong PIN in a row when the family chose the lockout,
are answered like the empty chat they are about to become: the caller unlinks the
chat (`Proof.DURESS`, `Proof.UNLINK`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from domain.receipts import normalise_receipt
from storage.clock import Clock
from storage.reports import Reports
from storage.secrets import ChatSecrets, PinMatch
from storage.throttle import GuessThrottle, Lockout

logger = logging.getLogger(__name__)

UNLOCK = dt.timedelta(minutes=5)
# With the lockout chosen in /pin: this many wrong PINs in a row unlink the chat.
LOCKOUT_STREAK = 10


class Proof(StrEnum):
    OWNER = "owner"
    DURESS = "duress"
    UNLINK = "unlink"  # the lockout streak was reached: unlink, answer as if wrong
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class ProofResult:
    proof: Proof
    lockout: Lockout | None = None


class OwnerGate:
    """Which chats are open now, and the check of a PIN or code typed to open one."""

    def __init__(
        self,
        secrets: ChatSecrets,
        reports: Reports,
        throttle: GuessThrottle,
        clock: Clock,
        unlock: dt.timedelta = UNLOCK,
    ) -> None:
        self.secrets = secrets
        self._reports = reports
        self._throttle = throttle
        self._clock = clock
        self.unlock_for = unlock
        self._open_until: dict[int, dt.datetime] = {}

    def is_open(self, chat_id: int) -> bool:
        until = self._open_until.get(chat_id)
        if until is None:
            return False
        if until <= self._clock.now():
            del self._open_until[chat_id]
            return False
        return True

    def open(self, chat_id: int) -> None:
        self._open_until[chat_id] = self._clock.now() + self.unlock_for

    def close(self, chat_id: int) -> None:
        self._open_until.pop(chat_id, None)

    async def needs_secret(self, chat_id: int) -> bool:
        """True unless the chat is open or has nothing to guard (no PIN, no report)."""
        if self.is_open(chat_id):
            return False
        if (await self.secrets.state(chat_id)).has_pin:
            return True
        return bool(await self._reports.for_reporter(chat_id, limit=1))

    async def prove(self, chat_id: int, entry: str) -> ProofResult:
        """Check a typed PIN or receipt code; a right one opens the chat.

        A private chat's id is its user's id, so the throttle is the one /estado uses.
        """
        lockout = await self._throttle.locked(chat_id)
        if lockout is not None:
            return ProofResult(Proof.LOCKED, lockout)
        code = normalise_receipt(entry)
        if code is not None:
            report = await self._reports.by_receipt(code)
            if report is not None and await self._reports.is_reporter(report.id, chat_id):
                await self.secrets.reset_streak(chat_id)
                self.open(chat_id)
                return ProofResult(Proof.OWNER)
        else:
            match = await self.secrets.match(chat_id, entry)
            if match is PinMatch.PIN:
                await self.secrets.reset_streak(chat_id)
                self.open(chat_id)
                return ProofResult(Proof.OWNER)
            if match is PinMatch.DURESS:
                self.close(chat_id)
                return ProofResult(Proof.DURESS)
        started = await self._throttle.record_failure(chat_id)
        state = await self.secrets.state(chat_id)
        if state.has_pin and await self.secrets.note_wrong(chat_id) >= LOCKOUT_STREAK:
            if state.lockout:
                self.close(chat_id)
                return ProofResult(Proof.UNLINK, started)
        return ProofResult(Proof.WRONG, started)
