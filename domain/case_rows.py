"""Rows of an imported case list, checked one by one: a clean case or a precise reason.

The columns are the `full` export's (`domain.csv_format.CASE_COLUMNS`); only
`person_name` and `state` are required, so an NGO can start from the list it keeps.
Codes are the vocabulary's (`domain.vocabulary`). Dates are ISO (`2026-01-31`) or, as a
spreadsheet may rewrite them, day first (`31/01/2026`). Reasons are English source
strings marked with `N_`, translated where they are shown, with `{placeholders}`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from domain.cedula import normalise_cedula
from domain.conditions import COURT_PRESENTATION
from domain.csv_format import CASE_COLUMNS, COLUMNS, CaseColumn, Kind
from domain.i18n import N_
from domain.vocabulary import RELEASE_CONDITIONS, CaseEventKind, CaseState, codes

MAX_TEXT = 200
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TRUE = frozenset({"1", "true", "yes", "si", "sí", "x"})
_FALSE = frozenset({"0", "false", "no", ""})


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why row `row` was rejected: `reason` is an untranslated message, `params` fill it."""

    row: int
    reason: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    kind: CaseEventKind
    event_date: dt.date
    state_before: CaseState | None
    state_after: CaseState | None
    details: str | None


@dataclass(frozen=True, slots=True)
class ImportedCase:
    """One valid row, a field per column of `CASE_COLUMNS` (the file's `case_id` is
    `file_case_id`). `present` names the columns the file gave a value for: an update
    changes only those, so an empty cell never erases what the NGO already has."""

    row: int
    file_case_id: int | None
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
    verified_at: dt.datetime | None
    last_verified_at: dt.datetime | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    events: tuple[ImportedEvent, ...]
    present: frozenset[str]
    presentation_days: int | None = None

    @property
    def match_name(self) -> str:
        return normalised_name(self.person_name)


class _Reject(Exception):
    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = tuple((key, _shown(value)) for key, value in params.items())


def normalised_name(name: str) -> str:
    """Case, accents, punctuation and word order do not tell two people apart."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^\w\s]", " ", plain.lower()).split()
    return " ".join(sorted(words))


def parse_row(row: int, cells: dict[str, str], today: dt.date) -> ImportedCase | RowProblem:
    try:
        return _parse(row, cells, today)
    except _Reject as reject:
        return RowProblem(row, reject.reason, reject.params)


def _parse(row: int, cells: dict[str, str], today: dt.date) -> ImportedCase:
    present = frozenset(name for name, value in cells.items() if value)
    name = _text(cells, "person_name")
    if not name:
        raise _Reject(N_("person_name is empty: every case needs the person's name"))
    state_text = cells.get("state", "")
    if state_text not in {state.value for state in CaseState}:
        raise _Reject(N_("state «{value}» is not one of the case states"), value=state_text)
    detained_on = _date(cells, "detained_on")
    if detained_on is not None and detained_on > today:
        raise _Reject(N_("detained_on {value} is in the future"), value=detained_on)
    released_on = _date(cells, "released_on")
    if released_on is not None and detained_on is not None and released_on < detained_on:
        raise _Reject(N_("released_on is earlier than detained_on"))
    state = CaseState(state_text)
    if state is CaseState.RELEASED and released_on is None:
        raise _Reject(N_("a released case needs released_on"))
    release_conditions = _conditions(cells)
    cedula_text = cells.get("cedula", "")
    cedula = normalise_cedula(cedula_text) if cedula_text else None
    if cedula_text and cedula is None:
        raise _Reject(N_("cedula «{value}» is not a valid cédula"), value=cedula_text)
    checked: dict[str, Any] = {
        "state": state,
        "person_name": name,
        "cedula": cedula,
        "detained_on": detained_on,
        "released_on": released_on,
        "release_conditions": release_conditions,
    }
    # The other columns are read by their kind, in file order: a row with several
    # problems is refused for the first one, always the same.
    values = {
        column.name: checked[column.name]
        if column.name in checked
        else _value(column, cells, release_conditions)
        for column in CASE_COLUMNS
    }
    return ImportedCase(row=row, file_case_id=values.pop("case_id"), present=present, **values)


def _value(column: CaseColumn, cells: dict[str, str], conditions: tuple[str, ...]) -> Any:
    """A column with no check across columns, read as its kind says."""
    name = column.name
    match column.kind:
        case Kind.TEXT:
            return _text(cells, name) or None
        case Kind.CODE:
            return _code(cells, column)
        case Kind.NUMBER if name == "presentation_days":
            return _presentation_days(cells, conditions)
        case Kind.ID | Kind.NUMBER:
            return _integer(cells, name, *column.limits)
        case Kind.FLAG:
            return _flag(cells, name)
        case Kind.DAY:
            return _date(cells, name)
        case Kind.MOMENT:
            return _moment(cells, name)
        case Kind.EVENTS:
            return _events(cells)
    raise LookupError(f"column {name} is read with the row's checks")


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _text(cells: dict[str, str], column: str) -> str:
    value = " ".join(cells.get(column, "").split())
    if len(value) > MAX_TEXT:
        raise _Reject(
            N_("{column} is longer than {limit} characters"), column=column, limit=MAX_TEXT
        )
    return value


def _code(cells: dict[str, str], column: CaseColumn) -> str | None:
    value = cells.get(column.name, "")
    if not value:
        return None
    if value not in codes(column.choices):
        raise _Reject(
            N_("{column} «{value}» is not one of the known codes"),
            column=column.name,
            value=value,
        )
    return value


def _integer(cells: dict[str, str], column: str, low: int, high: int) -> int | None:
    value = cells.get(column, "")
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise _Reject(N_("{column} «{value}» is not a valid number"), column=column, value=value)
    return int(value)


def _flag(cells: dict[str, str], column: str) -> bool:
    value = cells.get(column, "").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _Reject(N_("{column} «{value}» is not 1 or 0"), column=column, value=value)


def parse_day(value: str) -> dt.date | None:
    """ISO, or day first as spreadsheets in Venezuela write it; None if neither."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    match = _DAY_FIRST.match(value)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def _date(cells: dict[str, str], column: str) -> dt.date | None:
    value = cells.get(column, "")
    if not value:
        return None
    day = parse_day(value)
    if day is None:
        raise _Reject(
            N_("{column} «{value}» is not a date like 2026-01-31"), column=column, value=value
        )
    return day


def _moment(cells: dict[str, str], column: str) -> dt.datetime | None:
    value = cells.get(column, "")
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        day = parse_day(value)
        if day is None:
            raise _Reject(
                N_("{column} «{value}» is not a date like 2026-01-31"),
                column=column,
                value=value,
            ) from None
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _conditions(cells: dict[str, str]) -> tuple[str, ...]:
    value = cells.get("release_conditions", "")
    found = tuple(part.strip() for part in re.split(r"[,;]", value) if part.strip())
    unknown = [code for code in found if code not in codes(RELEASE_CONDITIONS)]
    if unknown:
        raise _Reject(
            N_("{column} «{value}» is not one of the known codes"),
            column="release_conditions",
            value=unknown[0],
        )
    if "house_arrest" in found:
        # Still deprived of liberty: never a release, not even as a condition of one.
        raise _Reject(
            N_("release_conditions: house arrest is not a release; use the state house_arrest")
        )
    return found


def _presentation_days(cells: dict[str, str], conditions: tuple[str, ...]) -> int | None:
    """Court presentation "every N days": 1–90, and only with that condition (when the
    row gives its conditions; an update may bring the interval alone)."""
    days = _integer(cells, "presentation_days", *COLUMNS["presentation_days"].limits)
    if days is not None and conditions and COURT_PRESENTATION not in conditions:
        raise _Reject(N_("presentation_days needs court_presentation in release_conditions"))
    return days


def _events(cells: dict[str, str]) -> tuple[ImportedEvent, ...]:
    value = cells.get("events", "")
    if not value:
        return ()
    try:
        items = json.loads(value)
        if not isinstance(items, list):
            raise TypeError("not a list")
        return tuple(_event(item) for item in items)
    except RecursionError as exc:
        # json.loads recurses once per bracket: thousands of them exhaust the stack.
        raise _Reject(N_("events is nested too deeply to be a list of events")) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise _Reject(N_("events is not a list of events as the export writes it")) from exc


def _event(item: object) -> ImportedEvent:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    day = dt.date.fromisoformat(str(item["date"]))
    before, after, details = item.get("before"), item.get("after"), item.get("details")
    return ImportedEvent(
        kind=CaseEventKind(item["kind"]),
        event_date=day,
        state_before=CaseState(before) if before else None,
        state_after=CaseState(after) if after else None,
        details=str(details) if details else None,
    )
