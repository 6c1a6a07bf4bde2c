"""`python -m bot` reaches getMe and polls a Bot API given by TELEGRAM_BASE_URL."""

from __future__ import annotations

import signal
from pathlib import Path

from fake_telegram import FakeTelegramServer
from tests.bot.process import polling_bot
from tests.harness import PROCESS_KEY


def test_run_command_polls_the_configured_bot_api(tmp_path: Path) -> None:
    with FakeTelegramServer() as server:
        process = polling_bot(server, tmp_path / "vigia.db", PROCESS_KEY)
        try:
            assert server.wait_for_call("getMe", timeout=60)
            assert server.wait_for_call("getUpdates", timeout=60)
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        assert "Traceback" not in output
