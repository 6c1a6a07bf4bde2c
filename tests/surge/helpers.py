"""A desk under Telegram's real limits: the fake's budgets on, the shipped rate limiter.

The bot starts with the unit tests' settings (no overall or private-chat budget) so a
family can walk to its summary without a second of real time per message; then it is
restarted, as after a redeploy, with the shipped TELEGRAM_RATE_LIMIT, and the fake Bot
API starts enforcing Telegram's budgets (fake_telegram/limits.py).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from fake_telegram import FakeTelegram, TelegramLimits
from services.settings import Settings
from services.staff_notices import notify_staff
from storage.outbox import OutboxRow
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report

GROUP = MODERATION_CHAT_ID
SHIPPED_RATE = Settings.model_fields["telegram_rate_limit"].default
_RANGE = re.compile(r"#(\d+)(?:–#(\d+))?")


async def under_telegram_limits(harness: BotHarness) -> None:
    """Restart with the shipped rate limiter and turn on the fake's limits."""
    harness.settings = harness.settings.model_copy(update={"telegram_rate_limit": SHIPPED_RATE})
    await harness.restart()
    harness.fake.limit(TelegramLimits())


async def queue_reports(harness: BotHarness, count: int, *, urgent_every: int = 0) -> list[int]:
    """`count` stored reports whose staff notices wait in the outbox; their ids."""
    ids = []
    for index in range(count):
        urgent = urgent_every > 0 and index % urgent_every == 0
        report = await file_report(
            harness, name=f"Persona {index}", whereabouts="unknown" if urgent else "helicoide"
        )
        await notify_staff(harness.services, report)
        ids.append(report.id)
    return ids


def announced(harness: BotHarness | FakeTelegram, chat_id: int = GROUP) -> list[int]:
    """Every report number the bot's messages in `chat_id` announced, ranges expanded,
    once per time it was announced (only the first line of each: the title)."""
    fake = harness.fake if isinstance(harness, BotHarness) else harness
    seen: list[int] = []
    for message in fake.bot_messages(chat_id):
        title = message.body.split("\n", 1)[0]
        for match in _RANGE.finditer(title):
            low = int(match.group(1))
            seen.extend(range(low, int(match.group(2) or low) + 1))
    return seen


async def pending_notices(harness: BotHarness, chat_id: int = GROUP) -> list[OutboxRow]:
    outbox = harness.services.outbox
    return await outbox.staff_backlog(outbox.chat_key(chat_id), 10_000)


def refused(harness: BotHarness) -> int:
    """How many requests the fake answered with 429."""
    limits = harness.fake.rate_limits
    return limits.refused if limits is not None else 0


async def until(condition: Callable[[], object], seconds: float = 10.0) -> None:
    """Wait for something the background outbox worker does; fail after `seconds`."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("it did not happen in time")
