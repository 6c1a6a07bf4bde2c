"""The figures chart: a real PNG drawn by matplotlib, labelled in the reader's language."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import struct

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from services.chart import (
    ANNOUNCED_COLOUR,
    DEATH_COLOUR,
    DETENTION_COLOUR,
    RELEASE_COLOUR,
    ChartRenderer,
    chart_data,
)
from storage.roles import Role
from tests.figures.dataset import seed
from tests.harness import ADMIN_ID, BotHarness
from tests.roles import grant

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def _chart(harness: BotHarness) -> bytes:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/cifras")
    return harness.fake.calls("sendPhoto", user.id)[-1].files["photo"]


def _pixels_of(png: bytes, colour: str) -> int:
    image = imread(io.BytesIO(png))[:, :, :3]
    distance = np.abs(image - np.array(to_rgb(colour))).sum(axis=2)
    return int((distance < 0.05).sum())


async def test_the_chart_is_a_png_sent_after_the_text(harness: BotHarness) -> None:
    await seed(harness)
    png = await _chart(harness)
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (800, 420)
    methods = [call.method for call in harness.fake.calls(chat_id=harness.people.family_es.id)]
    assert methods[-3:] == ["sendMessage", "sendChatAction", "sendPhoto"]


async def test_the_chart_draws_the_weekly_bars(harness: BotHarness) -> None:
    await seed(harness)
    png = await _chart(harness)
    assert _pixels_of(png, DETENTION_COLOUR) > 200
    assert _pixels_of(png, RELEASE_COLOUR) > 200
    # Case 10 died in custody on 30 November 2025: its own bar, in its own colour.
    assert _pixels_of(png, DEATH_COLOUR) > 100


async def test_announced_figures_are_marked_on_the_chart(harness: BotHarness) -> None:
    await seed(harness)
    assert _pixels_of(await _chart(harness), ANNOUNCED_COLOUR) == 0
    await grant(harness, harness.people.broadcaster, Role.BROADCASTER)
    await harness.rig.send_text(harness.people.broadcaster, "/anunciar 400 08/01/2026 Fiscalía")
    png = await _chart(harness)
    assert _pixels_of(png, ANNOUNCED_COLOUR) > 100


async def test_chart_labels_are_in_the_readers_language(harness: BotHarness) -> None:
    await seed(harness)
    await harness.services.announcements.record(
        claimed_count=1500, since=dt.date(2026, 1, 8), source="Fiscalía", recorded_by=ADMIN_ID
    )
    snapshot = await harness.services.figures.snapshot(dt.date(2026, 1, 12))
    spanish = chart_data(snapshot, harness.services.catalogs.get("es"))
    english = chart_data(snapshot, harness.services.catalogs.get("en"))
    assert spanish.title == (
        "Detenciones, excarcelaciones y muertes bajo custodia verificadas por semana"
    )
    assert english.title == "Verified detentions, releases and deaths in custody per week"
    assert (spanish.deaths_label, english.deaths_label) == (
        "Muertes bajo custodia",
        "Deaths in custody",
    )
    assert [mark.label for mark in spanish.marks] == ["Anunciado: 1.500 excarcelaciones"]
    assert [mark.label for mark in english.marks] == ["Announced: 1,500 releases"]
    assert spanish.ticks[0] == (0, "21 jul")
    assert english.ticks[0] == (0, "21 Jul")


async def test_weekly_counts_match_the_data_set(harness: BotHarness) -> None:
    await seed(harness)
    snapshot = await harness.services.figures.snapshot(dt.date(2026, 1, 12))
    weeks = {week.start: (week.detentions, week.releases) for week in snapshot.weeks}
    assert len(snapshot.weeks) == 26
    assert weeks[dt.date(2026, 1, 5)] == (1, 1)  # re-arrest of case 7 (10 Jan), case 5 (9 Jan)
    assert weeks[dt.date(2025, 12, 29)] == (1, 0)  # case 3 detained on 2 Jan
    assert weeks[dt.date(2025, 12, 15)] == (0, 1)  # case 6 released on 20 Dec
    assert weeks[dt.date(2025, 10, 13)] == (0, 1)  # case 7's first release, 15 Oct
    # Cases 1-7 and 10 (8 and 9 are merged), plus the re-arrest of case 7.
    assert sum(detentions for detentions, _ in weeks.values()) == 9
    deaths = {week.start: week.deaths for week in snapshot.weeks if week.deaths}
    assert deaths == {dt.date(2025, 11, 24): 1}  # case 10, 30 Nov


async def test_the_png_is_rendered_once_until_the_figures_change(harness: BotHarness) -> None:
    await seed(harness)
    services = harness.services
    t = services.catalogs.get("es")
    snapshot = await services.figures.snapshot(dt.date(2026, 1, 12))
    first = await services.charts.png(snapshot, t)
    assert await services.charts.png(await services.figures.snapshot(snapshot.today), t) is first
    await services.announcements.record(
        claimed_count=5, since=dt.date(2026, 1, 8), source="x", recorded_by=ADMIN_ID
    )
    changed = await services.figures.snapshot(snapshot.today)
    assert await services.charts.png(changed, t) is not first


async def test_the_drawing_process_is_retired_when_idle(harness: BotHarness) -> None:
    """matplotlib runs in a worker process that goes away when no chart is asked for."""
    await seed(harness)
    services = harness.services
    renderer = ChartRenderer(idle_seconds=0.05)
    snapshot = await services.figures.snapshot(dt.date(2026, 1, 12))
    try:
        spanish = await renderer.png(snapshot, services.catalogs.get("es"))
        assert spanish.startswith(PNG_SIGNATURE)
        assert renderer.worker_pid is not None
        for _ in range(100):
            if renderer.worker_pid is None:
                break
            await asyncio.sleep(0.05)
        assert renderer.worker_pid is None
        english = await renderer.png(snapshot, services.catalogs.get("en"))
        assert english.startswith(PNG_SIGNATURE) and english != spanish
    finally:
        await renderer.close()
    assert renderer.worker_pid is None
