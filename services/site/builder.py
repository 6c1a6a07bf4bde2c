"""Builds of one site folder, each after the last: the first writes the open data whole,
the next ones rewrite only the rows of the cases changed since (`case_changes`,
migration 0021), copying the rest from the files the last build wrote.

Every build is written into a new folder and swapped in whole (`services.site.output`).
The builder remembers where each row went (`OpenDataIndex`) only in memory and only
for the files it wrote itself: when they are not exactly those any more (moved,
edited, another process built meanwhile), when too many cases changed, or after a
restart, the build is whole again. The result is the same either way, byte for byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from services.site.build import SiteSources, write_pages
from services.site.content import collect
from services.site.open_data import (
    CSV_FILE,
    JSON_FILE,
    OPEN_DATA_FILES,
    Framing,
    OpenDataWriter,
    RowRenderer,
    SortKey,
)
from services.site.open_data_index import OpenDataIndex
from services.site.open_data_patch import ChangedMeanwhile, place, write_patched
from services.site.output import discard, staging_for, swap_in
from storage.clock import to_iso

logger = logging.getLogger(__name__)

# Past this share of the published rows changed (a key rotation, an import), and more
# than a few, reading every case costs less than finding each changed row's place.
WHOLE_BUILD_SHARE = 0.02
PATCHED_ALWAYS = 100
# A case the patch relied on changed while it was being made: try again this many times.
PATCH_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: `files` written, `rows_written` the open data rows rendered
    (all of them in a whole build), `whole` whether the open data was written whole."""

    files: int
    rows_written: int
    whole: bool


class SiteBuilder:
    """Builds the site into `target`, each build from the last one's open data."""

    def __init__(self, sources: SiteSources, target: Path) -> None:
        self._sources = sources
        self._target = target.absolute()
        self._index: OpenDataIndex | None = None
        self._old_site: Path | None = None
        self._renderer = RowRenderer()

    async def build(self, today: dt.date) -> BuildReport:
        """A build as of `today` (the NGO's calendar day), swapped in when complete. The
        old site is left for `tidy` (the worker answers first); a later build or `tidy`
        removes it."""
        await self.tidy()
        staging = await asyncio.to_thread(staging_for, self._target)
        swapped = False
        try:
            sources = self._sources
            last_change = await sources.site.last_change()
            framing = Framing.for_moment(to_iso(last_change) if last_change else "")
            # The open data is copied by the kernel in a thread while the pages are made.
            open_data = asyncio.ensure_future(self._open_data(staging / "data", framing))
            try:
                content = await collect(
                    figures=sources.figures,
                    announcements=sources.announcements,
                    exports=sources.exports,
                    site=sources.site,
                    today=today,
                    last_change=last_change,
                )
                pages = await write_pages(sources, content, staging)
            except BaseException:
                open_data.cancel()
                with contextlib.suppress(BaseException):
                    await open_data
                raise
            index, rows_written, whole = await open_data
            self._index = None  # the old files are about to go
            self._old_site = await asyncio.to_thread(swap_in, staging, self._target)
            swapped = True
            self._index = index
        finally:
            if not swapped:
                await asyncio.to_thread(discard, staging)
        logger.info("site_build_done whole=%s rows=%d", whole, rows_written)
        return BuildReport(pages + OPEN_DATA_FILES, rows_written, whole)

    async def tidy(self) -> None:
        """Remove the site the last build replaced."""
        old, self._old_site = self._old_site, None
        await asyncio.to_thread(discard, old)

    async def _open_data(self, folder: Path, framing: Framing) -> tuple[OpenDataIndex, int, bool]:
        index = self._index
        published = self._target / "data"
        if index is not None and index.describes(published / CSV_FILE, published / JSON_FILE):
            for _ in range(PATCH_ATTEMPTS):
                try:
                    return await self._patch(index, published, folder, framing)
                except ChangedMeanwhile:  # nothing was written yet: read again
                    continue
                except _TooMuchChanged:
                    break
        return await self._whole(folder, framing)

    async def _patch(
        self, index: OpenDataIndex, published: Path, folder: Path, framing: Framing
    ) -> tuple[OpenDataIndex, int, bool]:
        """The last build's files with the changed rows rewritten."""
        site, exports = self._sources.site, self._sources.exports
        changes = await site.changed_since(index.mark)
        if len(changes.case_ids) > max(PATCHED_ALWAYS, index.rows * WHOLE_BUILD_SHARE):
            raise _TooMuchChanged
        rows = [self._renderer.row(case) for case in await exports.public_cases(changes.case_ids)]
        placed = await place(index, changes.case_ids, rows, self._keys_of)
        later = await site.changed_since(changes.mark)
        if not placed.probed.isdisjoint(later.case_ids):
            raise ChangedMeanwhile(min(placed.probed & set(later.case_ids)))
        patched = await asyncio.to_thread(write_patched, index, published, placed, folder, framing)
        return dataclasses.replace(patched, mark=changes.mark), len(rows), False

    async def _keys_of(self, case_ids: Sequence[int]) -> dict[int, SortKey]:
        cases = await self._sources.exports.public_cases(case_ids)
        return {case.case_id: self._renderer.key(case) for case in cases}

    async def _whole(self, folder: Path, framing: Framing) -> tuple[OpenDataIndex, int, bool]:
        """Every published case read and written, batch by batch."""
        mark = await self._sources.site.change_mark()
        writer = OpenDataWriter(folder, framing=framing)
        written = 0
        try:
            async for batch in self._sources.exports.batches(public=True):
                writer.add([self._renderer.row(case) for case in batch])
                written += len(batch)
        finally:
            index = await asyncio.to_thread(writer.close, mark)
        return index, written, True


class _TooMuchChanged(Exception):
    """So many cases changed that a whole build is cheaper."""


async def build_site(sources: SiteSources, target: Path, today: dt.date) -> int:
    """One whole build into `target` (`python -m bot site`); the number of files."""
    builder = SiteBuilder(sources, target)
    report = await builder.build(today)
    await builder.tidy()
    return report.files
