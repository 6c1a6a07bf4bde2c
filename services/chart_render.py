"""Drawing the figures chart with matplotlib, and the small process that does it.

matplotlib (with numpy, its fonts and its caches) costs about 50 MB once imported and
never gives it back, yet the chart is drawn only when the figures change. So the bot
never imports it: `python -m services.chart_render` is a worker that reads one chart per
line on stdin (JSON of `ChartData`, already translated) and answers `ok N` or
`error N` and N bytes (the PNG or a message). It imports nothing of the bot beyond
this module, exits at the end of its input, and `services.chart.ChartRenderer` retires it
when no chart has been asked for a while.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 4.2
DPI = 100
HEADROOM = 1.15  # space above the tallest bar for the announced labels
DETENTION_COLOUR = "#b2182b"
RELEASE_COLOUR = "#2166ac"
DEATH_COLOUR = "#252525"
BAR_WIDTH = 0.28
ANNOUNCED_COLOUR = "#6a3d9a"
SVG_SALT = "vigia"


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
    # Deaths in custody per week, a third bar beside detentions and releases.
    deaths_label: str = ""
    deaths: tuple[int, ...] = ()
    # "png" for Telegram; "svg" for the site, which embeds the drawing in its page.
    image_format: str = "png"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> ChartData:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            title=str(raw["title"]),
            y_label=str(raw["y_label"]),
            detentions_label=str(raw["detentions_label"]),
            releases_label=str(raw["releases_label"]),
            detentions=tuple(int(value) for value in raw["detentions"]),
            releases=tuple(int(value) for value in raw["releases"]),
            ticks=tuple((int(index), str(label)) for index, label in raw["ticks"]),
            marks=tuple(Mark(float(m["position"]), str(m["label"])) for m in raw["marks"]),
            deaths_label=str(raw.get("deaths_label", "")),
            deaths=tuple(int(value) for value in raw.get("deaths", ())),
            image_format=str(raw.get("image_format", "png")),
        )


def render_image(data: ChartData) -> bytes:
    """The chart in the format the data asks for."""
    return render_svg(data) if data.image_format == "svg" else render_png(data)


def render_svg(data: ChartData) -> bytes:
    """The chart as SVG, byte for byte the same for the same data: a fixed hash salt for
    its element ids, no date or software in its metadata, text kept as text (smaller,
    selectable, and drawn in the reader's own fonts: nothing is fetched)."""
    from matplotlib import rc_context

    with rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "none"}):
        figure = _draw(data)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def render_png(data: ChartData) -> bytes:
    """Draw the chart as PNG (for Telegram)."""
    figure = _draw(data)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw(data: ChartData) -> Any:
    """The chart on a new Figure; pure (the Agg canvas, never pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(data.detentions))
    series = (
        (data.detentions, DETENTION_COLOUR, data.detentions_label),
        (data.releases, RELEASE_COLOUR, data.releases_label),
        (data.deaths or (0,) * len(data.detentions), DEATH_COLOUR, data.deaths_label),
    )
    for offset, (values, colour, label) in zip((-1, 0, 1), series, strict=True):
        axes.bar(
            [x + offset * BAR_WIDTH for x in positions],
            values,
            width=BAR_WIDTH,
            color=colour,
            label=label,
        )
    top = max((*data.detentions, *data.releases, *data.deaths, 1))
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
    figure.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return figure


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer every chart request until the input ends."""
    while line := requests.readline():
        try:
            status, body = b"ok", render_image(ChartData.from_json(line))
        except Exception as error:  # reported to the bot, which raises it
            status, body = b"error", type(error).__name__.encode("ascii")
        answers.write(b"%s %d\n" % (status, len(body)) + body)
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
