"""A family's answers survive a crash within seconds (issues 15 and 22).

A real `python -m bot`, polling a fake Bot API over loopback with its own persistence
loop (nothing forces a save): a family starts a report and gives the person's name,
the bot is killed with SIGKILL a few seconds later, without a goodbye. Started again,
it takes the family's next answer as the next step of the same report, and the
summary before Confirm holds the name given before the kill. A persistence interval
of minutes, or none, fails here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.walk import Step, detention_walk, person_name, step_update
from fake_telegram import FakeTelegramServer, FakeUser
from services.settings import Settings
from tests.harness import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]
_SETTING_NAMES = {name.upper() for name in Settings.model_fields}
FAMILY = FakeUser(id=2301, first_name="Rosa", language_code="en")
INDEX = 7
# Before the kill: /report, "A detention", the name. The bot's persistence loop saves
# every 2 seconds; the kill comes this long after the name was answered.
BEFORE_KILL = 3
KILL_AFTER_SECONDS = 5.0


def test_a_draft_answered_seconds_before_a_kill_9_is_there_after_it(tmp_path: Path) -> None:
    steps = detention_walk(INDEX)
    database = tmp_path / "vigia.db"
    with FakeTelegramServer() as server:
        first = _bot(server, database)
        try:
            for step in steps[:BEFORE_KILL]:
                _answer(server, step, first)
            time.sleep(KILL_AFTER_SECONDS)
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=60)
        second = _bot(server, database)
        try:
            # The cédula, then every answer up to the summary: each finds its question.
            for step in steps[BEFORE_KILL:-1]:
                _answer(server, step, second)
            summary = server.fake.bot_messages(FAMILY.id)[-1].body
        finally:
            second.send_signal(signal.SIGINT)
            output, _ = second.communicate(timeout=60)
    assert person_name(INDEX) in summary, summary
    assert f"V-{20_000_000 + INDEX}" in summary.replace(".", "")
    assert second.returncode == 0, output


def _answer(server: FakeTelegramServer, step: Step, process: subprocess.Popen[str]) -> None:
    """Send one step and wait until the bot has finished answering it."""
    before = len(server.calls(chat_id=FAMILY.id))
    server.enqueue_update(step_update(server.fake, FAMILY, step))
    _wait(lambda: len(server.calls(chat_id=FAMILY.id)) > before, process)
    settled = -1
    while settled != len(server.calls(chat_id=FAMILY.id)):
        settled = len(server.calls(chat_id=FAMILY.id))
        time.sleep(0.3)


def _bot(server: FakeTelegramServer, database: Path) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key.upper() not in _SETTING_NAMES}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": "123456:TEST",
            "ENCRYPTION_KEY": TEST_KEY,
            "DATABASE_PATH": str(database),
            "TELEGRAM_BASE_URL": server.base_url,
            "TELEGRAM_BASE_FILE_URL": server.base_file_url,
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


def _wait(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the bot exited early:\n{output}")
        if time.monotonic() > deadline:
            raise AssertionError("the bot did not answer in time")
        time.sleep(0.02)
