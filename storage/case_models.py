"""A case's shapes: the case, its dated events, and how its columns are sealed.

Read by the desk, the exports, the import and the handlers; written only through
storage/cases.py and storage/case_writes.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.vocabulary import CaseEventKind, CaseState

# How intake seals the report columns, and how this table seals its own.
REPORT_CONTEXTS = {
    "person_name": "reports.person_name",
    "cedula": "reports.cedula",
    "municipality": "reports.municipality",
    "whereabouts_other": "reports.whereabouts_other",
}
NAME_CONTEXT = "cases.person_name"
CEDULA_CONTEXT = "cases.cedula"
MUNICIPALITY_CONTEXT = "cases.municipality"
PLACE_OTHER_CONTEXT = "cases.place_other"
EVENT_DETAILS_CONTEXT = "case_events.details"
OTHER_PLACE = "other"
UNKNOWN_PLACE = "unknown"


class CaseChanged(Exception):
    """The case moved since the moderator saw it; `current` is how it is now."""

    def __init__(self, current: Case) -> None:
        super().__init__(f"case {current.id} changed")
        self.current = current


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    state: CaseState
    person_name: str
    cedula: str | None
    sex: str | None
    age: int | None
    is_minor: bool
    affiliation: str | None
    detained_on: dt.date | None
    federal_entity: str | None
    municipality: str | None
    detaining_body: str | None
    place: str | None
    place_other: str | None
    released_on: dt.date | None
    release_conditions: tuple[str, ...]
    publish_consent: bool
    merged_into: int | None
    version: int
    verified_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    # Court presentation "every N days" of the latest release, when known.
    presentation_days: int | None = None


@dataclass(frozen=True, slots=True)
class CaseEvent:
    id: int
    kind: CaseEventKind
    event_date: dt.date
    state_before: CaseState | None
    state_after: CaseState | None
    details: str | None
    # When the desk recorded it (`event_date` is when it happened).
    created_at: dt.datetime
    # A merge's other case: the case joined, or the case that joined this one.
    related_case_id: int | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """A disappeared case and the day its whereabouts were lost (for the 48-hour clock)."""

    case_id: int
    since: dt.date | None


@dataclass(frozen=True, slots=True)
class Change:
    """What a case action writes besides its state."""

    event_date: dt.date
    place: str | None = None
    place_other: str | None = None
    conditions: tuple[str, ...] = ()
    presentation_days: int | None = None
    details: str | None = None
