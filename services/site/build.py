"""One build of the site: read what is published, write every file, swap it into place.

The Spanish page is `index.html`, the English one `en/index.html`; each language has
its feed beside its page; the open data is in `data/`. The same database on the same
day gives byte-identical files (`tests/site/test_determinism.py`), whether the open
data was written whole or patched from the last build (`services/site/builder.py`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from domain.figures import FiguresSnapshot
from domain.i18n import Catalogs, Translator
from services.site.content import SiteContent
from services.site.feed import FEED_FILE, releases_feed
from services.site.figures_list import figures_json
from services.site.methodology import methodology_html, read_methodology
from services.site.output import write_tree
from services.site.page import render_page
from storage.announcements import Announcements
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.site import SiteStore

ROOT_LANGUAGE = "es"
SITE_LANGUAGES = ("es", "en")


class Charts(Protocol):
    """What draws the site's chart: the bot's chart worker, or matplotlib in the site
    worker's own process (`services.chart`)."""

    async def svg(self, snapshot: FiguresSnapshot, t: Translator) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SiteSources:
    """What a build reads; `methodology_folder` is the data folder with the NGO's
    Markdown files (None: the defaults)."""

    figures: FiguresStore
    announcements: Announcements
    exports: CaseExports
    site: SiteStore
    charts: Charts
    catalogs: Catalogs
    methodology_folder: Path | None
    site_name: str


def folder_of(language: str) -> str:
    """Where a language's page lives, relative to the site's root."""
    return "" if language == ROOT_LANGUAGE else f"{language}/"


async def write_pages(sources: SiteSources, content: SiteContent, folder: Path) -> int:
    """Every file of the site but the open data into `folder`; how many were written."""
    translators = {t.language: t for t in sources.catalogs.all()}
    files = {
        "data/figures.json": figures_json(content, [translators[lang] for lang in SITE_LANGUAGES]),
    }
    for language in SITE_LANGUAGES:
        files.update(await _language_files(sources, content, translators, language))
    await asyncio.to_thread(write_tree, folder, files)
    return len(files)


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
