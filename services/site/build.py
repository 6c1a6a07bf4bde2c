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
from services.site.output import publish
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


async def site_files(sources: SiteSources, today: dt.date) -> dict[str, bytes]:
    """Every file of the site as of `today`, by path relative to the site's root."""
    content = await collect(
        figures=sources.figures,
        announcements=sources.announcements,
        exports=sources.exports,
        site=sources.site,
        today=today,
    )
    translators = {t.language: t for t in sources.catalogs.all()}
    files = {
        "data/cases.csv": content.cases_csv,
        "data/cases.json": content.cases_json,
        "data/figures.json": figures_json(content, [translators[lang] for lang in SITE_LANGUAGES]),
    }
    for language in SITE_LANGUAGES:
        files.update(await _language_files(sources, content, translators, language))
    return files


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
    """Build and swap into `target`; the number of files written."""
    files = await site_files(sources, today)
    await asyncio.to_thread(publish, target, files)
    return len(files)
