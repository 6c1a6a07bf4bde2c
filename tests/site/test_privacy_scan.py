"""Private by construction: a site built from a database seeded with known secrets
holds none of them, in any file it wrote, and makes no request to another host."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import BotHarness
from tests.site.helpers import build, tree
from tests.site.seeding import seed_through_the_bot

# Where a page could make the browser fetch something.
FETCHING = re.compile(
    r"<(?:script|img|iframe|object|embed|video|audio|source)\b|@import|url\((?!#)|"
    r"<link[^>]+href=\"(?:[a-z]+:)?//|\bsrc=",
    re.IGNORECASE,
)


async def test_no_file_of_the_site_holds_a_secret_of_the_database(
    harness: BotHarness, tmp_path: Path
) -> None:
    seeded = await seed_through_the_bot(harness)
    files = tree(await build(harness, tmp_path / "site"))
    assert set(files) >= {"index.html", "en/index.html", "data/cases.csv", "releases.xml"}
    for name, data in files.items():
        text = data.decode("utf-8").casefold()
        for secret in seeded.secrets:
            assert secret.casefold() not in text, f"{name} publishes {secret!r}"
    # The consented case is published by name, with its release; the source of the
    # announcement is shown, escaped.
    spanish = files["index.html"].decode()
    assert seeded.consented_name in spanish
    assert "Ministerio &lt;b&gt;Interior&lt;/b&gt;" in spanish
    assert "Prohibición de salida del país" in spanish


async def test_the_pages_fetch_nothing_and_need_no_script(
    harness: BotHarness, tmp_path: Path
) -> None:
    await seed_through_the_bot(harness)
    files = tree(await build(harness, tmp_path / "site"))
    for name in ("index.html", "en/index.html"):
        page = files[name].decode()
        assert FETCHING.search(page) is None, FETCHING.search(page)
        assert "<svg" in page
