"""Where a report stands, read inside the caller's transaction; and what its reporter was told.

Status answers and notifications need the same small view: the report's state, its
case's state (following a merge), the reporter's language, whether they may be
written to and where. Reading it with the caller's `conn` lets moderation queue the
notification in the same commit as the state change, so a change and its message
are on disk together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from domain.receipts import format_receipt
from domain.vocabulary import CaseState, ReportKind, ReportState
from storage.clock import from_iso
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database

REPORTER_CHAT_CONTEXT = "reports.reporter_chat"
RECEIPT_CONTEXT = "reports.receipt"
PLACE_OTHER_CONTEXT = "cases.place_other"

_SELECT = (
    "SELECT r.id, r.kind, r.state, r.reject_reason, r.created_at, r.updated_at,"
    " r.reporter_language, r.reporter_chat_enc, r.contact_consent_at, r.receipt_enc,"
    " c.id AS case_id, c.state AS case_state, c.place, c.place_other_enc, c.released_on,"
    " c.release_conditions, c.presentation_days, c.updated_at AS case_updated_at"
    " FROM reports r"
    " LEFT JOIN cases m ON m.id = r.case_id"
    " LEFT JOIN cases c ON c.id = COALESCE(m.merged_into, m.id)"
    " WHERE r.id = ?"
)


@dataclass(frozen=True, slots=True)
class CaseStatus:
    id: int
    state: CaseState
    place: str | None
    place_other: str | None
    released_on: dt.date | None
    release_conditions: tuple[str, ...]
    updated_at: dt.datetime
    presentation_days: int | None = None


@dataclass(frozen=True, slots=True)
class ReportStatus:
    """A report's state and its case's, plus how to reach its reporter (never shown)."""

    id: int
    kind: ReportKind
    state: ReportState
    reject_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    reporter_language: str
    reporter_chat_id: int | None
    contact_consent: bool
    receipt_code: str | None
    case: CaseStatus | None

    @property
    def receipt_display(self) -> str | None:
        return format_receipt(self.receipt_code) if self.receipt_code else None

    @property
    def last_change(self) -> dt.datetime:
        if self.case is not None and self.case.updated_at > self.updated_at:
            return self.case.updated_at
        return self.updated_at

    @property
    def reachable(self) -> bool:
        """The reporter consented to contact and the report still points to their chat."""
        return self.contact_consent and self.reporter_chat_id is not None

    def signature(self) -> str:
        """What a notification tells; two equal signatures need no second message."""
        parts: list[str] = [self.state.value]
        if self.case is not None:
            parts += [
                self.case.state.value,
                self.case.place or "",
                self.case.released_on.isoformat() if self.case.released_on else "",
                ",".join(self.case.release_conditions),
            ]
            if self.case.presentation_days:
                # Appended only when known, so earlier signatures still compare equal.
                parts.append(str(self.case.presentation_days))
        return "|".join(parts)


# A report nobody has told anything yet reads as freshly received.
UNNOTIFIED_SIGNATURE = ReportState.RECEIVED.value


async def read_report_status(
    conn: aiosqlite.Connection, cipher: FieldCipher, report_id: int
) -> ReportStatus | None:
    async with conn.execute(_SELECT, (report_id,)) as cursor:
        row = await cursor.fetchone()
    return _status(cipher, row) if row is not None else None


def _status(cipher: FieldCipher, row: aiosqlite.Row) -> ReportStatus:
    return ReportStatus(
        id=int(row["id"]),
        kind=ReportKind(row["kind"]),
        state=ReportState(row["state"]),
        reject_reason=row["reject_reason"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        reporter_language=str(row["reporter_language"]),
        reporter_chat_id=_open_chat(cipher, row["reporter_chat_enc"], row["id"]),
        contact_consent=row["contact_consent_at"] is not None,
        receipt_code=cipher.decrypt(row["receipt_enc"], context=RECEIPT_CONTEXT, row=row["id"]),
        case=_case(cipher, row) if row["case_id"] is not None else None,
    )


async def fetch_report_status(
    db: Database, cipher: FieldCipher, report_id: int
) -> ReportStatus | None:
    """`read_report_status` outside a transaction (a status answer writes nothing)."""
    row = await db.fetch_one(_SELECT, (report_id,))
    return _status(cipher, row) if row is not None else None


async def reporter_keys_match(
    conn: aiosqlite.Connection, report_id: int, reporter_keys: Sequence[str]
) -> bool:
    """Whether the report was filed by the chat these keys hash (and is still linked)."""
    marks = ", ".join("?" for _ in reporter_keys)
    async with conn.execute(
        f"SELECT 1 FROM reports WHERE id = ? AND reporter_key IN ({marks})",  # noqa: S608
        (report_id, *reporter_keys),
    ) as cursor:
        return await cursor.fetchone() is not None


async def report_ids_of_case(conn: aiosqlite.Connection, case_id: int) -> list[int]:
    """Every report on this case or on a case merged into it."""
    async with conn.execute(
        "SELECT r.id FROM reports r JOIN cases c ON c.id = r.case_id"
        " WHERE c.id = ? OR c.merged_into = ? ORDER BY r.id",
        (case_id, case_id),
    ) as cursor:
        return [int(row[0]) for row in await cursor.fetchall()]


async def last_notice(conn: aiosqlite.Connection, report_id: int) -> str:
    async with conn.execute(
        "SELECT signature FROM report_notices WHERE report_id = ?", (report_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return str(row["signature"]) if row else UNNOTIFIED_SIGNATURE


async def save_notice(conn: aiosqlite.Connection, report_id: int, signature: str, at: str) -> None:
    await conn.execute(
        "INSERT INTO report_notices (report_id, signature, notified_at) VALUES (?, ?, ?)"
        " ON CONFLICT (report_id) DO UPDATE SET signature = excluded.signature,"
        " notified_at = excluded.notified_at",
        (report_id, signature, at),
    )


def _open_chat(cipher: FieldCipher, sealed: str | None, report_id: int) -> int | None:
    try:
        chat = cipher.decrypt(sealed, context=REPORTER_CHAT_CONTEXT, row=report_id)
    except DecryptionError:
        return None
    return int(chat) if chat else None


def _case(cipher: FieldCipher, row: aiosqlite.Row) -> CaseStatus:
    conditions = row["release_conditions"]
    released_on = row["released_on"]
    return CaseStatus(
        id=int(row["case_id"]),
        state=CaseState(row["case_state"]),
        place=row["place"],
        place_other=cipher.decrypt(
            row["place_other_enc"], context=PLACE_OTHER_CONTEXT, row=row["case_id"]
        ),
        released_on=dt.date.fromisoformat(released_on) if released_on else None,
        release_conditions=tuple(code for code in conditions.split(",") if code)
        if conditions
        else (),
        updated_at=from_iso(row["case_updated_at"]),
        presentation_days=row["presentation_days"],
    )
