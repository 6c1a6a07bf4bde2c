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

FULL_COLUMNS: tuple[str, ...] = (
    "case_id",
    "state",
    "person_name",
    "cedula",
    "sex",
    "age",
    "is_minor",
    "affiliation",
    "detained_on",
    "federal_entity",
    "municipality",
    "detaining_body",
    "place",
    "place_other",
    "released_on",
    "release_conditions",
    "publish_consent",
    "merged_into",
    "verified_at",
    "last_verified_at",
    "created_at",
    "updated_at",
    "events",
    "presentation_days",
)

PUBLIC_COLUMNS: tuple[str, ...] = (
    "case_id",
    "state",
    "person_name",
    "sex",
    "age",
    "is_minor",
    "affiliation",
    "detained_on",
    "federal_entity",
    "detaining_body",
    "place",
    "released_on",
    "release_conditions",
    "last_verified_at",
    "presentation_days",
)

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | bool | None


class CsvFormatError(ValueError):
    """The file is not a CSV we can read (encoding, no header, unknown columns)."""


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
    """One object: what the file is, then the cases with exactly the CSV's column names."""
    document = {
        "format": "vigia-cases",
        "version": 1,
        "scope": scope,
        "generated_at": generated_at,
        "columns": list(columns),
        "cases": [{column: row.get(column) for column in columns} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def read_csv(data: bytes, known: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, column → text); the header is row 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError("not UTF-8") from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CsvFormatError("empty file")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    unknown = [name for name in header if name and name not in known]
    if unknown:
        raise CsvFormatError("unknown columns: " + ", ".join(unknown[:5]))
    rows = []
    for index, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        cells = {
            name: _unquote(value.strip())
            for name, value in zip(header, values, strict=False)
            if name
        }
        rows.append((index, cells))
    return rows


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text
