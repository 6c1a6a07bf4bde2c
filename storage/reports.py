"""Reports: made by intake in one transaction, read by status, moderation and privacy.

Personal fields are sealed per column (`reports.<column>` contexts, as key rotation
expects, declared in storage/report_rows.py); the cédula and the receipt code are found
through keyed hashes; the reporter's chat is a keyed hash plus its sealed id, never part
of `Report`, so a report can be shown to moderators without carrying who sent it.
Filing itself is storage/report_filing.py.
"""

from __future__ import annotations

import aiosqlite

from domain.receipts import RECEIPT_PURPOSE, normalise_receipt
from domain.vocabulary import ReportKind
from storage.blocks import Screen
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.privacy import REPORTER_PURPOSE
from storage.report_filing import (
    CEDULA_PURPOSE,
    SAME_PERSON_WINDOW,
    AlsoWrite,
    ReportFiling,
    same_person_query,
)
from storage.report_models import (
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    Evidence,
    Filed,
    FileOutcome,
    NewReport,
    Report,
)
from storage.report_rows import (
    COLUMNS,
    REPORTER_CHAT_CONTEXT,
    evidence_from_row,
    report_from_row,
)

__all__ = [
    "CEDULA_PURPOSE",
    "PRIORITY_NORMAL",
    "PRIORITY_URGENT",
    "SAME_PERSON_WINDOW",
    "Evidence",
    "FileOutcome",
    "Filed",
    "NewReport",
    "Report",
    "Reports",
]

_MAX_LISTED = 50


class Reports:
    """The reports repository (see the module docstring)."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._filing = ReportFiling(db, cipher, clock, self.by_id)

    async def file(
        self, new: NewReport, screen: Screen | None = None, also: AlsoWrite | None = None
    ) -> Filed:
        """Store a report and its evidence (see `ReportFiling.file`)."""
        return await self._filing.file(new, screen, also)

    # Reading ----------------------------------------------------------------------

    async def by_receipt(self, code: str) -> Report | None:
        """The report a receipt code opens (spaces and dashes allowed), or None."""
        canonical = normalise_receipt(code)
        if canonical is None:
            return None
        hashes = self._cipher.lookup_hash_with_old_keys(canonical, purpose=RECEIPT_PURPOSE)
        marks = ", ".join("?" for _ in hashes)
        row = await self._db.fetch_one(
            f"SELECT {COLUMNS} FROM reports WHERE receipt_hash IN ({marks})",  # noqa: S608
            hashes,
        )
        return await self._with_evidence(row)

    async def by_id(self, report_id: int) -> Report | None:
        row = await self._db.fetch_one(
            f"SELECT {COLUMNS} FROM reports WHERE id = ?",  # noqa: S608 - fixed columns
            (report_id,),
        )
        return await self._with_evidence(row)

    async def for_reporter(self, chat_id: int, limit: int = _MAX_LISTED) -> list[Report]:
        """This chat's reports, newest first (without evidence: a listing needs none)."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        rows = await self._db.fetch_all(
            f"SELECT {COLUMNS} FROM reports WHERE reporter_key IN ({marks})"  # noqa: S608
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (*keys, limit),
        )
        return [report_from_row(self._cipher, row, ()) for row in rows]

    async def same_person_recently(
        self, chat_id: int, cedula: str, kind: ReportKind
    ) -> Report | None:
        """This chat's report of this cédula and kind within the last 24 hours, if any."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        hashes = self._cipher.lookup_hash_with_old_keys(cedula, purpose=CEDULA_PURPOSE)
        sql, params = same_person_query(keys, hashes, kind, self._clock.now())
        row = await self._db.fetch_one(sql, params)
        return await self.by_id(int(row[0])) if row is not None else None

    async def is_reporter(self, report_id: int, chat_id: int) -> bool:
        """Whether this chat filed the report (for showing details only to the family)."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT 1 FROM reports WHERE id = ? AND reporter_key IN ({marks})",  # noqa: S608
            (report_id, *keys),
        )
        return row is not None

    async def note_reporter_activity(
        self, chat_id: int, report_id: int | None = None, conn: aiosqlite.Connection | None = None
    ) -> None:
        """The family used its report (all its reports when `report_id` is None):
        retention counts RETENTION_DAYS from the last activity, this included."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        sql = (
            "UPDATE reports SET reporter_seen_at = ?"  # noqa: S608 - only ? marks
            f" WHERE reporter_key IN ({marks})"
        )
        params: list[object] = [self._clock.now_iso(), *keys]
        if report_id is not None:
            sql += " AND id = ?"
            params.append(report_id)
        if conn is None:
            await self._db.execute(sql, params)
        else:
            await conn.execute(sql, params)

    async def filed_from_draft(self, draft_token: str, chat_id: int) -> bool:
        """Whether this chat already filed the draft with this token (a late second Confirm)."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            "SELECT 1 FROM reports WHERE draft_token = ?"  # noqa: S608 - only ? marks
            f" AND reporter_key IN ({marks})",
            (draft_token, *keys),
        )
        return row is not None

    async def reporter_chat(self, report_id: int) -> int | None:
        """The chat to write back to, or None once unlinked (forget-me, retention)."""
        row = await self._db.fetch_one(
            "SELECT reporter_chat_enc FROM reports WHERE id = ?", (report_id,)
        )
        if row is None or row["reporter_chat_enc"] is None:
            return None
        chat = self._cipher.decrypt(
            row["reporter_chat_enc"], context=REPORTER_CHAT_CONTEXT, row=report_id
        )
        return int(chat) if chat is not None else None

    async def evidence(self, report_id: int) -> tuple[Evidence, ...]:
        rows = await self._db.fetch_all(
            "SELECT id, file_id_enc, media_type, file_size, created_at FROM report_evidence"
            " WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        return tuple(evidence_from_row(self._cipher, row) for row in rows)

    async def _with_evidence(self, row: aiosqlite.Row | None) -> Report | None:
        if row is None:
            return None
        return report_from_row(self._cipher, row, await self.evidence(int(row["id"])))
