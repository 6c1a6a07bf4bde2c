"""The figures chart: weekly verified detentions and releases, announced figures marked.

Rendered with matplotlib's object API on the Agg canvas (no pyplot, so no global
figure state), in a worker thread so the event loop keeps serving other chats, one
render at a time. matplotlib is imported on the first render only: a bot that is
never asked for figures never pays its memory. The PNG of each language is kept until
the figures change (the snapshot's version) or the day does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from dataclasses import dataclass

from bot.i18n import Translator
from storage.figures import FiguresSnapshot

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 4.2
DPI = 100
TICK_EVERY_WEEKS = 4
HEADROOM = 1.15  # space above the tallest bar for the announced labels
DETENTION_COLOUR = "#b2182b"
RELEASE_COLOUR = "#2166ac"
ANNOUNCED_COLOUR = "#6a3d9a"


@dataclass(frozen=True, slots=True)
class Mark:
    """An announced figure: where it falls (in weeks from the first bar) and its label."""

    position: float
    label: str


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything drawn, already translated and formatted, so rendering needs no locale."""

    title: str
    y_label: str
    detentions_label: str
    releases_label: str
    detentions: tuple[int, ...]
    releases: tuple[int, ...]
    ticks: tuple[tuple[int, str], ...]
    marks: tuple[Mark, ...]


def chart_data(snapshot: FiguresSnapshot, t: Translator) -> ChartData:
    _ = t.gettext
    weeks = snapshot.weeks
    first = weeks[0].start if weeks else snapshot.today
    marks = tuple(
        Mark(
            position=(announcement.since - first).days / 7 - 0.5,
            label=t.ngettext(
                "Announced: {count} release",
                "Announced: {count} releases",
                announcement.claimed_count,
            ).format(count=t.number(announcement.claimed_count)),
        )
        for announcement in snapshot.chart_announcements
    )
    return ChartData(
        title=_("Verified detentions and releases per week"),
        y_label=_("People"),
        detentions_label=_("Detentions (re-arrests included)"),
        releases_label=_("Releases"),
        detentions=tuple(week.detentions for week in weeks),
        releases=tuple(week.releases for week in weeks),
        ticks=tuple(
            (index, t.date(week.start, "d MMM"))
            for index, week in enumerate(weeks)
            if index % TICK_EVERY_WEEKS == 0
        ),
        marks=marks,
    )


def render_png(data: ChartData) -> bytes:
    """Draw the chart; pure and thread-safe (a new Figure, never pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(data.detentions))
    axes.bar(
        [x - 0.2 for x in positions],
        data.detentions,
        width=0.4,
        color=DETENTION_COLOUR,
        label=data.detentions_label,
    )
    axes.bar(
        [x + 0.2 for x in positions],
        data.releases,
        width=0.4,
        color=RELEASE_COLOUR,
        label=data.releases_label,
    )
    top = max((*data.detentions, *data.releases, 1))
    for mark in data.marks:
        axes.axvline(
            mark.position, color=ANNOUNCED_COLOUR, linestyle="--", linewidth=1.5, zorder=3
        )
        axes.annotate(
            mark.label,
            xy=(mark.position, top * HEADROOM),
            xytext=(-5, -2),
            textcoords="offset points",
            rotation=90,
            ha="right",
            va="top",
            fontsize=8,
            color=ANNOUNCED_COLOUR,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )
    axes.set_title(data.title, fontsize=12)
    axes.set_ylabel(data.y_label)
    axes.set_xticks([index for index, _ in data.ticks], [label for _, label in data.ticks])
    axes.set_xlim(-0.7, max(len(data.detentions), 1) - 0.3)
    axes.set_ylim(0, top * HEADROOM)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


class ChartRenderer:
    """Renders off the event loop, one at a time, and keeps the latest PNG per language."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._key: tuple[tuple[int, ...], dt.date] | None = None
        self._pngs: dict[str, bytes] = {}

    async def png(self, snapshot: FiguresSnapshot, t: Translator) -> bytes:
        key = (snapshot.version, snapshot.today)
        async with self._lock:
            if key != self._key:
                self._key, self._pngs = key, {}
            png = self._pngs.get(t.language)
            if png is None:
                png = await asyncio.to_thread(render_png, chart_data(snapshot, t))
                self._pngs[t.language] = png
            return png
