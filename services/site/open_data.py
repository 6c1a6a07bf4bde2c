"""`data/cases.csv` and `data/cases.json`, written batch by batch as the cases are read.

The bytes are those `services.case_files.render` gives for the public scope (the
file `/exportar … public` sends), but a million cases never sit in memory at once:
each batch is rendered by the same code. Rows whose families consented come first in
case order, as read; the others follow sorted by what they show (`public_order`), so
they are sorted batch by batch into run files beside the site and merged at the end
(a merge sort on disk). `tests/site/test_pages.py` compares both files with
`/exportar`.

While writing, the writer notes where each case's row went (`OpenDataIndex`), so the
next build can copy the rows of unchanged cases as they are and write only the others
(`services/site/open_data_patch.py`).
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from domain.csv_format import (
    JSON_CASE_BETWEEN,
    JSON_CASE_FIRST,
    JSON_CASES_END,
    PUBLIC_COLUMNS,
    Cell,
    cell_text,
    json_case,
    to_csv,
    to_json,
)
from services.case_files import PUBLIC, cells_of, shown_key, values
from services.site.open_data_index import IndexBuilder, OpenDataIndex
from storage.exports import ArchivedCase

CSV_FILE = "cases.csv"
JSON_FILE = "cases.json"
OPEN_DATA_FILES = 2
JSON_FIRST = JSON_CASE_FIRST.encode()
JSON_BETWEEN = JSON_CASE_BETWEEN.encode()
JSON_END = JSON_CASES_END.encode()
SortKey = tuple[list[str], int]


@dataclass(frozen=True, slots=True)
class PublicRow:
    """One case's row in both files, and where it goes: rows with consent (`named`) by
    case number, the others by `key` (what the row shows, then the case number)."""

    case_id: int
    named: bool
    key: SortKey
    csv_line: bytes
    json_item: bytes


@dataclass(frozen=True, slots=True)
class Framing:
    """What the files hold around the rows: the CSV's header, the JSON's opening (with
    its `generated_at`) and its closing, or the whole JSON when no row is published."""

    csv_header: bytes
    json_start: bytes
    json_empty: bytes

    @classmethod
    def for_moment(cls, generated_at: str) -> Framing:
        empty = to_json(PUBLIC_COLUMNS, [], scope=PUBLIC, generated_at=generated_at)
        if not empty.endswith(b'"cases": []\n}'):
            raise RuntimeError("the JSON export's layout changed: update services.site.open_data")
        return cls(
            csv_header=to_csv(PUBLIC_COLUMNS, []),
            json_start=empty[: -len(b"[]\n}")] + b"[",
            json_empty=empty,
        )


class RowRenderer:
    """Cases to `PublicRow`s with the public export's own code (one CSV writer reused:
    `to_csv` per row costs)."""

    def __init__(self) -> None:
        self._line = io.StringIO()
        self._line_writer = csv.writer(self._line, lineterminator="\r\n")

    def row(self, case: ArchivedCase, row: Mapping[str, Any] | None = None) -> PublicRow:
        """`row`: the case's public values when already taken (`values(case, PUBLIC)`)."""
        row = values(case, PUBLIC) if row is None else row
        row_cells = cells_of(row)
        return PublicRow(
            case_id=case.case_id,
            named=case.publish_consent,
            key=(shown_key(row_cells), case.case_id),
            csv_line=self._csv_line(row_cells).encode("utf-8"),
            json_item=_json_item(row).encode("utf-8"),
        )

    def key(self, case: ArchivedCase) -> SortKey:
        """Where a row without consent goes among the others."""
        return (shown_key(cells_of(values(case, PUBLIC))), case.case_id)

    def _csv_line(self, row_cells: Mapping[str, Cell]) -> str:
        self._line.seek(0)
        self._line.truncate()
        self._line_writer.writerow([cell_text(row_cells.get(name)) for name in PUBLIC_COLUMNS])
        return self._line.getvalue()


class OpenDataWriter:
    """Appends batches of public rows to both files; `close` ends them and tells where
    each row went."""

    def __init__(self, folder: Path, *, framing: Framing) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder = folder
        self._framing = framing
        self._runs_dir = Path(tempfile.mkdtemp(prefix=".runs-", dir=folder.parent))
        self._runs: list[Path] = []
        self._csv: BinaryIO = (folder / CSV_FILE).open("wb")
        self._json: BinaryIO = (folder / JSON_FILE).open("wb")
        self._csv.write(framing.csv_header)
        self._index = IndexBuilder(
            csv_at=len(framing.csv_header),
            json_at=len(framing.json_start),
            json_between=len(JSON_BETWEEN),
        )

    def add(self, rows: Sequence[PublicRow]) -> None:
        """One batch, in case order."""
        run: list[PublicRow] = []
        for row in rows:
            if row.named:
                self._write(row)
            else:
                run.append(row)
        if run:
            run.sort(key=_key)
            path = self._runs_dir / f"{len(self._runs):06d}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(_run_line(row) for row in run)
            self._runs.append(path)

    def close(self, mark: int) -> OpenDataIndex:
        """The sorted rows without consent after the others, then the files' ends;
        `mark` is the newest change the rows read include (`SiteStore.change_mark`)."""
        try:
            for row in heapq.merge(*map(_read_run, self._runs), key=_key):
                self._write(row)
            self._json.write(JSON_END if self._index.rows else self._framing.json_empty)
        finally:
            self._csv.close()
            self._json.close()
            for path in self._runs:
                path.unlink(missing_ok=True)
            self._runs_dir.rmdir()
        return self._index.finish(mark, self._folder / CSV_FILE, self._folder / JSON_FILE)

    def _write(self, row: PublicRow) -> None:
        if not self._index.rows:
            self._json.write(self._framing.json_start)
        self._csv.write(row.csv_line)
        self._json.write(JSON_BETWEEN if self._index.rows else JSON_FIRST)
        self._json.write(row.json_item)
        self._index.add(row, json_gap=len(JSON_BETWEEN if self._index.rows else JSON_FIRST))


def _key(row: PublicRow) -> SortKey:
    return row.key


def _run_line(row: PublicRow) -> str:
    return (
        json.dumps(
            [
                row.key[0],
                row.case_id,
                row.csv_line.decode("utf-8"),
                row.json_item.decode("utf-8"),
            ],
            ensure_ascii=False,
        )
        + "\n"
    )


def _read_run(path: Path) -> Iterator[PublicRow]:
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            shown, case_id, line, item = json.loads(text)
            yield PublicRow(
                case_id=case_id,
                named=False,
                key=(shown, case_id),
                csv_line=line.encode("utf-8"),
                json_item=item.encode("utf-8"),
            )


def _json_item(row: Mapping[str, Any]) -> str:
    return json_case(PUBLIC_COLUMNS, row)
