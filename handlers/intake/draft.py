"""The unfinished report: answers so far, where the reporter is, and its token.

The draft lives in `user_data` as plain JSON-shaped data (the persistence seals it
in SQLite every few seconds and at shutdown), so a restart or a crash costs a family
at most a few seconds of typing. Handlers only ever see the `Draft` dataclass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from storage.clock import from_iso, to_iso

DRAFT_KEY = "intake_draft"
DRAFT_LIFETIME = dt.timedelta(hours=24)
SUMMARY = "summary"
EDIT = "edit"
# Sixteen hex characters: the token tells one draft's buttons from another's, and it is
# the idempotency key of the report the draft becomes (unique per reporting chat).
TOKEN_BYTES = 8


@dataclass(slots=True)
class EvidenceItem:
    file_id: str
    media_type: str
    file_size: int | None = None


@dataclass(slots=True)
class Draft:
    """Every answer of every flow; a flow uses the fields its questions ask for."""

    token: str
    kind: str
    step: str
    started_at: str
    updated_at: str
    history: list[str] = field(default_factory=list)
    edit_root: str | None = None  # the answer being edited from the summary
    person_name: str | None = None
    cedula: str | None = None
    sex: str | None = None
    age: int | None = None
    is_minor: bool = False
    affiliation: str | None = None
    detained_on: str | None = None
    federal_entity: str | None = None
    municipality: str | None = None
    detaining_body: str | None = None
    whereabouts: str | None = None
    whereabouts_other: str | None = None
    circumstances: str | None = None
    circumstances_voice: str | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    relationship: str | None = None
    contact_consent: bool | None = None
    contact_consent_at: str | None = None
    publish_consent: bool | None = None
    publish_consent_at: str | None = None
    parent_report_id: int | None = None
    parent_receipt: str | None = None
    # The detention date of the earlier report's case (or of the report): a release
    # cannot be dated before it.
    parent_detained_on: str | None = None
    released_on: str | None = None
    conditions: list[str] = field(default_factory=list)
    presentation_days: int | None = None
    released_from: str | None = None
    released_from_other: str | None = None
    news_kind: str | None = None
    news_text: str | None = None

    def to_data(self) -> dict[str, Any]:
        """JSON-shaped copy, saved on every step and copied again by each persistence
        round: by hand (`asdict` deep-copies slowly), and only the answers given so far
        (a field at its default is left out; `from_data` restores it)."""
        data: dict[str, Any] = {}
        for name in _FIELDS:
            value = getattr(self, name)
            if name in _LISTS:
                if value:
                    data[name] = (
                        [
                            {
                                "file_id": i.file_id,
                                "media_type": i.media_type,
                                "file_size": i.file_size,
                            }
                            for i in value
                        ]
                        if name == "evidence"
                        else list(value)
                    )
            elif name not in _DEFAULTS or value is not _DEFAULTS[name]:
                data[name] = value
        return data

    @classmethod
    def from_data(cls, data: object) -> Draft | None:
        """Rebuild a stored draft; None for anything that is not one (never raise)."""
        if not isinstance(data, dict):
            return None
        values = {name: value for name, value in data.items() if name in _KNOWN}
        try:
            values["evidence"] = [EvidenceItem(**item) for item in values.get("evidence", [])]
            return cls(**values)
        except TypeError:
            return None

    def updated(self) -> dt.datetime:
        return from_iso(self.updated_at)

    def is_stale(self, now: dt.datetime) -> bool:
        return now - self.updated() > DRAFT_LIFETIME


_FIELDS = tuple(item.name for item in dataclasses.fields(Draft))
_KNOWN = frozenset(_FIELDS)
_LISTS = frozenset({"history", "evidence", "conditions"})
# Every default is None or False: a value that *is* its default need not be stored.
_DEFAULTS = {
    item.name: item.default
    for item in dataclasses.fields(Draft)
    if item.default is not dataclasses.MISSING
}


def new_draft(kind: str, first_step: str, now: dt.datetime) -> Draft:
    stamp = to_iso(now)
    return Draft(
        token=secrets.token_hex(TOKEN_BYTES),
        kind=kind,
        step=first_step,
        started_at=stamp,
        updated_at=stamp,
    )


def load_draft(user_data: dict[Any, Any] | None) -> Draft | None:
    if user_data is None:
        return None
    return Draft.from_data(user_data.get(DRAFT_KEY))


def save_draft(user_data: dict[Any, Any], draft: Draft, now: dt.datetime) -> None:
    draft.updated_at = to_iso(now)
    user_data[DRAFT_KEY] = draft.to_data()


def drop_draft(user_data: dict[Any, Any] | None) -> None:
    if user_data is not None:
        user_data.pop(DRAFT_KEY, None)
