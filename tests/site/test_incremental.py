"""After its first build, the site rewrites only the rows of the open data whose case
changed, and the result is byte for byte what a whole build writes (issue 18, part 6).

Random desks (tests/record/lifecycles.py) are recorded through the moderators' commands:
half of them before a first, whole build; then, after each verification and each move
of the others, and after merges, the site is built again from the last build and
compared with a whole build of the same database into another folder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.site import sources_of
from bot.site_worker import SiteWorker
from domain.dates import local_today
from services.case_files import PUBLIC, values
from services.site.builder import PATCHED_ALWAYS, SiteBuilder, build_site
from services.site.content import collect, named_person, row_releases
from tests.harness import BotHarness
from tests.moderation.helpers import file_report
from tests.record.lifecycles import NAMES, TODAY, Life, Move, desk
from tests.record.paths import by_commands, by_import, fresh, import_file_bytes, merge
from tests.record.test_round_trip import merged_desks
from tests.safety.helpers import open_privacy
from tests.site.helpers import leftovers, tree
from tests.site.seeding import REPORTERS, seed_through_the_bot


def _today(harness: BotHarness) -> dt.date:
    services = harness.services
    return local_today(services.clock.now(), services.catalogs.get("es").timezone)


class _Compared:
    """A builder kept across changes, and a whole build to compare each of its builds."""

    def __init__(self, harness: BotHarness, folder: Path) -> None:
        self.harness = harness
        self.site = folder / "www" / "site"
        self.whole = folder / "www" / "whole"
        self.builder = SiteBuilder(sources_of(harness.services), self.site)
        self.patched = 0

    async def first(self) -> None:
        report = await self.builder.build(_today(self.harness))
        assert report.whole

    async def again(self) -> None:
        """Build from the last build; it rewrites at most the changed rows and equals a
        whole build."""
        report = await self.builder.build(_today(self.harness))
        assert not report.whole
        assert report.rows_written <= 2
        self.patched += 1
        await build_site(sources_of(self.harness.services), self.whole, _today(self.harness))
        assert tree(self.site) == tree(self.whole)
        await self.builder.tidy()
        assert leftovers(self.site.parent) == []


async def _patched_desk(lives: list[Life], merges: list[tuple[int, int]]) -> None:
    async with fresh() as harness:
        compared = _Compared(harness, harness.settings.database_path.parent)
        half = len(lives) // 2
        await by_commands(harness, lives[:half])
        await compared.first()
        await by_commands(harness, lives[half:], after_each=compared.again, first_case=half + 1)
        for source, target in merges:
            await merge(harness, source, target)
            await compared.again()
        assert compared.patched >= len(lives) - half


@given(merged_desks())
def test_a_build_after_changes_rewrites_only_their_rows_and_equals_a_whole_build(
    desk_and_merges: tuple[list[Life], list[tuple[int, int]]],
) -> None:
    asyncio.run(_patched_desk(*desk_and_merges))


async def _lists_match_every_row(lives: list[Life], kept: int) -> None:
    """The site's lists, read from the few cases that can be in them, equal the lists
    taken from every public row, ties and the cut at `kept` included."""
    async with fresh() as harness:
        await by_commands(harness, lives)
        services = harness.services
        sources = sources_of(services)
        content = await collect(
            figures=sources.figures,
            announcements=sources.announcements,
            exports=sources.exports,
            site=sources.site,
            today=TODAY,
            kept=kept,
        )
        rows = [values(case, PUBLIC) for case in await services.exports.cases(public=True)]
        releases = [release for row in rows for release in row_releases(row, TODAY)]
        releases.sort(key=lambda release: release.day, reverse=True)  # stable: case order
        assert [(r.day, r.name) for r in content.releases] == [
            (r.day, r.name) for r in releases[:kept]
        ]
        assert content.releases_total == len(releases)
        named = [person for row in rows if (person := named_person(row)) is not None]
        named.sort(key=lambda person: person.detained_on or dt.date.min, reverse=True)
        assert list(content.named) == named[:kept]
        assert content.named_total == len(named)


@given(desk(count=6, least=3), st.integers(1, 3))
def test_the_lists_read_from_a_few_cases_equal_those_of_every_row(
    lives: list[Life], kept: int
) -> None:
    asyncio.run(_lists_match_every_row(lives, kept))


def _same_days(count: int) -> list[Life]:
    """People detained on one day and released on another, every one of them: the lists'
    cut falls inside a day, where the order is the cases'."""
    detained, released = dt.date(2025, 12, 1), dt.date(2026, 1, 5)
    return [
        Life(
            name=name,
            sex="female",
            age=30,
            affiliation="civilian",
            entity="lara",
            body="pnb",
            whereabouts="zona7",
            reported_on=detained,
            detained_on=detained,
            consent=number != 1,
            moves=[Move("release", released, conditions=("travel_ban",))] if number < 4 else [],
        )
        for number, name in enumerate(NAMES[:count])
    ]


def test_the_lists_cut_inside_a_day_in_case_order() -> None:
    for kept in (1, 2, 3):
        asyncio.run(_lists_match_every_row(_same_days(6), kept))


async def test_an_import_of_many_cases_is_built_whole_and_then_patched(tmp_path: Path) -> None:
    """More changed cases than a patch is worth (an import): a whole build, the same
    bytes; the next change is patched again."""
    async with fresh() as harness:
        await seed_through_the_bot(harness)
        compared = _Compared(harness, tmp_path)
        await compared.first()
        day = dt.date(2025, 11, 3)
        people = [
            Life(
                name=f"Persona Importada {number}",
                sex="male",
                age=40,
                affiliation="civilian",
                entity="zulia",
                body="sebin",
                whereabouts="helicoide",
                reported_on=day,
                detained_on=day + dt.timedelta(days=number % 30),
                consent=number % 3 == 0,
            )
            for number in range(PATCHED_ALWAYS + 20)
        ]
        await by_import(harness, import_file_bytes(people), len(people))
        report = await compared.builder.build(_today(harness))
        assert report.whole
        await build_site(sources_of(harness.services), compared.whole, _today(harness))
        assert tree(compared.site) == tree(compared.whole)
        await merge(harness, 1, 2)
        await compared.again()


async def test_files_changed_by_someone_else_are_rebuilt_whole(tmp_path: Path) -> None:
    async with fresh() as harness:
        await seed_through_the_bot(harness)
        compared = _Compared(harness, tmp_path)
        await compared.first()
        await compared.again()
        csv_file = compared.site / "data" / "cases.csv"
        os.utime(csv_file, ns=(0, 0))  # as a copy or a checkout would leave it
        report = await compared.builder.build(_today(harness))
        assert report.whole
        await compared.again()


async def test_withdrawn_consent_leaves_every_file_at_the_next_patched_build(
    tmp_path: Path,
) -> None:
    async with fresh() as harness:
        seeded = await seed_through_the_bot(harness)
        compared = _Compared(harness, tmp_path)
        await compared.first()
        assert seeded.consented_name in (compared.site / "data" / "cases.csv").read_text()
        family, _ = REPORTERS
        [report] = await harness.services.reports.for_reporter(family.id)
        await open_privacy(harness, family, report.receipt_display)
        await harness.rig.press_button(family, "1: do not publish")
        await compared.again()
        for name, data in tree(compared.site).items():
            assert seeded.consented_name.encode() not in data, name


def _environment_of(pid: int) -> bytes:
    return Path(f"/proc/{pid}/environ").read_bytes()


async def test_a_worker_that_died_is_replaced_and_builds_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's worker process: killed between builds (out of memory, an operator), the
    next build starts another, whose first build is whole; the worker has no token."""
    async with fresh() as harness:
        token = "123456789:the-bots-token-never-reaches-the-worker"
        monkeypatch.setenv("BOT_TOKEN", token)
        await seed_through_the_bot(harness)
        site = tmp_path / "site"
        worker = SiteWorker(site, harness.settings)
        try:
            assert (await worker.build(_today(harness))).whole
            await file_report(harness, name="Otra Persona Más")
            assert not (await worker.build(_today(harness))).whole
            pid = worker.pid
            assert pid is not None
            environment = _environment_of(pid)
            assert b"ENCRYPTION_KEY=" in environment
            assert token.encode() not in environment
            os.kill(pid, signal.SIGKILL)
            assert (await worker.build(_today(harness))).whole
            assert worker.pid != pid
        finally:
            await worker.close()
        assert worker.pid is None
        assert leftovers(tmp_path) == []
