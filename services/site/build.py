"""One build of the site: read what is published, write every file, swap it into place.

The Spanish page is `index.html`, the English one `en/index.html`; each language has
its feed beside its page; the open data is in `data/`. The same database on the same
day gives byte-identical files (`tests/site/test_determinism.py`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from domain.i18n import Catalogs, Translator
from services.chart import ChartRenderer
from services.site.content import SiteContent, collect
from services.site.feed import FEED_FILE, releases_feed
from services.site.figures_list import figures_json
from services.site.methodology import methodology_html, read_methodology
from services.site.open_data import OPEN_DATA_FILES
from services.site.output import discard, staging_for, swap_in, write_tree
from services.site.page import render_page
from storage.announcements import Announcements
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.site import SiteStore

ROOT_LANGUAGE = "es"
SITE_LANGUAGES = ("es", "en")


@dataclass(frozen=True, slots=True)
class SiteSources:
    """What a build reads; `methodology_folder` is the data folder with the NGO's
    Markdown files (None: the defaults)."""

    figures: FiguresStore
    announcements: Announcements
    exports: CaseExports
    site: SiteStore
    charts: ChartRenderer
    catalogs: Catalogs
    methodology_folder: Path | None
    site_name: str


def folder_of(language: str) -> str:
    """Where a language's page lives, relative to the site's root."""
    return "" if language == ROOT_LANGUAGE else f"{language}/"


async def write_site(sources: SiteSources, folder: Path, today: dt.date) -> int:
    """Every file of the site as of `today` into `folder`; how many were written."""
    content = await collect(
        figures=sources.figures,
        announcements=sources.announcements,
        exports=sources.exports,
        site=sources.site,
        today=today,
        data_folder=folder / "data",
    )
    translators = {t.language: t for t in sources.catalogs.all()}
    files = {
        "data/figures.json": figures_json(content, [translators[lang] for lang in SITE_LANGUAGES]),
    }
    for language in SITE_LANGUAGES:
        files.update(await _language_files(sources, content, translators, language))
    await asyncio.to_thread(write_tree, folder, files)
    return len(files) + OPEN_DATA_FILES


async def _language_files(
    sources: SiteSources, content: SiteContent, translators: dict[str, Translator], language: str
) -> dict[str, bytes]:
    t = translators[language]
    other = translators[next(lang for lang in SITE_LANGUAGES if lang != language)]
    here = folder_of(language)
    up = "../" * here.count("/")
    svg = await sources.charts.svg(content.snapshot, t)
    page = render_page(
        t,
        content,
        svg=svg,
        methodology_html=methodology_html(read_methodology(sources.methodology_folder, language)),
        other=other,
        other_href=f"{up}{folder_of(other.language)}index.html",
        data_prefix=up,
        site_name=sources.site_name,
    )
    feed = releases_feed(
        content, t, page="index.html", self_href=FEED_FILE, site_name=sources.site_name
    )
    return {f"{here}index.html": page.encode("utf-8"), f"{here}{FEED_FILE}": feed}


async def build_site(sources: SiteSources, target: Path, today: dt.date) -> int:
    """Build into a new folder beside `target`, then swap it in; the number of files."""
    staging = await asyncio.to_thread(staging_for, target)
    try:
        written = await write_site(sources, staging, today)
        await asyncio.to_thread(swap_in, staging, target)
    finally:
        await asyncio.to_thread(discard, staging)
    return written
