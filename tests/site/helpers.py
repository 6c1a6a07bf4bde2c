"""Building the site beside the running bot, as the SITE_DIR job and the command do."""

from __future__ import annotations

import re
from pathlib import Path

from bot.site import sources_of
from domain.dates import local_today
from services.site.build import build_site
from tests.harness import BotHarness

FIGURE = re.compile(r'data-figure="([^"]+)">([^<]*)<')


async def build(harness: BotHarness, target: Path) -> Path:
    services = harness.services
    today = local_today(services.clock.now(), services.catalogs.get("es").timezone)
    await build_site(sources_of(services), target, today)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (hidden entries aside)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(".")
    }


def page_figures(html: str) -> dict[str, str]:
    """The figures a page shows, by key, as printed."""
    return dict(FIGURE.findall(html))


def leftovers(parent: Path) -> list[str]:
    """Build or swap folders left beside the sites in `parent` (hidden, `.NAME.new-…`)."""
    return sorted(entry.name for entry in parent.iterdir() if entry.name.startswith("."))
