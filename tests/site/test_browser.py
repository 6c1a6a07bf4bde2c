"""The site in a real browser: headless Chromium from the system packages, at a phone's
360 px and a desktop's 1280 px, in both languages. The published pages carry no
script; a probe copy beside each adds axe-core (the accessibility engine) and reads
the layout once the page has loaded.

Skips, saying why, only where no Chromium (or, for the accessibility check, no
axe-core) could be installed: `.ci/browser-tools` installs both.
"""

from __future__ import annotations

import json
import struct
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from storage.roles import Role
from tests.figures.dataset import seed
from tests.harness import BotHarness
from tests.roles import grant
from tests.site.browser import axe_script, chromium, dump_dom, screenshot
from tests.site.helpers import build, cifras_counts, page_figures

PAGES = {"es": "index.html", "en": "en/index.html"}
# Headless Chromium's window is never narrower than 500 px: a phone's viewport is an
# iframe of its width in a frame page, which reads the page's own widths.
FRAME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{width} px</title>
<style>body{{margin:0}}iframe{{border:0;width:{width}px;height:900px;display:block}}</style>
</head><body><iframe id="page" src="{page}" title="page"></iframe>
<script>
document.getElementById("page").addEventListener("load", (event) => {{
  const root = event.target.contentDocument.documentElement;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({{scroll: root.scrollWidth, client: root.clientWidth}});
  document.body.appendChild(out);
}});
</script></body></html>"""
FRAMELESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{width} px</title>
<style>body{{margin:0}}iframe{{border:0;width:{width}px;height:4000px;display:block}}</style>
</head><body><iframe src="{page}" title="page"></iframe></body></html>"""
PROBE = """<script src="{axe}"></script>
<script>
window.addEventListener("load", async () => {{
  const result = await axe.run(document, {{runOnly: {{type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}}});
  const found = result.violations.map(v => ({{id: v.id, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}}));
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({{violations: found, rules: result.passes.length}});
  document.body.appendChild(out);
}});
</script>
</body>"""


class _Outline(HTMLParser):
    """Headings in order, tables and their captions, and the probe's answer."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables = 0
        self.captions: list[str] = []
        self.probe = ""
        self.lang = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self._in, self.captions = "caption", [*self.captions, ""]
        if tag == "pre" and dict(attrs).get("id") == "probe":
            self._in = "probe"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("caption", "pre"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.captions[-1] += data
        elif self._in == "probe":
            self.probe += data


def outline(dom: str) -> _Outline:
    parsed = _Outline()
    parsed.feed(dom)
    return parsed


def probe_copy(page: Path, axe: Path) -> Path:
    """The page with the probe, beside it (so its links resolve the same)."""
    html = page.read_text(encoding="utf-8")
    probed = page.with_name("probe." + page.name)
    probed.write_text(html.replace("</body>", PROBE.format(axe=axe.as_uri()), 1), "utf-8")
    return probed


def framed(page: Path, width: int, template: str = FRAME) -> Path:
    """A frame page beside `page` that shows it `width` CSS pixels wide."""
    frame = page.with_name(f"frame-{width}.{page.name}")
    frame.write_text(template.format(width=width, page=page.name), "utf-8")
    return frame


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
async def site(harness: BotHarness, tmp_path: Path) -> Path:
    chromium()  # skip at once, saying why, where there is none
    await seed(harness)
    await grant(harness, harness.people.broadcaster, Role.BROADCASTER)
    await harness.rig.send_text(harness.people.broadcaster, "/anunciar 3 01/12/2025 Fiscalía")
    return await build(harness, tmp_path / "site")


@pytest.mark.parametrize("language", ["es", "en"])
async def test_the_page_renders_with_the_numbers_of_cifras(
    harness: BotHarness, site: Path, tmp_path: Path, language: str
) -> None:
    page = site / PAGES[language]
    for width in (360, 1280):
        shown = framed(page, width, FRAMELESS) if width < 500 else page
        shot = screenshot(shown, width, tmp_path / f"{language}-{width}.png", tmp_path / "p")
        assert png_size(shot)[0] == width
        assert shot.stat().st_size > 20_000  # drawn, not blank
    dom = dump_dom(page, 360, tmp_path / "profile")
    assert list(page_figures(dom).values()) == await cifras_counts(harness, language == "es")
    parsed = outline(dom)
    assert parsed.lang == language
    other = "en/index.html" if language == "es" else "../index.html"
    assert f'href="{other}"' in dom
    assert parsed.tables >= 8 and len(parsed.captions) == parsed.tables
    assert all(caption.strip() for caption in parsed.captions)
    assert "<svg" in dom
    # The announcement recorded with /anunciar, beside what was verified, as drawn.
    assert "Fiscalía" in dom


@pytest.mark.parametrize("language", ["es", "en"])
async def test_no_horizontal_scrolling_on_a_phone_and_no_accessibility_violation(
    site: Path, tmp_path: Path, language: str
) -> None:
    page = site / PAGES[language]
    for width in (360, 1280):
        probe = outline(dump_dom(framed(page, width), 1280, tmp_path / "profile")).probe
        widths = json.loads(probe)
        assert widths["client"] == width, widths
        assert widths["scroll"] <= width, f"the page scrolls sideways at {width} px: {widths}"
    axe = axe_script()
    parsed = outline(dump_dom(probe_copy(page, axe), 500, tmp_path / "profile"))
    assert parsed.probe, "the probe did not run"
    answer: dict[str, Any] = json.loads(parsed.probe)
    assert answer["violations"] == [], json.dumps(answer["violations"], indent=1)
    assert answer["rules"] > 20
    # One h1, and no heading skips a level on the way down.
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False))
