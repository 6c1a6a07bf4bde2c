"""A real `python -m bot` in a subprocess, with only the settings a test gives it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fake_telegram import FakeTelegramServer
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


def polling_bot(
    server: FakeTelegramServer, database: Path, key: str, **settings: str
) -> subprocess.Popen[str]:
    """A real `python -m bot` polling `server`, on `database`; its output in `stdout`."""
    env = bot_env(
        {
            "BOT_TOKEN": "123456:TEST",
            "ENCRYPTION_KEY": key,
            "DATABASE_PATH": str(database),
            "TELEGRAM_BASE_URL": server.base_url,
            "TELEGRAM_BASE_FILE_URL": server.base_file_url,
            **settings,
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Until `condition` holds; fails if the bot exits first or 90 s pass."""
    deadline = time.monotonic() + 90
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the bot exited early:\n{output}")
        if time.monotonic() > deadline:
            raise AssertionError("the bot did not get there in time")
        time.sleep(0.02)
