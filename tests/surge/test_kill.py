"""The staff queue survives kill -9: a real `python -m bot`, killed and started again."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from fake_telegram import FakeTelegram, FakeTelegramServer, TelegramLimits
from tests.bot.process import polling_bot, wait_until
from tests.harness import MODERATION_CHAT_ID, TEST_KEY, BotHarness
from tests.surge.helpers import GROUP, announced, queue_reports


async def test_notices_queued_before_a_kill_9_are_all_delivered_once_after_it(
    desk: BotHarness,
) -> None:
    # Thirty families' reports are stored; their notices wait in the staff lane.
    await desk.services.outbox_worker.stop()
    ids = await queue_reports(desk, 30)
    await desk.stop()
    fake = FakeTelegram(limits=TelegramLimits())
    fake.register_chat(GROUP, title="Moderación")
    # The group has had its twenty messages this minute.
    for _ in range(20):
        assert fake.handle("sendMessage", {"chat_id": GROUP, "text": "hi"}).status == 200
    output = _kill_then_restart(fake, desk.settings.database_path, len(ids))
    assert "Traceback" not in output
    assert sorted(announced(fake)) == ids  # every report told of, none twice


def _kill_then_restart(fake: FakeTelegram, database: Path, expected: int) -> str:
    """The bot killed at its first 429 from the group, then started again until every
    report is announced; the second run's output."""
    limits = fake.rate_limits
    assert limits is not None
    with FakeTelegramServer(fake) as server:
        first = _bot(server, database)
        try:
            # The bot tries the group, Telegram says 429: killed right then, no goodbye.
            wait_until(lambda: limits.refused_by_chat.get(GROUP, 0) >= 1, first)
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=60)
        assert announced(fake) == []
        second = _bot(server, database)
        try:
            wait_until(lambda: len(announced(fake)) >= expected, second)
            time.sleep(0.5)  # anything sent twice would show now
        finally:
            second.send_signal(signal.SIGINT)
            output, _ = second.communicate(timeout=60)
    assert second.returncode == 0, output
    return output


def _bot(server: FakeTelegramServer, database: Path) -> subprocess.Popen[str]:
    return polling_bot(server, database, TEST_KEY, MODERATION_CHAT_ID=str(MODERATION_CHAT_ID))
