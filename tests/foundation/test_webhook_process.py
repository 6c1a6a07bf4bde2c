"""With WEBHOOK_URL set, `python -m bot` registers the webhook and checks the secret header."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fake_telegram import FakeTelegramServer, FakeUser
from fake_telegram.updates import text_update
from services.settings import Settings
from tests.harness import PROCESS_KEY

ROOT = Path(__file__).resolve().parents[2]
SECRET = "0S-vBT7ersfq-XYJ8j4QxCjHiSIZg0_gI8RVz-dcWqE"  # python -m bot genkey
FAMILY = FakeUser(id=4242, first_name="Rosa", language_code="es")


def test_webhook_mode_registers_and_rejects_a_wrong_secret(tmp_path: Path) -> None:
    port = _free_port()
    with FakeTelegramServer() as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=_environment(server, tmp_path, port),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            registered = server.wait_for_call("setWebhook", timeout=60)
            assert registered is not None
            assert registered.params["url"] == "https://vigia.example.org/hook"
            assert registered.params["secret_token"] == SECRET

            update = text_update(server.fake, FAMILY, "/start")
            assert _post(port, update, secret="wrong") == 403
            assert _post(port, update, secret=None) == 403
            assert server.calls("sendMessage", chat_id=FAMILY.id) == []

            assert _post(port, update, secret=SECRET) == 200
            assert server.wait_for_call("sendMessage", timeout=30)
            assert server.calls("sendMessage", chat_id=FAMILY.id)
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        assert "Traceback" not in output
        assert "Rosa" not in output


def _environment(server: FakeTelegramServer, tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": "123456:TEST",
            "ENCRYPTION_KEY": PROCESS_KEY,
            "DATABASE_PATH": str(tmp_path / "vigia.db"),
            "TELEGRAM_BASE_URL": server.base_url,
            "TELEGRAM_BASE_FILE_URL": server.base_file_url,
            "WEBHOOK_URL": "https://vigia.example.org",
            "WEBHOOK_PATH": "hook",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET_TOKEN": SECRET,
        }
    )
    return env


def _post(port: int, update: dict[str, object], *, secret: str | None) -> int:
    """POST an update as Telegram would; retried while the webhook server is starting."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = json.dumps(update).encode()
    deadline = time.monotonic() + 30
    while True:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/hook", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_SETTING_NAMES = {name.upper() for name in Settings.model_fields}
