"""`python -m bot figures --from-csv`: the public export alone gives /cifras's figures."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.figures_command import figures_from_file
from services.figures_text import plain_text
from tests.broadcast.helpers import sent_document
from tests.figures.dataset import seed
from tests.harness import BotHarness

TODAY = "2026-01-12"
AWAITING = ("⏳",)


async def public_file(harness: BotHarness, tmp_path: Path) -> Path:
    await harness.rig.send_text(harness.people.admin, "/exportar csv public")
    _, data = sent_document(harness, harness.people.admin.id)
    path = tmp_path / "public.csv"
    path.write_bytes(data)
    return path


async def cifras(harness: BotHarness, spanish: bool) -> str:
    """What /cifras shows, without the HTML and the line of reports awaiting verification
    (reports are not case data)."""
    user = harness.people.family_es if spanish else harness.people.family_en
    await harness.rig.send_text(user, "/cifras" if spanish else "/figures")
    text = plain_text(str(harness.fake.calls("sendMessage", user.id)[-1].params["text"]))
    return "\n".join(line for line in text.splitlines() if not line.startswith(AWAITING))


@pytest.mark.parametrize("language", ["es", "en"])
async def test_the_public_file_gives_the_same_figures_as_cifras(
    harness: BotHarness, tmp_path: Path, language: str
) -> None:
    await seed(harness)
    path = await public_file(harness, tmp_path)
    recomputed = figures_from_file(path, language, TODAY)
    assert recomputed == await cifras(harness, spanish=language == "es")
    deaths = "Muertes bajo custodia: 1" if language == "es" else "Deaths in custody: 1"
    assert deaths in recomputed


async def test_the_command_needs_no_database_no_key_and_no_settings(
    harness: BotHarness, tmp_path: Path
) -> None:
    await seed(harness)
    path = await public_file(harness, tmp_path)
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("ENCRYPTION_KEY", "BOT_TOKEN", "DATABASE_PATH")
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "figures", "--from-csv", str(path), "--lang", "en",
        "--as-of", TODAY,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=tmp_path,
        env=environment,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == await cifras(harness, spanish=False)
    assert "<b>" not in out.decode()


def test_an_unreadable_file_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("state,detained_on\ndetained,2026-01-02\nfreed,2026-01-03\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "figures", "--from-csv", str(path)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "row 3" in result.stderr
