"""File formats of `/export` and `/import`: stable column names, CSV that spreadsheets open.

Column names never change once published (docs/EXPORTS.md documents them); new
columns are only ever appended. CSV is UTF-8 with a BOM (so Excel picks the encoding),
comma-separated, CRLF line ends, ISO dates (`2026-01-31`) and times
(`2026-01-31T18:04:05Z`), booleans `1`/`0`. Reading accepts what spreadsheets write
back: a BOM or none, `,` or `;` (Spanish-locale Excel) as separator.

A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is
written with a leading `'` (OWASP's CSV-injection advice) and read back without it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.conditions import MAX_PRESENTATION_DAYS, MIN_PRESENTATION_DAYS
from domain.i18n import N_
from domain.vocabulary import (
    AFFILIATIONS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    PLACES,
    SEXES,
    Choice,
)


class Kind(StrEnum):
    """How a column's cell is written and read back."""

    ID = "id"  # a case number
    STATE = "state"  # a `CaseState` value
    TEXT = "text"  # free text, spaces collapsed
    CODE = "code"  # one code of the column's vocabulary
    NUMBER = "number"  # a whole number within the column's limits
    FLAG = "flag"  # `1`/`0` (JSON `true`/`false`)
    DAY = "day"  # ISO date
    MOMENT = "moment"  # ISO UTC time
    CONDITIONS = "conditions"  # comma-separated release-condition codes (JSON: a list)
    EVENTS = "events"  # the dated history as a JSON array


@dataclass(frozen=True, slots=True)
class CaseColumn:
    """One column of the case files, declared once: the exports write these in this
    order, the import reads them, and the case types carry a field of the same name
    (`case_id` is the import's `file_case_id`). `updatable`: an import may change it on
    a matched case (state moves separately, through a transition). `public`: in the
    public export; `counted`: the figures need it, so it is kept even in the public row
    of a case whose family did not consent to publication (every other cell of such a
    row is empty). `derived`: computed from other columns; the import ignores it."""

    name: str
    kind: Kind
    public: bool = False
    updatable: bool = False
    choices: tuple[Choice, ...] = ()
    limits: tuple[int, int] = (0, 0)
    counted: bool = False
    derived: bool = False


MAX_AGE = 120
_ID_LIMITS = (1, 2**53)

# Never renamed or reordered; a new column is appended at the end.
CASE_COLUMNS: tuple[CaseColumn, ...] = (
    CaseColumn("case_id", Kind.ID, public=True, limits=_ID_LIMITS),
    CaseColumn("state", Kind.STATE, public=True, counted=True),
    CaseColumn("person_name", Kind.TEXT, public=True, updatable=True),
    CaseColumn("cedula", Kind.TEXT, updatable=True),
    CaseColumn("sex", Kind.CODE, public=True, counted=True, updatable=True, choices=SEXES),
    CaseColumn("age", Kind.NUMBER, public=True, updatable=True, limits=(0, MAX_AGE)),
    CaseColumn("is_minor", Kind.FLAG, public=True, counted=True, updatable=True),
    CaseColumn(
        "affiliation", Kind.CODE, public=True, counted=True, updatable=True, choices=AFFILIATIONS
    ),
    CaseColumn("detained_on", Kind.DAY, public=True, counted=True, updatable=True),
    CaseColumn(
        "federal_entity",
        Kind.CODE,
        public=True,
        counted=True,
        updatable=True,
        choices=FEDERAL_ENTITIES,
    ),
    CaseColumn("municipality", Kind.TEXT, updatable=True),
    CaseColumn(
        "detaining_body",
        Kind.CODE,
        public=True,
        counted=True,
        updatable=True,
        choices=DETAINING_BODIES,
    ),
    CaseColumn("place", Kind.CODE, public=True, updatable=True, choices=PLACES),
    CaseColumn("place_other", Kind.TEXT, updatable=True),
    CaseColumn("released_on", Kind.DAY, public=True, updatable=True),
    CaseColumn("release_conditions", Kind.CONDITIONS, public=True, updatable=True),
    CaseColumn("publish_consent", Kind.FLAG, updatable=True),
    CaseColumn("merged_into", Kind.ID, limits=_ID_LIMITS),
    CaseColumn("verified_at", Kind.MOMENT),
    CaseColumn("last_verified_at", Kind.MOMENT, public=True, updatable=True),
    CaseColumn("created_at", Kind.MOMENT),
    CaseColumn("updated_at", Kind.MOMENT),
    CaseColumn("events", Kind.EVENTS, public=True, counted=True),
    CaseColumn(
        "presentation_days",
        Kind.NUMBER,
        public=True,
        updatable=True,
        limits=(MIN_PRESENTATION_DAYS, MAX_PRESENTATION_DAYS),
    ),
    CaseColumn("closed_on", Kind.DAY),
    CaseColumn("last_verified_on", Kind.DAY, public=True, counted=True, derived=True),
)
COLUMNS = {column.name: column for column in CASE_COLUMNS}
FULL_COLUMNS: tuple[str, ...] = tuple(column.name for column in CASE_COLUMNS)
# The public file's own order: its first columns as first published, then each column
# made public later, appended (`events` and `last_verified_on` joined it with the figures
# anyone can recompute), so the public header too only ever grows at its end.
_LATER_PUBLIC = ("events", "last_verified_on")
PUBLIC_COLUMNS: tuple[str, ...] = (
    *(c.name for c in CASE_COLUMNS if c.public and c.name not in _LATER_PUBLIC),
    *_LATER_PUBLIC,
)
UPDATABLE_COLUMNS: tuple[str, ...] = tuple(
    column.name for column in CASE_COLUMNS if column.updatable
)
# What the public row of a case whose family did not consent keeps: what the figures need.
COUNTED_COLUMNS: tuple[str, ...] = tuple(
    column.name for column in CASE_COLUMNS if column.public and column.counted
)

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | bool | None


class CsvFormatError(ValueError):
    """The file is not a CSV we can read (encoding, no header, unknown columns, a cell
    too long, broken quoting). `reason` is an untranslated message, `params` fill it."""

    def __init__(self, reason: str, **params: str) -> None:
        super().__init__(reason.format(**params))
        self.reason = reason
        self.params = params


# Python's csv module refuses a cell longer than this (its default field size limit);
# the limit stays, as a bound on what one cell may cost, and is said in the answer.
MAX_CELL_KB = csv.field_size_limit() // 1024


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(column)) for column in columns])
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_json(
    columns: Sequence[str], rows: Iterable[Mapping[str, object]], *, scope: str, generated_at: str
) -> bytes:
    """One object: what the file is, then the cases with exactly the CSV's column names,
    one case per line (a changed case is a changed line: the published folder can be
    kept in git, and the file stays a quarter of the size of an indented one)."""
    document = {
        "format": "vigia-cases",
        "version": 1,
        "scope": scope,
        "generated_at": generated_at,
        "columns": list(columns),
        "cases": [],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    items = [json_case(columns, row) for row in rows]
    if items:
        text = text[: -len(_NO_CASES)] + "[" + JSON_CASE_FIRST + JSON_CASE_BETWEEN.join(items)
        text += JSON_CASES_END
    return text.encode("utf-8")


_NO_CASES = "[]\n}"
JSON_CASE_FIRST = "\n  "
JSON_CASE_BETWEEN = ",\n  "
JSON_CASES_END = "\n ]\n}"


def json_case(columns: Sequence[str], row: Mapping[str, object]) -> str:
    """One case of the JSON file, on one line."""
    return json.dumps({column: row.get(column) for column in columns}, ensure_ascii=False)


def read_csv(data: bytes, known: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, column → text); the header is row 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(N_("it is not UTF-8 text")) from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CsvFormatError(N_("it is empty"))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    read = 0  # records read so far, the header being record 1
    try:
        header = [name.strip().lower() for name in next(reader)]
        read = 1
        unknown = [name for name in header if name and name not in known]
        if unknown:
            raise CsvFormatError(N_("unknown columns: {columns}"), columns=", ".join(unknown[:5]))
        for index, values in enumerate(reader, start=2):
            read = index
            if not any(value.strip() for value in values):
                continue
            cells = {
                name: _unquote(value.strip())
                for name, value in zip(header, values, strict=False)
                if name
            }
            rows.append((index, cells))
    except csv.Error as exc:
        # The reader fails on the record after the last one it gave.
        row = str(read + 1)
        if "field larger than field limit" in str(exc):
            raise CsvFormatError(
                N_("row {row} has a cell longer than {limit} KB"), row=row, limit=str(MAX_CELL_KB)
            ) from exc
        raise CsvFormatError(
            N_("row {row} is not valid CSV (a stray quote or a NUL character)"), row=row
        ) from exc
    return rows


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text
