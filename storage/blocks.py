"""Abuse controls on reports: quarantine of blocked users and the daily cap per chat.

A blocked user is never told: their reports are still accepted and get a receipt
code, but they are marked `quarantined` and stay out of the moderation queue and
notices until a moderator unblocks them (which releases them into the queue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from storage.audit import AuditLog
from storage.clock import Clock, to_iso
from storage.crypto import FieldCipher
from storage.database import Database
from storage.privacy import PRIVACY_PURPOSE, REPORTER_PURPOSE
from storage.tracked_chats import DEFAULT_CHOICE, KEEP, ExpiryChoice
from storage.tracking import CHAT_PURPOSE as TRACKING_PURPOSE

AUDIT_BLOCKED = "user_blocked"
AUDIT_UNBLOCKED = "user_unblocked"
BLOCKED_PURPOSE = "blocked"
BLOCKED_USER_CONTEXT = "blocked_users.user_id"
# The daily cap's own counter (report_counts); never cleared by /olvidarme.
COUNT_PURPOSE = "report_count"
STAFF_PURPOSE = "staff"


@dataclass(frozen=True, slots=True)
class Standing:
    """What filing a report needs to know about its chat, read in one statement."""

    reports_today: int
    blocked: bool
    auto_wipe: bool
    # The chat's own expiry (/privacidad), for the receipt to say when it disappears.
    expiry_choice: ExpiryChoice = DEFAULT_CHOICE


@dataclass(frozen=True, slots=True)
class Screen:
    """A chat's standing as a read of the filing transaction, the cap to keep, and the
    counter row (`count_key`, local `day`) a created report adds one to."""

    read: Callable[[aiosqlite.Connection], Awaitable[Standing]]
    daily_cap: int
    count_key: str
    day: str

    def admits(self, standing: Standing) -> bool:
        return standing.reports_today < self.daily_cap


class OverDailyCap(Exception):
    """Filing refused: the chat already sent today's most reports (nothing was written)."""


class Blocks:
    """Who is quarantined, and how many reports a chat filed today."""

    def __init__(
        self,
        db: Database,
        cipher: FieldCipher,
        clock: Clock,
        timezone: ZoneInfo,
        daily_cap: int,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._timezone = timezone
        self.daily_cap = daily_cap
        self._audit = AuditLog(db, cipher, clock)

    def _keys(self, user_id: int) -> list[str]:
        return self._cipher.lookup_hash_with_old_keys(user_id, purpose=BLOCKED_PURPOSE)

    def _reporter_keys(self, chat_id: int) -> list[str]:
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)

    async def block(self, user_id: int, blocked_by: int) -> bool:
        """Quarantine the user's future reports; False if they already were.

        The block and its audit event commit together; the event names the user only
        by a keyed hash, the one audit_events uses for actors.
        """
        async with self._db.transaction() as conn:
            user_key = self._cipher.lookup_hash(user_id, purpose=BLOCKED_PURPOSE)
            cursor = await conn.execute(
                "INSERT INTO blocked_users (user_key, user_id_enc, blocked_by_key, blocked_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (user_key) DO NOTHING",
                (
                    user_key,
                    self._cipher.encrypt(str(user_id), context=BLOCKED_USER_CONTEXT, row=user_key),
                    self._cipher.lookup_hash(blocked_by, purpose=STAFF_PURPOSE),
                    self._clock.now_iso(),
                ),
            )
            if cursor.rowcount == 0:
                return False
            await self._audit.append(
                conn,
                actor_id=blocked_by,
                action=AUDIT_BLOCKED,
                target_type="user",
                target_id=None,
                details={"user": self._audit.actor_key(user_id)},
            )
        return True

    async def unblock(self, user_id: int, unblocked_by: int) -> bool:
        """Lift the block and release the user's quarantined reports into the queue.

        The row goes, but not the trace: an audit event, in the same transaction, says
        who lifted it and how many reports it released.
        """
        keys = self._keys(user_id)
        reporter_keys = self._reporter_keys(user_id)
        marks = ", ".join("?" for _ in keys)
        reporter_marks = ", ".join("?" for _ in reporter_keys)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"DELETE FROM blocked_users WHERE user_key IN ({marks})",  # noqa: S608
                keys,
            )
            if cursor.rowcount == 0:
                return False
            released = await conn.execute(
                "UPDATE reports SET quarantined = 0"  # noqa: S608 - only ? marks
                f" WHERE quarantined = 1 AND reporter_key IN ({reporter_marks})",
                reporter_keys,
            )
            await self._audit.append(
                conn,
                actor_id=unblocked_by,
                action=AUDIT_UNBLOCKED,
                target_type="user",
                target_id=None,
                details={"user": self._audit.actor_key(user_id), "released": released.rowcount},
            )
        return True

    async def is_blocked(self, chat_id: int) -> bool:
        """For intake, before saving a report (a private chat's id is its user's id)."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT 1 FROM blocked_users WHERE user_key IN ({marks})",  # noqa: S608
            keys,
        )
        return row is not None

    async def quarantine(self, report_id: int) -> None:
        """Mark a just-saved report of a blocked user (outside a transaction)."""
        await self._db.execute("UPDATE reports SET quarantined = 1 WHERE id = ?", (report_id,))

    @staticmethod
    async def quarantine_in(conn: aiosqlite.Connection, report_id: int) -> None:
        """The same inside the caller's `db.transaction()`."""
        await conn.execute("UPDATE reports SET quarantined = 1 WHERE id = ?", (report_id,))

    def _local_today(self) -> dt.date:
        return self._clock.now().astimezone(self._timezone).date()

    def _midnight_iso(self) -> str:
        return to_iso(dt.datetime.combine(self._local_today(), dt.time(0), tzinfo=self._timezone))

    def _today_query(self, chat_id: int) -> tuple[str, tuple[str, ...]]:
        """The count the daily cap is kept on, for the early check and for filing.

        The chat's own counter (which /olvidarme leaves alone), or its linked reports
        since midnight if more (reports filed before the counter existed).
        """
        keys = self._reporter_keys(chat_id)
        counted = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=COUNT_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        count_marks = ", ".join("?" for _ in counted)
        sql = (
            "SELECT MAX((SELECT COUNT(*) FROM reports"  # noqa: S608 - only ? marks
            f" WHERE reporter_key IN ({marks}) AND created_at >= ?),"
            " (SELECT COALESCE(SUM(n), 0) FROM report_counts"
            f" WHERE user_key IN ({count_marks}) AND day = ?))"
        )
        return sql, (*keys, self._midnight_iso(), *counted, self._local_today().isoformat())

    async def reports_today(self, chat_id: int) -> int:
        """Reports this chat filed since local midnight (settings.timezone)."""
        row = await self._db.fetch_one(*self._today_query(chat_id))
        return int(row[0]) if row else 0

    async def purge_counts(self) -> int:
        """Counters of past days (they only matter on their own day)."""
        return await self._db.execute(
            "DELETE FROM report_counts WHERE day < ?", (self._local_today().isoformat(),)
        )

    def screen(self, chat_id: int) -> Screen:
        """Today's count, the block, the auto-wipe and expiry choices, for `Reports.file` to read
        in the same trip as its own first reads, inside its transaction (so two
        Confirms at once cannot both pass the cap)."""
        today_sql, today_params = self._today_query(chat_id)
        blocked = self._keys(chat_id)
        privacy = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=PRIVACY_PURPOSE)
        tracking = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=TRACKING_PURPOSE)

        def marks(keys: list[str]) -> str:
            return ", ".join("?" for _ in keys)

        sql = (
            f"SELECT ({today_sql}),"  # noqa: S608 - only ? marks
            f" EXISTS (SELECT 1 FROM blocked_users WHERE user_key IN ({marks(blocked)})),"
            f" (SELECT MAX(auto_wipe) FROM privacy_prefs WHERE user_key IN ({marks(privacy)})),"
            # 0 for a kept chat, else its own minutes; NULL: the default.
            " (SELECT CASE WHEN keep = 1 THEN 0 ELSE expiry_minutes END FROM tracked_chats"
            f" WHERE chat_key IN ({marks(tracking)}) AND (keep = 1 OR expiry_minutes IS NOT NULL)"
            " LIMIT 1)"
        )
        params = (*today_params, *blocked, *privacy, *tracking)

        async def read(conn: aiosqlite.Connection) -> Standing:
            rows = list(await conn.execute_fetchall(sql, params))
            if not rows:
                return Standing(0, False, False)
            row = rows[0]
            own = row[3]
            choice = DEFAULT_CHOICE if own is None else KEEP if own == 0 else ExpiryChoice(own)
            return Standing(int(row[0] or 0), bool(row[1]), bool(row[2]), choice)

        return Screen(
            read,
            self.daily_cap,
            self._cipher.lookup_hash(chat_id, purpose=COUNT_PURPOSE),
            self._local_today().isoformat(),
        )

    async def over_daily_cap(self, chat_id: int) -> bool:
        """True when this chat may not file another report today."""
        return await self.reports_today(chat_id) >= self.daily_cap
