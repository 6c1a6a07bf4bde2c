"""Where each case's row lies in the open data a build wrote: the next build copies the
rows of unchanged cases from there and writes only the others.

The index links every row, those without consent too, to its case number, which the
published files deliberately do not: it lives only in the memory of the process that
builds the site, never in a file. Each entry is the row's byte range in `cases.csv` and
the range of its item in `cases.json`, in file order; the rows with consent come first.
"""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from services.site.open_data import PublicRow

Positions = npt.NDArray[np.int64]


def identity(path: Path) -> tuple[int, int, int]:
    """What tells a file we wrote from one changed or replaced since (a rename keeps it)."""
    found = os.stat(path)
    return (found.st_ino, found.st_size, found.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class RowSpans:
    """Where the rows lie in one file: each row starts at `starts[i]` and ends where the
    next one starts, less the `gap` written between two rows; the last one at `end`."""

    starts: Positions
    end: int
    gap: int

    def stretch(self, first: int, last: int) -> tuple[int, int]:
        """The bytes of rows `first` to `last` (both included, in file order)."""
        stop = self.end if last + 1 == len(self.starts) else int(self.starts[last + 1]) - self.gap
        return int(self.starts[first]), stop


@dataclass(frozen=True, slots=True)
class OpenDataIndex:
    """The rows of one build's files, in file order; `mark` is the newest case change
    they include, `csv_file`/`json_file` the identities of the files as written."""

    case_ids: Positions
    named_rows: int
    csv: RowSpans
    json: RowSpans
    mark: int
    csv_file: tuple[int, int, int]
    json_file: tuple[int, int, int]

    @property
    def rows(self) -> int:
        return len(self.case_ids)

    def describes(self, csv_path: Path, json_path: Path) -> bool:
        """Whether these files are still exactly the ones this index was made for."""
        try:
            return identity(csv_path) == self.csv_file and identity(json_path) == self.json_file
        except OSError:
            return False


class IndexBuilder:
    """Collects the entries while the files are written, row after row; `json_between`
    is the gap between two JSON items."""

    def __init__(self, *, csv_at: int, json_at: int, json_between: int) -> None:
        self._csv_at = csv_at
        self._json_at = json_at
        self._json_between = json_between
        self._ids = array("q")
        self._csv_starts = array("q")
        self._json_starts = array("q")
        self._named = 0

    @property
    def rows(self) -> int:
        return len(self._ids)

    def add(self, row: PublicRow, *, json_gap: int) -> None:
        """The row just written; `json_gap` the bytes written before its JSON item."""
        self._ids.append(row.case_id)
        self._named += row.named
        self._csv_starts.append(self._csv_at)
        self._csv_at += len(row.csv_line)
        self._json_at += json_gap
        self._json_starts.append(self._json_at)
        self._json_at += len(row.json_item)

    def finish(self, mark: int, csv_path: Path, json_path: Path) -> OpenDataIndex:
        return OpenDataIndex(
            case_ids=_positions(self._ids),
            named_rows=self._named,
            csv=RowSpans(_positions(self._csv_starts), self._csv_at, 0),
            json=RowSpans(_positions(self._json_starts), self._json_at, self._json_between),
            mark=mark,
            csv_file=identity(csv_path),
            json_file=identity(json_path),
        )


def _positions(values: array[int]) -> Positions:
    return np.frombuffer(values, dtype=np.int64).copy() if values else np.zeros(0, np.int64)
