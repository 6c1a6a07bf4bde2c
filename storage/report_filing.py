"""Filing a report: one transaction, idempotent per draft, with a fresh receipt code.

The intake's hot path. Three trips to the database thread, not one per statement:
BEGIN with the reads (earlier report, parent's person, the daily-cap screen), the
report with its evidence, COMMIT.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

import aiosqlite

from domain.receipts import RECEIPT_PURPOSE, new_receipt_code
from domain.vocabulary import ReportKind
from storage.blocks import OverDailyCap, Screen, Standing
from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database, Read, one_trip, raise_first_failure
from storage.privacy import REPORTER_PURPOSE
from storage.report_models import Evidence, Filed, FileOutcome, NewReport, Report
from storage.report_rows import (
    EVIDENCE_CONTEXT,
    REPORTER_CHAT_CONTEXT,
    column_context,
    created_report,
    iso_or_none,
)

logger = logging.getLogger(__name__)

CEDULA_PURPOSE = "cedula"
SAME_PERSON_WINDOW = dt.timedelta(hours=24)
_RECEIPT_ATTEMPTS = 8
# One more report today for the chat's daily-cap counter, if the report was written.
_COUNT_UPSERT = (
    "INSERT INTO report_counts (user_key, day, n) SELECT ?, ?, 1"
    " WHERE EXISTS (SELECT 1 FROM reports WHERE reporter_key = ? AND draft_token = ?)"
    " ON CONFLICT (user_key, day) DO UPDATE SET n = n + 1"
)
# Evidence of the report being filed, which it finds by (reporter, draft token).
_EVIDENCE_INSERT = (
    "INSERT INTO report_evidence"
    " (id, report_id, file_id_enc, media_type, file_size, created_at) VALUES"
    " (?, (SELECT id FROM reports WHERE reporter_key = ? AND draft_token = ?), ?, ?, ?, ?)"
)


# More to write in the filing transaction, given the report just created.
AlsoWrite = Callable[[aiosqlite.Connection, Report], Awaitable[None]]


async def _next_ids(conn: aiosqlite.Connection) -> tuple[int, int]:
    """The ids the report and its first evidence will get: values are sealed for their
    row (storage/crypto), so the row's id is known before the insert. One statement,
    so it travels in the same trip as the other first reads."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM reports),"
            " (SELECT COALESCE(MAX(id), 0) + 1 FROM report_evidence)"
        )
    )
    return int(rows[0][0]), int(rows[0][1])


class ReportFiling:
    """Writes new reports; reads an earlier one back through `read_back`."""

    def __init__(
        self,
        db: Database,
        cipher: FieldCipher,
        clock: Clock,
        read_back: Callable[[int], Awaitable[Report | None]],
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._read_back = read_back

    async def file(
        self, new: NewReport, screen: Screen | None = None, also: AlsoWrite | None = None
    ) -> Filed:
        """Store a report and its evidence in one transaction, with a fresh receipt code.

        Idempotent per draft: a draft already filed returns that report
        (`ALREADY_FILED`); a detention or release naming a cédula this chat reported
        within 24 hours returns the earlier report (`SAME_PERSON`). With a `screen`,
        a chat over its daily cap raises `OverDailyCap` and a blocked chat's report
        is quarantined, both decided inside the transaction. `also` writes more in the
        same transaction for a report just created (its moderators' notice): both
        commit together or neither does.

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
            _next_ids,
        ]
        if screen is not None:
            reads.append(screen.read)
        async with self._db.transaction_reading(*reads) as (conn, results):
            (report_id, outcome), parent, ids, *screened = results
            standing: Standing | None = screened[0] if screened else None
            if report_id is None:
                if screen is not None and standing is not None:
                    if not screen.admits(standing):
                        raise OverDailyCap
                    new = replace(new, quarantined=new.quarantined or standing.blocked)
                report = await self._insert(conn, new, now, parent, screen, ids)
                report_id, code = report.id, report.receipt_code
                outcome = FileOutcome.CREATED
                if also is not None:
                    await also(conn, report)
        if report is None:
            # Only an earlier report needs reading back: a new one is what was written.
            report = await self._read_back(report_id)
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
        screen: Screen | None,
        ids: tuple[int, int],
    ) -> Report:
        report_id, first_evidence_id = ids
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
            "id": report_id,
            "kind": new.kind.value,
            "reporter_key": self._cipher.lookup_hash(
                new.reporter_chat_id, purpose=REPORTER_PURPOSE
            ),
            "reporter_chat_enc": self._cipher.encrypt(
                str(new.reporter_chat_id), context=REPORTER_CHAT_CONTEXT, row=report_id
            ),
            "reporter_language": new.reporter_language,
            "contact_consent_at": iso_or_none(new.contact_consent_at),
            "publish_consent_at": iso_or_none(new.publish_consent_at),
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
                f"{stem}_enc": self._cipher.encrypt(
                    value, context=column_context(stem), row=report_id
                )
                for stem, value in sealed.items()
            },
        }
        evidence_rows = [
            (
                evidence_id,
                values["reporter_key"],
                new.draft_token,
                self._cipher.encrypt(item.file_id, context=EVIDENCE_CONTEXT, row=evidence_id),
                item.media_type,
                item.file_size,
                stamp,
            )
            for evidence_id, item in enumerate(new.evidence, start=first_evidence_id)
        ]
        counted = (
            (screen.count_key, screen.day, values["reporter_key"], new.draft_token)
            if screen is not None
            else None
        )
        report_id, code, cursors = await self._insert_with_fresh_code(
            conn, values, evidence_rows, counted
        )
        created = from_iso(stamp)
        evidence = tuple(
            Evidence(item.file_id, item.media_type, item.file_size, cursor.lastrowid, created)
            for item, cursor in zip(new.evidence, cursors, strict=True)
        )
        return created_report(report_id, code, new, values, name, cedula, evidence)

    async def _insert_with_fresh_code(
        self,
        conn: aiosqlite.Connection,
        values: dict[str, Any],
        evidence_rows: Sequence[tuple[Any, ...]],
        counted: tuple[str, ...] | None,
    ) -> tuple[int, str, list[aiosqlite.Cursor]]:
        """The report and its evidence in one trip; a receipt code collision is retried.

        Each evidence row finds its report by (reporter, draft token). When the report's
        insert fails, its evidence finds no report and fails too (report_id is NOT
        NULL), so a collision leaves nothing behind and the pair can simply run again.
        The daily-cap counter finds it the same way, so it counts only what was written.
        """
        values["receipt_enc"] = None  # sealed per attempt below
        names = [*values, "receipt_hash"]
        sql = (
            f"INSERT INTO reports ({', '.join(names)})"  # noqa: S608 - fixed column names
            f" VALUES ({', '.join('?' for _ in names)})"
        )
        for _ in range(_RECEIPT_ATTEMPTS):
            code = new_receipt_code()
            values["receipt_enc"] = self._cipher.encrypt(
                code, context=column_context("receipt"), row=values["id"]
            )
            params = [*values.values(), self._cipher.lookup_hash(code, purpose=RECEIPT_PURPOSE)]
            inserted, *evidence = await one_trip(
                conn.execute(sql, params),
                *(conn.execute(_EVIDENCE_INSERT, row) for row in evidence_rows),
                *([conn.execute(_COUNT_UPSERT, counted)] if counted else []),
            )
            if isinstance(inserted, sqlite3.IntegrityError) and "receipt_hash" in str(inserted):
                logger.warning("receipt_code_collision")
                continue
            raise_first_failure([inserted, *evidence])
            if counted:
                evidence = evidence[:-1]
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
            self._cipher.decrypt(
                row["person_name_enc"], context=column_context("person_name"), row=parent_id
            ),
            self._cipher.decrypt(
                row["cedula_enc"], context=column_context("cedula"), row=parent_id
            ),
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
        same_sql, same_params = same_person_query(keys, hashes, new.kind, now)
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

    def _cedula_hash(self, cedula: str | None) -> str | None:
        return self._cipher.lookup_hash(cedula, purpose=CEDULA_PURPOSE) if cedula else None


def same_person_query(
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
