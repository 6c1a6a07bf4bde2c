"""How a `reports` row maps to a `Report`: which columns are sealed and how they read back.

Shared by filing (storage/report_filing.py) and reading (storage/reports.py), so a
column is declared once. Sealed columns use the `reports.<column>` contexts that key
rotation expects.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import aiosqlite

from domain.vocabulary import ReportKind, ReportState
from storage.clock import from_iso, to_iso
from storage.crypto import FieldCipher
from storage.report_models import Evidence, NewReport, Report

# Sealed columns of `reports` and what they hold (context `reports.<stem>`).
SEALED = (
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
EVIDENCE_CONTEXT = "report_evidence.file_id"
REPORTER_CHAT_CONTEXT = "reports.reporter_chat"
COLUMNS = (
    "id, kind, state, case_id, parent_report_id, priority, sex, age, is_minor, affiliation,"
    " detained_on, federal_entity, detaining_body, whereabouts, reporter_language,"
    " contact_consent_at, publish_consent_at, version, created_at, updated_at, closed_at,"
    " reject_reason, quarantined, " + ", ".join(f"{stem}_enc" for stem in SEALED)
)


def column_context(stem: str) -> str:
    return f"reports.{stem}"


def evidence_from_row(cipher: FieldCipher, row: aiosqlite.Row) -> Evidence:
    return Evidence(
        file_id=cipher.decrypt(row["file_id_enc"], context=EVIDENCE_CONTEXT, row=row["id"]) or "",
        media_type=str(row["media_type"]),
        file_size=row["file_size"],
        id=int(row["id"]),
        created_at=from_iso(row["created_at"]),
    )


def report_from_row(
    cipher: FieldCipher, row: aiosqlite.Row, evidence: Sequence[Evidence]
) -> Report:
    opened = {
        stem: cipher.decrypt(row[f"{stem}_enc"], context=column_context(stem), row=row["id"])
        for stem in SEALED
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
        contact_consent_at=time_or_none(row["contact_consent_at"]),
        publish_consent_at=time_or_none(row["publish_consent_at"]),
        version=int(row["version"]),
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        closed_at=time_or_none(row["closed_at"]),
        reject_reason=row["reject_reason"],
        quarantined=bool(row["quarantined"]),
    )


def created_report(
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
        contact_consent_at=time_or_none(values["contact_consent_at"]),
        publish_consent_at=time_or_none(values["publish_consent_at"]),
        version=0,
        created_at=created,
        updated_at=created,
        closed_at=None,
        reject_reason=None,
        quarantined=new.quarantined,
    )


def iso_or_none(moment: dt.datetime | None) -> str | None:
    return to_iso(moment) if moment is not None else None


def time_or_none(text: str | None) -> dt.datetime | None:
    return from_iso(text) if text else None
