"""What a report is, as intake files it and as every feature reads it back.

Kept apart from the repository (storage/reports.py, which re-exports these) so the
shapes can be read without the SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain.receipts import format_receipt
from domain.vocabulary import ReportKind, ReportState

if TYPE_CHECKING:
    from storage.blocks import Standing

PRIORITY_NORMAL = 0
PRIORITY_URGENT = 1


class FileOutcome(StrEnum):
    """What `Reports.file` did."""

    CREATED = "created"
    ALREADY_FILED = "already_filed"  # this draft was confirmed before (a second Confirm)
    SAME_PERSON = "same_person"  # this chat reported this cédula within 24 hours


@dataclass(frozen=True, slots=True)
class Evidence:
    """A file the reporter sent: only Telegram's file id, nothing downloaded."""

    file_id: str
    media_type: str
    file_size: int | None = None
    id: int | None = None
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class NewReport:
    """Everything intake collected, ready to be sealed and stored."""

    kind: ReportKind
    reporter_chat_id: int
    reporter_language: str
    draft_token: str
    person_name: str | None = None
    cedula: str | None = None
    sex: str | None = None
    age: int | None = None
    is_minor: bool = False
    affiliation: str | None = None
    detained_on: dt.date | None = None
    federal_entity: str | None = None
    municipality: str | None = None
    detaining_body: str | None = None
    whereabouts: str | None = None
    whereabouts_other: str | None = None
    circumstances: str | None = None
    circumstances_voice_file_id: str | None = None
    relationship: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    parent_report_id: int | None = None
    contact_consent_at: dt.datetime | None = None
    publish_consent_at: dt.datetime | None = None
    priority: int = PRIORITY_NORMAL
    quarantined: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """A stored report with its personal fields opened; no trace of who sent it."""

    id: int
    kind: ReportKind
    state: ReportState
    receipt_code: str | None
    case_id: int | None
    parent_report_id: int | None
    priority: int
    person_name: str | None
    cedula: str | None
    sex: str | None
    age: int | None
    is_minor: bool
    affiliation: str | None
    detained_on: dt.date | None
    federal_entity: str | None
    municipality: str | None
    detaining_body: str | None
    whereabouts: str | None
    whereabouts_other: str | None
    circumstances: str | None
    circumstances_voice_file_id: str | None
    relationship: str | None
    details: dict[str, Any]
    evidence: tuple[Evidence, ...]
    reporter_language: str
    contact_consent_at: dt.datetime | None
    publish_consent_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    reject_reason: str | None
    quarantined: bool

    @property
    def urgent(self) -> bool:
        """Raised priority: a detention with unknown whereabouts."""
        return self.priority > PRIORITY_NORMAL

    @property
    def receipt_display(self) -> str:
        return format_receipt(self.receipt_code) if self.receipt_code else ""


@dataclass(frozen=True, slots=True)
class Filed:
    """The result of filing: the report, its receipt code and what happened."""

    report: Report
    receipt_code: str
    outcome: FileOutcome
    # The chat's standing when it filed, if the filing was screened (`Blocks.screen`).
    standing: Standing | None = None
