"""A real `python -m bot` in a subprocess, with only the settings a test gives it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from services.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def bot_env(settings: dict[str, str], *, language: str | None = "en") -> dict[str, str]:
    """This process's environment without any Vigía setting, plus `settings`.

    The operator's lines are read in English unless a test names the language
    (`language=None` leaves DEFAULT_LANGUAGE unset: the bot's own default)."""
    env = {key: value for key, value in os.environ.items() if key.upper() not in SETTING_NAMES}
    if language is not None:
        env["DEFAULT_LANGUAGE"] = language
    env.update(settings)
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_bot(
    args: list[str],
    settings: dict[str, str],
    cwd: Path,
    timeout: float = 90,
    *,
    language: str | None = "en",
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=bot_env(settings, language=language),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
