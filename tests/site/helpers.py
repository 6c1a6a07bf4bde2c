"""Building the site beside the running bot, as the SITE_DIR job and the command do."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.site import sources_of
from domain.dates import local_today
from services.site.builder import build_site
from tests.harness import BotHarness

FIGURE = re.compile(r'data-figure="([^"]+)">([^<]*)<')
BOLD = re.compile(r"<b>([\d.,\s]+)</b>")
ANNOUNCED = ("anunciaron", "announced")


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


async def settled_leftovers(parent: Path, seconds: float = 10.0) -> list[str]:
    """`leftovers` once the site worker has removed the site its last build replaced (it
    does so just after answering the bot), or after `seconds`."""
    for _ in range(int(seconds / 0.02)):
        if not (found := leftovers(parent)):
            return found
        await asyncio.sleep(0.02)
    return leftovers(parent)


def leftovers(parent: Path) -> list[str]:
    """Build or swap folders left beside the sites in `parent` (hidden, `.NAME.new-…`)."""
    return sorted(entry.name for entry in parent.iterdir() if entry.name.startswith("."))


async def cifras_counts(harness: BotHarness, spanish: bool) -> list[str]:
    """Every count /cifras shows, in order, but the reports awaiting verification and
    the announcements (the site shows those in a table of their own)."""
    user = harness.people.family_es if spanish else harness.people.family_en
    await harness.rig.send_text(user, "/cifras" if spanish else "/figures")
    text = str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])
    lines = [
        line for line in text.splitlines()
        if not line.startswith("⏳") and not any(word in line for word in ANNOUNCED)
    ]  # fmt: skip
    return [count for line in lines for count in BOLD.findall(line)]
