"""Reports: made by intake in one transaction, read by status, moderation and privacy.

Personal fields are sealed per column (`reports.<column>` contexts, as key rotation
expects); the cédula and the receipt code are found through keyed hashes; the
reporter's chat is a keyed hash plus its sealed id, never part of `Report`, so a
report can be shown to moderators without carrying who sent it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import aiosqlite

from domain.receipts import RECEIPT_PURPOSE, new_receipt_code, normalise_receipt
from domain.vocabulary import ReportKind, ReportState
from storage.blocks import OverDailyCap, Screen, Standing
from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database, Read, one_trip, raise_first_failure
from storage.privacy import REPORTER_PURPOSE
from storage.report_models import (
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    Evidence,
    Filed,
    FileOutcome,
    NewReport,
    Report,
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

logger = logging.getLogger(__name__)

CEDULA_PURPOSE = "cedula"
SAME_PERSON_WINDOW = dt.timedelta(hours=24)
_RECEIPT_ATTEMPTS = 8
_MAX_LISTED = 50

# Sealed columns of `reports` and what they hold (context `reports.<stem>`).
_SEALED = (
    "person_name",
    "cedula",
    "municipality",
    "whereabouts_other",
    "circumstances",
    "circumstances_voice",
    "relationship",
    "details",
    "receipt",
)
_EVIDENCE_CONTEXT = "report_evidence.file_id"
# Evidence of the report being filed, which it finds by (reporter, draft token).
_EVIDENCE_INSERT = (
    "INSERT INTO report_evidence (report_id, file_id_enc, media_type, file_size, created_at)"
    " VALUES ((SELECT id FROM reports WHERE reporter_key = ? AND draft_token = ?), ?, ?, ?, ?)"
)
_REPORTER_CHAT_CONTEXT = "reports.reporter_chat"
_COLUMNS = (
    "id, kind, state, case_id, parent_report_id, priority, sex, age, is_minor, affiliation,"
    " detained_on, federal_entity, detaining_body, whereabouts, reporter_language,"
    " contact_consent_at, publish_consent_at, version, created_at, updated_at, closed_at,"
    " reject_reason, quarantined, " + ", ".join(f"{stem}_enc" for stem in _SEALED)
)


def _context(stem: str) -> str:
    return f"reports.{stem}"


class Reports:
    """The reports repository (see the module docstring)."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    # Writing ----------------------------------------------------------------------

    async def file(self, new: NewReport, screen: Screen | None = None) -> Filed:
        """Store a report and its evidence in one transaction, with a fresh receipt code.

        Idempotent per draft: a draft already filed returns that report
        (`ALREADY_FILED`); a detention or release naming a cédula this chat reported
        within 24 hours returns the earlier report (`SAME_PERSON`). With a `screen`,
        a chat over its daily cap raises `OverDailyCap` and a blocked chat's report
        is quarantined, both decided inside the transaction.

        Three trips to the database thread, not one per statement: BEGIN with the
        reads (earlier report, parent's person, the screen), the report with its
        evidence, COMMIT.
        """
        now = self._clock.now()
        code: str | None = None
        report: Report | None = None
        reads: list[Read] = [
            lambda conn: self._earlier_in(conn, new, now),
            lambda conn: self._parent_person(conn, new.parent_report_id),
        ]
        if screen is not None:
            reads.append(screen.read)
        async with self._db.transaction_reading(*reads) as (conn, results):
            (report_id, outcome), parent, *screened = results
            standing: Standing | None = screened[0] if screened else None
            if report_id is None:
                if screen is not None and standing is not None:
                    if not screen.admits(standing):
                        raise OverDailyCap
                    new = replace(new, quarantined=new.quarantined or standing.blocked)
                report = await self._insert(conn, new, now, parent)
                report_id, code = report.id, report.receipt_code
                outcome = FileOutcome.CREATED
        if report is None:
            # Only an earlier report needs reading back: a new one is what was written.
            report = await self.by_id(report_id)
        code = code or (report.receipt_code if report else None)
        if report is None or code is None:
            raise RuntimeError("a filed report cannot be read back")
        if outcome is FileOutcome.CREATED:
            logger.info("report_created report_id=%d kind=%s", report.id, report.kind.value)
        else:
            logger.info("report_not_repeated report_id=%d outcome=%s", report.id, outcome.value)
        return Filed(report, code, outcome, standing)

    async def _insert(
        self,
        conn: aiosqlite.Connection,
        new: NewReport,
        now: dt.datetime,
        parent: tuple[str | None, str | None],
    ) -> Report:
        name = new.person_name if new.person_name is not None else parent[0]
        cedula = new.cedula if new.cedula is not None else parent[1]
        sealed = {
            "person_name": name,
            "cedula": cedula,
            "municipality": new.municipality,
            "whereabouts_other": new.whereabouts_other,
            "circumstances": new.circumstances,
            "circumstances_voice": new.circumstances_voice_file_id,
            "relationship": new.relationship,
            "details": json.dumps(new.details, ensure_ascii=False) if new.details else None,
        }
        stamp = to_iso(now)
        values: dict[str, Any] = {
            "kind": new.kind.value,
            "reporter_key": self._cipher.lookup_hash(
                new.reporter_chat_id, purpose=REPORTER_PURPOSE
            ),
            "reporter_chat_enc": self._cipher.encrypt(
                str(new.reporter_chat_id), context=_REPORTER_CHAT_CONTEXT
            ),
            "reporter_language": new.reporter_language,
            "contact_consent_at": _iso_or_none(new.contact_consent_at),
            "publish_consent_at": _iso_or_none(new.publish_consent_at),
            "parent_report_id": new.parent_report_id,
            "priority": new.priority,
            "cedula_hash": self._cedula_hash(cedula),
            "sex": new.sex,
            "age": new.age,
            "is_minor": int(new.is_minor),
            "affiliation": new.affiliation,
            "detained_on": new.detained_on.isoformat() if new.detained_on else None,
            "federal_entity": new.federal_entity,
            "detaining_body": new.detaining_body,
            "whereabouts": new.whereabouts,
            "draft_token": new.draft_token,
            "quarantined": int(new.quarantined),
            "created_at": stamp,
            "updated_at": stamp,
            **{
                f"{stem}_enc": self._cipher.encrypt(value, context=_context(stem))
                for stem, value in sealed.items()
            },
        }
        evidence_rows = [
            (
                values["reporter_key"],
                new.draft_token,
                self._cipher.encrypt(item.file_id, context=_EVIDENCE_CONTEXT),
                item.media_type,
                item.file_size,
                stamp,
            )
            for item in new.evidence
        ]
        report_id, code, cursors = await self._insert_with_fresh_code(conn, values, evidence_rows)
        created = from_iso(stamp)
        evidence = tuple(
            Evidence(item.file_id, item.media_type, item.file_size, cursor.lastrowid, created)
            for item, cursor in zip(new.evidence, cursors, strict=True)
        )
        return _created(report_id, code, new, values, name, cedula, evidence)

    async def _insert_with_fresh_code(
        self,
        conn: aiosqlite.Connection,
        values: dict[str, Any],
        evidence_rows: Sequence[tuple[Any, ...]],
    ) -> tuple[int, str, list[aiosqlite.Cursor]]:
        """The report and its evidence in one trip; a receipt code collision is retried.

        Each evidence row finds its report by (reporter, draft token). When the report's
        insert fails, its evidence finds no report and fails too (report_id is NOT
        NULL), so a collision leaves nothing behind and the pair can simply run again.
        """
        values["receipt_enc"] = None  # sealed per attempt below
        names = [*values, "receipt_hash"]
        sql = (
            f"INSERT INTO reports ({', '.join(names)})"  # noqa: S608 - fixed column names
            f" VALUES ({', '.join('?' for _ in names)})"
        )
        for _ in range(_RECEIPT_ATTEMPTS):
            code = new_receipt_code()
            values["receipt_enc"] = self._cipher.encrypt(code, context=_context("receipt"))
            params = [*values.values(), self._cipher.lookup_hash(code, purpose=RECEIPT_PURPOSE)]
            inserted, *evidence = await one_trip(
                conn.execute(sql, params),
                *(conn.execute(_EVIDENCE_INSERT, row) for row in evidence_rows),
            )
            if isinstance(inserted, sqlite3.IntegrityError) and "receipt_hash" in str(inserted):
                logger.warning("receipt_code_collision")
                continue
            raise_first_failure([inserted, *evidence])
            if inserted.lastrowid is None:
                raise RuntimeError("insert returned no row id")
            return inserted.lastrowid, code, evidence
        raise RuntimeError("no free receipt code after several attempts")

    async def _parent_person(
        self, conn: aiosqlite.Connection, parent_id: int | None
    ) -> tuple[str | None, str | None]:
        """A release or news report names the person of the report it refers to."""
        if parent_id is None:
            return None, None
        rows = list(
            await conn.execute_fetchall(
                "SELECT person_name_enc, cedula_enc FROM reports WHERE id = ?", (parent_id,)
            )
        )
        if not rows:
            return None, None
        row = rows[0]
        return (
            self._cipher.decrypt(row["person_name_enc"], context=_context("person_name")),
            self._cipher.decrypt(row["cedula_enc"], context=_context("cedula")),
        )

    async def _earlier_in(
        self, conn: aiosqlite.Connection, new: NewReport, now: dt.datetime
    ) -> tuple[int | None, FileOutcome]:
        """The report this draft already made, else this chat's same-person report.

        Both questions in one statement: each statement is a round trip to the
        database thread, and this runs inside the write transaction of every report.
        """
        keys = self._cipher.lookup_hash_with_old_keys(
            new.reporter_chat_id, purpose=REPORTER_PURPOSE
        )
        # Only this chat's reports: another family's draft may carry the same token.
        draft_sql = (
            "SELECT id FROM reports WHERE draft_token = ?"  # noqa: S608 - only ? marks
            f" AND reporter_key IN ({', '.join('?' for _ in keys)})"
        )
        if not new.cedula:
            rows = list(await conn.execute_fetchall(draft_sql, (new.draft_token, *keys)))
            return (int(rows[0][0]) if rows else None), FileOutcome.ALREADY_FILED
        hashes = self._cipher.lookup_hash_with_old_keys(new.cedula, purpose=CEDULA_PURPOSE)
        same_sql, same_params = _same_person_query(keys, hashes, new.kind, now)
        rows = list(
            await conn.execute_fetchall(
                f"SELECT ({draft_sql}), ({same_sql})",
                (new.draft_token, *keys, *same_params),
            )
        )
        filed, same = rows[0] if rows else (None, None)
        if filed is not None:
            return int(filed), FileOutcome.ALREADY_FILED
        if same is not None:
            return int(same), FileOutcome.SAME_PERSON
        return None, FileOutcome.CREATED

    # Reading ----------------------------------------------------------------------

    async def by_receipt(self, code: str) -> Report | None:
        """The report a receipt code opens (spaces and dashes allowed), or None."""
        canonical = normalise_receipt(code)
        if canonical is None:
            return None
        hashes = self._cipher.lookup_hash_with_old_keys(canonical, purpose=RECEIPT_PURPOSE)
        marks = ", ".join("?" for _ in hashes)
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM reports WHERE receipt_hash IN ({marks})",  # noqa: S608
            hashes,
        )
        return await self._with_evidence(row)

    async def by_id(self, report_id: int) -> Report | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM reports WHERE id = ?",  # noqa: S608 - fixed columns
            (report_id,),
        )
        return await self._with_evidence(row)

    async def for_reporter(self, chat_id: int, limit: int = _MAX_LISTED) -> list[Report]:
        """This chat's reports, newest first (without evidence: a listing needs none)."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reports WHERE reporter_key IN ({marks})"  # noqa: S608
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (*keys, limit),
        )
        return [self._report(row, ()) for row in rows]

    async def same_person_recently(
        self, chat_id: int, cedula: str, kind: ReportKind
    ) -> Report | None:
        """This chat's report of this cédula and kind within the last 24 hours, if any."""
        keys = self._cipher.lookup_hash_with_old_keys(chat_id, purpose=REPORTER_PURPOSE)
        hashes = self._cipher.lookup_hash_with_old_keys(cedula, purpose=CEDULA_PURPOSE)
        sql, params = _same_person_query(keys, hashes, kind, self._clock.now())
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
        chat = self._cipher.decrypt(row["reporter_chat_enc"], context=_REPORTER_CHAT_CONTEXT)
        return int(chat) if chat is not None else None

    async def evidence(self, report_id: int) -> tuple[Evidence, ...]:
        rows = await self._db.fetch_all(
            "SELECT id, file_id_enc, media_type, file_size, created_at FROM report_evidence"
            " WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        return tuple(self._evidence(row) for row in rows)

    def _cedula_hash(self, cedula: str | None) -> str | None:
        return self._cipher.lookup_hash(cedula, purpose=CEDULA_PURPOSE) if cedula else None

    async def _with_evidence(self, row: aiosqlite.Row | None) -> Report | None:
        if row is None:
            return None
        return self._report(row, await self.evidence(int(row["id"])))

    def _evidence(self, row: aiosqlite.Row) -> Evidence:
        return Evidence(
            file_id=self._cipher.decrypt(row["file_id_enc"], context=_EVIDENCE_CONTEXT) or "",
            media_type=str(row["media_type"]),
            file_size=row["file_size"],
            id=int(row["id"]),
            created_at=from_iso(row["created_at"]),
        )

    def _report(self, row: aiosqlite.Row, evidence: Sequence[Evidence]) -> Report:
        opened = {
            stem: self._cipher.decrypt(row[f"{stem}_enc"], context=_context(stem))
            for stem in _SEALED
        }
        details = opened["details"]
        return Report(
            id=int(row["id"]),
            kind=ReportKind(row["kind"]),
            state=ReportState(row["state"]),
            receipt_code=opened["receipt"],
            case_id=row["case_id"],
            parent_report_id=row["parent_report_id"],
            priority=int(row["priority"]),
            person_name=opened["person_name"],
            cedula=opened["cedula"],
            sex=row["sex"],
            age=row["age"],
            is_minor=bool(row["is_minor"]),
            affiliation=row["affiliation"],
            detained_on=dt.date.fromisoformat(row["detained_on"]) if row["detained_on"] else None,
            federal_entity=row["federal_entity"],
            municipality=opened["municipality"],
            detaining_body=row["detaining_body"],
            whereabouts=row["whereabouts"],
            whereabouts_other=opened["whereabouts_other"],
            circumstances=opened["circumstances"],
            circumstances_voice_file_id=opened["circumstances_voice"],
            relationship=opened["relationship"],
            details=json.loads(details) if details else {},
            evidence=tuple(evidence),
            reporter_language=str(row["reporter_language"]),
            contact_consent_at=_time_or_none(row["contact_consent_at"]),
            publish_consent_at=_time_or_none(row["publish_consent_at"]),
            version=int(row["version"]),
            created_at=from_iso(row["created_at"]),
            updated_at=from_iso(row["updated_at"]),
            closed_at=_time_or_none(row["closed_at"]),
            reject_reason=row["reject_reason"],
            quarantined=bool(row["quarantined"]),
        )


def _created(
    report_id: int,
    code: str,
    new: NewReport,
    values: dict[str, Any],
    name: str | None,
    cedula: str | None,
    evidence: tuple[Evidence, ...],
) -> Report:
    """The report just inserted, as `by_id` would read it back (column defaults included)."""
    created = from_iso(values["created_at"])
    return Report(
        id=report_id,
        kind=new.kind,
        state=ReportState.RECEIVED,
        receipt_code=code,
        case_id=None,
        parent_report_id=new.parent_report_id,
        priority=new.priority,
        person_name=name,
        cedula=cedula,
        sex=new.sex,
        age=new.age,
        is_minor=new.is_minor,
        affiliation=new.affiliation,
        detained_on=new.detained_on,
        federal_entity=new.federal_entity,
        municipality=new.municipality,
        detaining_body=new.detaining_body,
        whereabouts=new.whereabouts,
        whereabouts_other=new.whereabouts_other,
        circumstances=new.circumstances,
        circumstances_voice_file_id=new.circumstances_voice_file_id,
        relationship=new.relationship,
        details=json.loads(json.dumps(new.details)) if new.details else {},
        evidence=evidence,
        reporter_language=new.reporter_language,
        contact_consent_at=_time_or_none(values["contact_consent_at"]),
        publish_consent_at=_time_or_none(values["publish_consent_at"]),
        version=0,
        created_at=created,
        updated_at=created,
        closed_at=None,
        reject_reason=None,
        quarantined=new.quarantined,
    )


def _same_person_query(
    reporter_keys: Sequence[str], cedula_hashes: Sequence[str], kind: ReportKind, now: dt.datetime
) -> tuple[str, list[Any]]:
    key_marks = ", ".join("?" for _ in reporter_keys)
    hash_marks = ", ".join("?" for _ in cedula_hashes)
    sql = (
        "SELECT id FROM reports"  # noqa: S608 - only ? marks are formatted in
        f" WHERE reporter_key IN ({key_marks}) AND cedula_hash IN ({hash_marks})"
        " AND kind = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    params = [*reporter_keys, *cedula_hashes, kind.value, to_iso(now - SAME_PERSON_WINDOW)]
    return sql, params


def _iso_or_none(moment: dt.datetime | None) -> str | None:
    return to_iso(moment) if moment is not None else None


def _time_or_none(text: str | None) -> dt.datetime | None:
    return from_iso(text) if text else None
