"""The layer contracts hold, and a wrong import breaks them with the import named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "storage", "services", "handlers", "bot", "fake_telegram", "demo")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(target: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_storage_importing_a_service_fails_with_the_import_named(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    cases = tmp_path / "storage" / "cases.py"
    source = cases.read_text(encoding="utf-8")
    cases.write_text(
        source.replace("import aiosqlite\n", "import aiosqlite\n\nfrom services import desk\n", 1),
        encoding="utf-8",
    )
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "storage is not allowed to import services" in result.stdout
    assert "storage.cases -> services.desk" in result.stdout


def test_a_handler_importing_the_wiring_fails(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    menu = tmp_path / "handlers" / "menu.py"
    menu.write_text(menu.read_text(encoding="utf-8") + "\nimport bot.app  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "handlers.menu -> bot.app" in result.stdout
