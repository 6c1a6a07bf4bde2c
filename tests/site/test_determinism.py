"""The same database gives byte-identical files: in one process, in another (`python
-m bot site`), and after a rebuild; so an NGO can publish the folder through git."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.figures.dataset import seed
from tests.harness import TEST_KEY, BotHarness
from tests.site.helpers import build, leftovers, tree
from tests.site.seeding import seed_through_the_bot


async def test_building_twice_gives_the_same_bytes(harness: BotHarness, tmp_path: Path) -> None:
    await seed(harness)
    await seed_through_the_bot(harness)
    first = tree(await build(harness, tmp_path / "one"))
    (tmp_path / "two" / ".git").mkdir(parents=True)
    (tmp_path / "two" / "index.html").write_text("an older site")
    (tmp_path / "two" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    second = tree(await build(harness, tmp_path / "two"))
    assert first == second
    # The folder's git repository survives the swap.
    assert (tmp_path / "two" / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert leftovers(tmp_path) == []


async def test_the_command_writes_the_same_site(harness: BotHarness, tmp_path: Path) -> None:
    await seed(harness)
    expected = tree(await build(harness, tmp_path / "in-process"))
    environment = {
        **{name: value for name, value in os.environ.items() if name != "BOT_TOKEN"},
        "DATABASE_PATH": str(harness.settings.database_path),
        "ENCRYPTION_KEY": TEST_KEY,
    }
    target = tmp_path / "command"
    process = await asyncio.create_subprocess_exec(
        # The harness's day: figures are as of the day they are built.
        sys.executable, "-m", "bot", "site", str(target), "--as-of", "2026-01-12",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=tmp_path,
        env=environment,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    assert "(7 archivos)" in out.decode()  # DEFAULT_LANGUAGE is Spanish here
    assert tree(target) == expected


async def test_a_folder_that_is_not_a_site_is_left_alone(
    harness: BotHarness, tmp_path: Path
) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "letter.txt").write_text("keep me")
    process = await asyncio.create_subprocess_exec(
        # The harness's day: figures are as of the day they are built.
        sys.executable, "-m", "bot", "site", str(target), "--as-of", "2026-01-12",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=tmp_path,
        env={**os.environ, "DATABASE_PATH": str(harness.settings.database_path),
             "ENCRYPTION_KEY": TEST_KEY},
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 1
    assert "holds no index.html" in err.decode()
    assert (target / "letter.txt").read_text() == "keep me"
