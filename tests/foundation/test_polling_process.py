"""`python -m bot` reaches getMe and polls a Bot API given by TELEGRAM_BASE_URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from fake_telegram import FakeTelegramServer
from services.settings import Settings
from tests.harness import PROCESS_KEY

ROOT = Path(__file__).resolve().parents[2]


def test_run_command_polls_the_configured_bot_api(tmp_path: Path) -> None:
    with FakeTelegramServer() as server:
        env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "BOT_TOKEN": "123456:TEST",
                "ENCRYPTION_KEY": PROCESS_KEY,
                "DATABASE_PATH": str(tmp_path / "vigia.db"),
                "TELEGRAM_BASE_URL": f"{server.base_url}",
                "TELEGRAM_BASE_FILE_URL": f"{server.base_file_url}",
            }
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert server.wait_for_call("getMe", timeout=60)
            assert server.wait_for_call("getUpdates", timeout=60)
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        assert "Traceback" not in output


_SETTING_NAMES = {name.upper() for name in Settings.model_fields}
