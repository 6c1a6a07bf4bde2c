"""The open data of the last build with only the changed cases' rows rewritten.

A verified change touches a case or two; the files hold a million. The new files are
the old ones with the changed cases' rows taken out and their new rows put where a full
build would put them: rows with consent by case number, the others by what they show
(`PublicRow.key`). The bytes of every unchanged row are copied from the old files
(`os.copy_file_range`: the kernel copies, Python never holds them), so the result is
byte for byte what a full build writes (`tests/site/test_incremental.py`).

Where a row without consent goes is found by binary search among the unchanged rows
without consent. Their keys are not kept anywhere (the index would hold the whole file
again): each probe reads that case from the database (`KeysOf`), all new rows probing
together, about twenty reads in all. The caller checks that none of the probed cases
changed meanwhile (`Placed.probed`).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from services.site.open_data import (
    CSV_FILE,
    JSON_BETWEEN,
    JSON_END,
    JSON_FILE,
    JSON_FIRST,
    Framing,
    PublicRow,
    SortKey,
)
from services.site.open_data_index import OpenDataIndex, Positions, RowSpans, identity

KeysOf = Callable[[Sequence[int]], Awaitable[dict[int, SortKey]]]
_COPY_CHUNK = 1 << 30
_MEMORY_CHUNK = 1 << 24


@dataclass(frozen=True, slots=True)
class Placed:
    """The new files' rows in order: an old row's index (≥ 0) or `-1 - n` for the n-th
    of `rows`; `named_rows` lead. `probed`: the unchanged cases whose keys were read."""

    order: Positions
    rows: tuple[PublicRow, ...]
    named_rows: int
    probed: frozenset[int]


async def place(
    index: OpenDataIndex, changed: Sequence[int], rows: Sequence[PublicRow], keys_of: KeysOf
) -> Placed:
    """Where every row of the new files comes from: the unchanged rows in their order,
    the `rows` of the `changed` cases (those still published) put in between."""
    removed = np.isin(index.case_ids, np.asarray(sorted(set(changed)), dtype=np.int64))
    kept = np.flatnonzero(~removed).astype(np.int64)
    kept_named = kept[kept < index.named_rows]
    kept_other = kept[kept >= index.named_rows]
    named = sorted((row for row in rows if row.named), key=lambda row: row.case_id)
    other = sorted((row for row in rows if not row.named), key=lambda row: row.key)
    new_rows = (*named, *other)
    named_at = np.searchsorted(
        index.case_ids[kept_named], np.asarray([row.case_id for row in named], dtype=np.int64)
    )
    other_at, probed = await _search(index.case_ids[kept_other], other, keys_of)
    order = np.concatenate(
        [
            _interleave(kept_named, named_at, first_new=0),
            _interleave(kept_other, other_at, first_new=len(named)),
        ]
    )
    return Placed(order, new_rows, len(kept_named) + len(named), probed)


async def _search(
    kept_ids: Positions, rows: Sequence[PublicRow], keys_of: KeysOf
) -> tuple[Positions, frozenset[int]]:
    """For each row (sorted by key), how many kept rows sort before it: a binary search
    per row, all in step, one database read per step."""
    low = np.zeros(len(rows), dtype=np.int64)
    high = np.full(len(rows), len(kept_ids), dtype=np.int64)
    probed: set[int] = set()
    while True:
        active = np.flatnonzero(low < high)
        if not len(active):
            return low, frozenset(probed)
        middle = (low[active] + high[active]) // 2
        ids = [int(case_id) for case_id in kept_ids[middle]]
        keys = await keys_of(sorted(set(ids)))
        probed.update(ids)
        for position, row_number, case_id in zip(
            middle.tolist(), active.tolist(), ids, strict=True
        ):
            key = keys.get(case_id)
            if key is None:
                raise ChangedMeanwhile(case_id)
            if key < rows[row_number].key:
                low[row_number] = position + 1
            else:
                high[row_number] = position


class ChangedMeanwhile(RuntimeError):
    """A case the search read is no longer published as it was: build again."""


def _interleave(kept: Positions, inserted_at: Positions, *, first_new: int) -> Positions:
    """`kept` with the new rows `first_new`, `first_new + 1`, … inserted before the
    given counts of kept rows (counts not decreasing)."""
    markers = -1 - np.arange(first_new, first_new + len(inserted_at), dtype=np.int64)
    return np.insert(kept, inserted_at, markers) if len(inserted_at) else kept


def write_patched(
    index: OpenDataIndex, old_folder: Path, placed: Placed, new_folder: Path, framing: Framing
) -> OpenDataIndex:
    """Both files of `placed` into `new_folder`, unchanged rows copied from `old_folder`;
    the index of the new files (`mark` still the old one: the caller sets it)."""
    new_folder.mkdir(parents=True, exist_ok=True)
    runs = _runs(placed.order)
    csv_spans = _splice(
        old_folder / CSV_FILE, new_folder / CSV_FILE, index.csv, placed, runs,
        head=framing.csv_header, first=b"", between=b"", tail=b"",
        item=lambda row: row.csv_line,
    )  # fmt: skip
    head, tail = (framing.json_start, JSON_END) if runs else (framing.json_empty, b"")
    json_spans = _splice(
        old_folder / JSON_FILE, new_folder / JSON_FILE, index.json, placed, runs,
        head=head, first=JSON_FIRST, between=JSON_BETWEEN, tail=tail,
        item=lambda row: row.json_item,
    )  # fmt: skip
    new_ids = np.empty(len(placed.order), dtype=np.int64)
    from_old = placed.order >= 0
    new_ids[from_old] = index.case_ids[placed.order[from_old]]
    written = np.asarray([row.case_id for row in placed.rows], dtype=np.int64)
    new_ids[~from_old] = written[-1 - placed.order[~from_old]]
    return OpenDataIndex(
        case_ids=new_ids,
        named_rows=placed.named_rows,
        csv=csv_spans,
        json=json_spans,
        mark=index.mark,
        csv_file=identity(new_folder / CSV_FILE),
        json_file=identity(new_folder / JSON_FILE),
    )


def _splice(
    source: Path,
    target: Path,
    old: RowSpans,
    placed: Placed,
    runs: list[tuple[int, int]],
    *,
    head: bytes,
    first: bytes,
    between: bytes,
    tail: bytes,
    item: Callable[[PublicRow], bytes],
) -> RowSpans:
    """One file: `head`, the rows (`first` before the first, `between` the others), then
    `tail`; each run of old rows copied whole from `source`. Where its rows now lie."""
    starts = np.zeros(len(placed.order), dtype=np.int64)
    with _Copier(source, target) as out:
        out.write(head)
        for first_at, last_at in runs:
            out.write(between if first_at else first)
            at, came_from = out.at, int(placed.order[first_at])
            if came_from < 0:
                out.write(item(placed.rows[-1 - came_from]))
                starts[first_at] = at
                continue
            rows = placed.order[first_at:last_at]
            begin, stop = old.stretch(came_from, int(rows[-1]))
            out.copy(begin, stop)
            starts[first_at:last_at] = old.starts[rows] - begin + at
        end = out.at
        out.write(tail)
    return RowSpans(starts, end, len(between))


def _runs(order: Positions) -> list[tuple[int, int]]:
    """`order` cut into pieces to write at once: each new row alone, and each stretch of
    old rows that follow each other in the old file."""
    if not len(order):
        return []
    old = order >= 0
    follows = old[1:] & old[:-1] & (order[1:] == order[:-1] + 1)
    starts = np.concatenate([[0], np.flatnonzero(~follows) + 1])
    ends = np.concatenate([starts[1:], [len(order)]])
    return [(int(first), int(last)) for first, last in zip(starts, ends, strict=True)]


class _Copier:
    """A new file written from bytes and from ranges of an old file."""

    def __init__(self, source: Path, target: Path) -> None:
        self._source_path = source
        self._target_path = target
        self._in_kernel = hasattr(os, "copy_file_range")
        self.at = 0

    def __enter__(self) -> _Copier:
        self._source = os.open(self._source_path, os.O_RDONLY)
        try:
            self._target = os.open(self._target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except BaseException:
            os.close(self._source)
            raise
        return self

    def __exit__(self, *_: object) -> None:
        os.close(self._target)
        os.close(self._source)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._target, view)
            view = view[written:]
        self.at += len(data)

    def copy(self, start: int, end: int) -> None:
        """The old file's bytes start..end, appended."""
        offset = start
        while offset < end:
            copied = self._copy_some(offset, min(end - offset, _COPY_CHUNK))
            if copied <= 0:
                raise OSError(f"{self._source_path} ended before its rows")
            offset += copied

    def _copy_some(self, offset: int, size: int) -> int:
        if self._in_kernel:
            try:
                copied = os.copy_file_range(self._source, self._target, size, offset)
            except OSError:  # not between these file systems: through memory instead
                self._in_kernel = False
            else:
                self.at += copied
                return copied
        data = os.pread(self._source, min(size, _MEMORY_CHUNK), offset)
        self.write(data)
        return len(data)
