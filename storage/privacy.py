"""Privacy operations across tables: consent withdrawal, unlinking, retention purges.

The reports and cases tables belong to intake and moderation; these statements are
the privacy-side operations on them ("unlink every report of this reporter", "purge
reporter links older than N days") and live here so they are reviewed together.

Publication rule: a case is public (`cases.publish_consent = 1`) only while at least
one report attached to it (directly, or to a case merged into it) still holds the
reporter's consent to publish. Withdrawing a report's consent recomputes that for its
case at once, so a case whose only consent came from this reporter leaves the public
lists and exports immediately, while a case another family also consented for stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import aiosqlite

from storage.clock import Clock, from_iso
from storage.crypto import FieldCipher
from storage.database import Database

REPORTER_PURPOSE = "reporter"
PERSON_NAME_CONTEXT = "reports.person_name"
PRIVACY_PURPOSE = "privacy"
PRIVACY_USER_CONTEXT = "privacy_prefs.user_id"
MAX_LISTED_REPORTS = 20


@dataclass(frozen=True, slots=True)
class OwnReport:
    """One of the reporter's own reports, as /privacy lists it."""

    id: int
    kind: str
    state: str
    created_at: dt.datetime
    person_name: str
    publish_consent: bool
    contact_consent: bool
    # Filed with a receipt code: its person is the earlier report's (never shown back).
    from_code: bool = False


class Privacy:
    """Privacy preferences and the privacy-side writes on reports and cases."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def reporter_keys(self, chat_id: int) -> list[str]:
        """Every hash under which this chat may appear as a reporter (old keys too)."""
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)

    # Preferences -----------------------------------------------------------------

    async def auto_wipe(self, user_id: int) -> bool:
        keys = self._cipher.lookup_hash_with_old_keys(user_id, purpose=PRIVACY_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT MAX(auto_wipe) FROM privacy_prefs WHERE user_key IN ({marks})",  # noqa: S608
            keys,
        )
        return bool(row and row[0])

    async def set_auto_wipe(self, user_id: int, enabled: bool) -> None:
        keys = self._cipher.lookup_hash_with_old_keys(user_id, purpose=PRIVACY_PURPOSE)
        user_key = keys[0]
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            # One row per user, under the current key, even mid-rotation.
            await conn.execute(
                f"DELETE FROM privacy_prefs WHERE user_key IN ({marks})",  # noqa: S608
                keys,
            )
            await conn.execute(
                "INSERT INTO privacy_prefs (user_key, user_id_enc, auto_wipe, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    user_key,
                    self._cipher.encrypt(str(user_id), context=PRIVACY_USER_CONTEXT, row=user_key),
                    int(enabled),
                    self._clock.now_iso(),
                ),
            )

    async def forget_prefs(self, user_id: int) -> int:
        keys = self._cipher.lookup_hash_with_old_keys(user_id, purpose=PRIVACY_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            f"DELETE FROM privacy_prefs WHERE user_key IN ({marks})",  # noqa: S608
            keys,
        )

    # The reporter's own reports --------------------------------------------------

    async def own_reports(self, chat_id: int) -> list[OwnReport]:
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        rows = await self._db.fetch_all(
            "SELECT id, kind, state, created_at, person_name_enc, publish_consent_at,"  # noqa: S608
            " contact_consent_at, parent_report_id"
            f" FROM reports WHERE reporter_key IN ({marks})"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (*keys, MAX_LISTED_REPORTS),
        )
        return [self._own_report(row) for row in rows]

    async def own_report(self, chat_id: int, report_id: int) -> OwnReport | None:
        """The report only if this chat filed it: callback data is never trusted."""
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            "SELECT id, kind, state, created_at, person_name_enc, publish_consent_at,"  # noqa: S608
            " contact_consent_at, parent_report_id"
            f" FROM reports WHERE id = ? AND reporter_key IN ({marks})",
            (report_id, *keys),
        )
        return self._own_report(row) if row is not None else None

    async def newest_report_language(self, chat_id: int) -> str | None:
        """The language this chat's newest report was made in (what the reporter reads)."""
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            "SELECT reporter_language FROM reports"  # noqa: S608 - only ? marks
            f" WHERE reporter_key IN ({marks}) ORDER BY created_at DESC, id DESC LIMIT 1",
            keys,
        )
        return str(row[0]) if row else None

    def _own_report(self, row: aiosqlite.Row) -> OwnReport:
        name = self._cipher.decrypt(
            row["person_name_enc"], context=PERSON_NAME_CONTEXT, row=row["id"]
        )
        return OwnReport(
            id=int(row["id"]),
            kind=str(row["kind"]),
            state=str(row["state"]),
            created_at=from_iso(row["created_at"]),
            person_name=name or "",
            publish_consent=row["publish_consent_at"] is not None,
            contact_consent=row["contact_consent_at"] is not None,
            from_code=row["parent_report_id"] is not None,
        )

    async def withdraw_publication(self, chat_id: int, report_id: int) -> bool:
        """Withdraw consent to publish; the case leaves public lists in the same commit."""
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        now = self._clock.now_iso()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE reports SET publish_consent_at = NULL, updated_at = ?"  # noqa: S608
                f" WHERE id = ? AND reporter_key IN ({marks})"
                " AND publish_consent_at IS NOT NULL",
                (now, report_id, *keys),
            )
            if cursor.rowcount == 0:
                return False
            await _recompute_case_consent(conn, report_id, now)
        return True

    async def withdraw_contact(self, chat_id: int, report_id: int) -> bool:
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        changed = await self._db.execute(
            "UPDATE reports SET contact_consent_at = NULL, updated_at = ?"  # noqa: S608
            f" WHERE id = ? AND reporter_key IN ({marks}) AND contact_consent_at IS NOT NULL",
            (self._clock.now_iso(), report_id, *keys),
        )
        return changed > 0

    # Forgetting and retention -----------------------------------------------------

    async def unlink_reporter(self, chat_id: int) -> int:
        """The reports stay with the NGO but no longer point to any Telegram account.

        Contact consent goes too: there is nobody left to write to.
        """
        keys = self.reporter_keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            "UPDATE reports SET reporter_key = NULL, reporter_chat_enc = NULL,"  # noqa: S608
            f" contact_consent_at = NULL WHERE reporter_key IN ({marks})",
            keys,
        )

    async def purge_reporter_links(self, older_than: dt.datetime) -> int:
        """Unlink every report whose last activity is before `older_than`.

        Activity is the report's own last change (a moderator's action, a consent
        withdrawn, its closing), the family's last use of it (`reporter_seen_at`) and
        the last change of its case (or of the case that case was merged into): a
        report never acted on, and a verified one whose case was released or ended,
        lose the link like a rejected one.
        """
        cutoff = older_than.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return await self._db.execute(
            "UPDATE reports SET reporter_key = NULL, reporter_chat_enc = NULL,"
            " contact_consent_at = NULL WHERE (reporter_key IS NOT NULL"
            " OR reporter_chat_enc IS NOT NULL) AND MAX(updated_at,"
            " COALESCE(closed_at, ''), COALESCE(reporter_seen_at, ''),"
            " COALESCE((SELECT MAX(c.updated_at) FROM cases AS c WHERE c.id = reports.case_id"
            " OR c.id = (SELECT m.merged_into FROM cases AS m WHERE m.id = reports.case_id)),"
            " '')) < ?",
            (cutoff,),
        )


async def _recompute_case_consent(conn: aiosqlite.Connection, report_id: int, now: str) -> None:
    """Apply the publication rule of the module docstring to this report's case."""
    async with conn.execute(
        "SELECT COALESCE(c.merged_into, c.id) FROM reports r JOIN cases c ON c.id = r.case_id"
        " WHERE r.id = ?",
        (report_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return
    case_id = int(row[0])
    await conn.execute(
        "UPDATE cases SET publish_consent = 0, version = version + 1, updated_at = ?"
        " WHERE (id = ? OR merged_into = ?)"
        " AND publish_consent = 1 AND NOT EXISTS (SELECT 1 FROM reports r"
        " WHERE r.publish_consent_at IS NOT NULL AND r.case_id IN"
        " (SELECT id FROM cases WHERE id = ? OR merged_into = ?))",
        (now, case_id, case_id, case_id, case_id),
    )
