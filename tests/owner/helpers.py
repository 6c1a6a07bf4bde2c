"""Steps shared by the owner-view tests: setting a PIN as a family types it, and
reading everything the bot said to a chat since a moment."""

from __future__ import annotations

import datetime as dt
import json

from fake_telegram import FakeUser
from tests.harness import BotHarness

PIN = "4817"
DURESS = "2958"


async def say(harness: BotHarness, user: FakeUser, text: str) -> None:
    harness.clock.advance(dt.timedelta(seconds=2))
    await harness.rig.send_text(user, text)


async def set_pin(harness: BotHarness, user: FakeUser, pin: str = PIN) -> None:
    """`/pin` on a chat without one: the PIN, then the PIN again."""
    await say(harness, user, "/pin")
    await say(harness, user, pin)
    await say(harness, user, pin)


def said_since(harness: BotHarness, chat_id: int, cursor: int) -> str:
    """Every request the bot made to this chat after `cursor` (and every callback
    answer), as one string: texts, captions, buttons, alerts."""
    calls = harness.fake.calls_since(cursor)
    return "\n".join(
        json.dumps(call.params, ensure_ascii=False, default=str)
        for call in calls
        if call.chat_id == chat_id or call.method.lower() == "answercallbackquery"
    )


def last(harness: BotHarness, chat_id: int) -> str:
    return harness.fake.last_text(chat_id)
