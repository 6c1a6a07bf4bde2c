"""Headless Chromium from the system packages, driven by its command line: dump the
DOM after scripts ran, or take a screenshot. No driver and no network."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "run .ci/browser-tools (apt-get install chromium; npm install axe-core)"
TIMEOUT = 120


def chromium() -> str:
    """The browser's path, or the test skips and says why."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.skip(f"no Chromium on this machine: {INSTALL}")


def axe_script() -> Path:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed in {AXE.parent}: {INSTALL}")
    return AXE


def _run(page: Path, width: int, profile: Path, *flags: str) -> bytes:
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--hide-scrollbars", "--allow-file-access-from-files", f"--user-data-dir={profile}",
        f"--window-size={width},900",
        # Any request to another host fails: the page must not need one.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
        *flags, page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


def dump_dom(page: Path, width: int, profile: Path) -> str:
    """The DOM once the page loaded and its scripts had 10 s of (virtual) time."""
    return _run(page, width, profile, "--virtual-time-budget=10000", "--dump-dom").decode()


def screenshot(page: Path, width: int, target: Path, profile: Path) -> Path:
    """The whole page at `width` CSS pixels, as PNG."""
    _run(page, width, profile, f"--screenshot={target}", "--window-size=" + f"{width},4000")
    return target
