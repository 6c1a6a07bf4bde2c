"""With SITE_DIR set the bot keeps the site current: rebuilt after verified changes, at
most once per SITE_REBUILD_SECONDS, and swapped in whole while readers fetch it."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import threading
import urllib.request
from collections.abc import AsyncIterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import pytest

from bot.site import JOB_NAME
from services.site.keeper import SiteKeeper
from storage.roles import Role
from tests.harness import BotHarness, make_settings
from tests.moderation.helpers import file_report, say
from tests.roles import grant
from tests.site.helpers import page_figures, settled_leftovers
from tests.site.seeding import seed_through_the_bot


@pytest.fixture
async def kept(tmp_path: Path) -> AsyncIterator[BotHarness]:
    # An hour between builds: seeding through the bot moves the clock some minutes.
    bot = BotHarness(
        make_settings(tmp_path, site_dir=tmp_path / "www" / "site", site_rebuild_seconds=3600)
    )
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def keeper_of(harness: BotHarness) -> SiteKeeper:
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    return cast(SiteKeeper, job.data)


async def rebuild(keeper: SiteKeeper) -> None:
    """A check, as the job makes every few seconds (the job may have made it already),
    and the build it started, if any, to its end."""
    await keeper.tick()
    await keeper.idle()


def figures_of(site: Path) -> dict[str, str]:
    return page_figures((site / "index.html").read_text(encoding="utf-8"))


async def test_verified_changes_rebuild_the_site_at_most_once_per_interval(
    kept: BotHarness,
) -> None:
    site = kept.settings.site_dir
    assert site is not None
    keeper = keeper_of(kept)
    await rebuild(keeper)
    assert figures_of(site)["deprived"] == "0"
    assert keeper.builds == 1

    # A burst of verified changes within the interval: not yet published...
    await seed_through_the_bot(kept)
    await rebuild(keeper)
    assert figures_of(site)["deprived"] == "0"
    # ...then published once, with every change of the burst.
    kept.clock.advance(dt.timedelta(hours=1))
    await rebuild(keeper)
    assert figures_of(site)["deprived"] == "1"
    assert figures_of(site)["releases"] == "1"
    assert keeper.builds == 2
    # The worker kept the first build's index: only the two new cases' rows were written.
    assert keeper.last_report is not None
    assert not keeper.last_report.whole
    assert keeper.last_report.rows_written == 2

    # A report nobody verified yet changes nothing published: no build.
    await file_report(kept, name="Nadie Verificado")
    kept.clock.advance(dt.timedelta(hours=2))
    await rebuild(keeper)
    assert keeper.builds == 2
    assert await settled_leftovers(site.parent) == []


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Requests are not printed."""


def _fetch_until(url: str, stop: threading.Event, seen: list[tuple[int, bytes]]) -> None:
    while not stop.is_set():
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback
            seen.append((answer.status, answer.read()))


async def test_a_reader_never_gets_half_a_site(kept: BotHarness) -> None:
    site = kept.settings.site_dir
    assert site is not None
    keeper = keeper_of(kept)
    await rebuild(keeper)
    built = {(site / "index.html").read_bytes()}
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    stop, seen = threading.Event(), cast(list[tuple[int, bytes]], [])
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    reader = threading.Thread(target=_fetch_until, args=(url, stop, seen), daemon=True)
    reader.start()
    try:
        await grant(kept, kept.people.broadcaster, Role.BROADCASTER)
        for claimed in range(400, 408):
            await say(kept, kept.people.broadcaster, f"/anunciar {claimed} 01/01/2026 Ministerio")
            kept.clock.advance(dt.timedelta(hours=1))
            await rebuild(keeper)
            built.add((site / "index.html").read_bytes())
            await asyncio.sleep(0.05)  # the reader fetches between builds too
    finally:
        stop.set()
        await asyncio.to_thread(reader.join, 10)
        server.shutdown()
        server.server_close()
    assert len(built) == 9 and keeper.builds == 9
    assert len(seen) > 9
    assert {status for status, _ in seen} == {200}
    # Every page a reader got is one whole build, never a mix or a cut.
    assert {body for _, body in seen} <= built


async def test_a_failed_build_leaves_the_folder_as_it_was_and_is_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    bot = BotHarness(make_settings(tmp_path, site_dir=folder, site_rebuild_seconds=60))
    await bot.start()
    try:
        keeper = keeper_of(bot)
        await rebuild(keeper)
        assert "site_build_failed" in caplog.text
        bot.clock.advance(dt.timedelta(seconds=61))
        caplog.clear()
        await rebuild(keeper)
        assert "site_build_failed" in caplog.text
        assert keeper.builds == 0
        assert [path.name for path in folder.iterdir()] == ["letter.txt"]
    finally:
        await bot.stop()


async def test_shutdown_stops_a_build_under_way_and_leaves_the_folder_whole(
    kept: BotHarness,
) -> None:
    await seed_through_the_bot(kept)
    keeper = keeper_of(kept)
    site = kept.settings.site_dir
    assert site is not None
    await rebuild(keeper)
    first = (site / "index.html").read_bytes()
    await file_report(kept, name="Después Del Cierre")
    kept.clock.advance(dt.timedelta(hours=2))
    await keeper.tick()
    # What the bot's shutdown does, with no grace at all: the build and its child stop.
    await keeper.idle(0)
    assert (site / "index.html").read_bytes() == first  # the old site, whole
    assert await settled_leftovers(site.parent) == []
    # The next check after a restart builds it again.
    await rebuild(keeper)
    assert await settled_leftovers(site.parent) == []
