"""`python -m bot demo` run next to a production `.env` never opens the production
database: it keeps its own temporary store and says so."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.bot.test_settings import ROOT
from tests.harness import PROCESS_KEY, BotHarness, make_settings
from tests.safety.helpers import report_through_intake

SCRIPT = "/start\n/as moderator\n/queue\n"


def digest(path: Path) -> str:
    data = b"".join(
        candidate.read_bytes()
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )
    return hashlib.sha256(data).hexdigest()


async def production_with_a_report(production: Path) -> None:
    bot = BotHarness(
        make_settings(production.parent, database_path=production, encryption_key=PROCESS_KEY)
    )
    await bot.start()
    await report_through_intake(bot, bot.people.family_en)
    await bot.stop()


def test_the_demo_beside_a_production_env_leaves_production_alone(tmp_path: Path) -> None:
    production = tmp_path / "data" / "vigia.db"
    asyncio.run(production_with_a_report(production))
    before = digest(production)
    (tmp_path / ".env").write_text(
        f"DATABASE_PATH={production}\nENCRYPTION_KEY={PROCESS_KEY}\nADMIN_IDS=900001\n"
    )
    (tmp_path / "script.txt").write_text(SCRIPT)
    # The deployment's settings come from the .env beside it, as with `make demo`.
    kept = ("PATH", "HOME", "LANG", "TMPDIR")
    clean = {key: value for key, value in os.environ.items() if key in kept}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--script", "script.txt"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "DATABASE_PATH and ENCRYPTION_KEY are not used" in result.stderr
    # The production report is not in the demo's queue, and its file did not change.
    assert "Pedro Pérez" not in result.stdout
    assert digest(production) == before
    with sqlite3.connect(production) as conn:
        assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 1
    assert not list(tmp_path.glob("demo.db*"))
