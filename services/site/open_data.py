"""`data/cases.csv` and `data/cases.json`, written batch by batch as the cases are read.

The bytes are those `services.case_files.render` gives for the public scope (the
file `/exportar … public` sends), but a million cases never sit in memory at once:
each batch is rendered by the same code. Rows whose families consented come first in
case order, as read; the others follow sorted by what they show (`public_order`), so
they are sorted batch by batch into run files beside the site and merged at the end
(a merge sort on disk). `tests/site/test_pages.py` compares both files with
`/exportar`.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from domain.csv_format import PUBLIC_COLUMNS, Cell, cell_text, to_csv, to_json
from services.case_files import PUBLIC, cells_of, shown_key
from storage.exports import ArchivedCase

CSV_FILE = "cases.csv"
JSON_FILE = "cases.json"
OPEN_DATA_FILES = 2
_JSON_ITEM_INDENT = "  "  # items of the top-level `cases` list, at `indent=1`
# json's own string encoder (C), as `ensure_ascii=False` uses it.
_string = json.encoder.encode_basestring
_Run = list[tuple[list[str], str, str]]


class OpenDataWriter:
    """Appends batches of public rows to both files; `close` ends them."""

    def __init__(self, folder: Path, *, generated_at: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._runs_dir = Path(tempfile.mkdtemp(prefix=".runs-", dir=folder.parent))
        self._runs: list[Path] = []
        self._csv: BinaryIO = (folder / CSV_FILE).open("wb")
        self._json: BinaryIO = (folder / JSON_FILE).open("wb")
        self._csv_header = to_csv(PUBLIC_COLUMNS, [])
        self._csv.write(self._csv_header)
        empty = to_json(PUBLIC_COLUMNS, [], scope=PUBLIC, generated_at=generated_at)
        if not empty.endswith(b'"cases": []\n}'):
            raise RuntimeError("the JSON export's layout changed: update OpenDataWriter")
        self._json_empty = empty
        self._json_start = empty[: -len(b"[]\n}")] + b"["
        self._json_items = 0
        self._line = io.StringIO()
        self._line_writer = csv.writer(self._line, lineterminator="\r\n")

    def add(self, cases: Sequence[ArchivedCase], rows: Sequence[Mapping[str, Any]]) -> None:
        """One batch in case order: the cases and their public values (`values`)."""
        run: _Run = []
        for case, row in zip(cases, rows, strict=True):
            row_cells = cells_of(row)
            line, item = self._csv_line(row_cells), _json_item(row)
            if case.publish_consent:
                self._write(line, item)
            else:
                run.append((shown_key(row_cells), line, item))
        if run:
            run.sort(key=lambda entry: entry[0])
            path = self._runs_dir / f"{len(self._runs):06d}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in run)
            self._runs.append(path)

    def close(self) -> None:
        """The sorted rows without consent after the others, then the files' ends."""
        try:
            for _, line, item in heapq.merge(*map(_read_run, self._runs), key=_key):
                self._write(line, item)
            self._json.write(b"\n ]\n}" if self._json_items else self._json_empty)
        finally:
            self._csv.close()
            self._json.close()
            for path in self._runs:
                path.unlink(missing_ok=True)
            self._runs_dir.rmdir()

    def _csv_line(self, row_cells: Mapping[str, Cell]) -> str:
        """The row as `to_csv` writes it (one writer reused: `to_csv` per row costs)."""
        self._line.seek(0)
        self._line.truncate()
        self._line_writer.writerow([cell_text(row_cells.get(name)) for name in PUBLIC_COLUMNS])
        return self._line.getvalue()

    def _write(self, line: str, item: str) -> None:
        if not self._json_items:
            self._json.write(self._json_start)
        self._csv.write(line.encode("utf-8"))
        separator = ",\n" if self._json_items else "\n"
        self._json.write((separator + _JSON_ITEM_INDENT + item).encode("utf-8"))
        self._json_items += 1


def _json_item(row: Mapping[str, Any]) -> str:
    """The row as `to_json` lays it out inside the `cases` list (`json.dumps` with
    `indent=1` and `ensure_ascii=False`, written out here: with an indent, json encodes
    in pure Python, a third of the whole build)."""
    return _layout({column: row.get(column) for column in PUBLIC_COLUMNS}, 2)


def _layout(value: Any, depth: int) -> str:
    inner = "\n" + " " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [
            _string(str(key)) + ": " + _layout(item, depth + 1) for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(parts) + "\n" + " " * depth + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        parts = [_layout(item, depth + 1) for item in value]
        return "[" + inner + ("," + inner).join(parts) + "\n" + " " * depth + "]"
    if isinstance(value, str):
        return _string(value)
    return json.dumps(value)


def _read_run(path: Path) -> Iterator[tuple[list[str], str, str]]:
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            key, line, item = json.loads(text)
            yield key, line, item


def _key(entry: tuple[list[str], str, str]) -> list[str]:
    return entry[0]
