"""Hardening: what families type never breaks a formatted message, wherever it shows."""

from __future__ import annotations

import datetime as dt

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, verify_as_moderator

HOSTILE = FakeUser(id=2201, first_name="<b>Eve</b>", language_code="en")
NAME = "Ana <b>Pérez</b> & <i>Co</i> </code>"
STORY = ("<a href='x'>click</a> & <tg-spoiler>" * 60)[:2000]


async def test_hostile_text_is_escaped_in_every_message_that_shows_it(
    harness: BotHarness,
) -> None:
    code = await report_through_intake(
        harness, HOSTILE, name=NAME, cedula="V-12.345.678", story=STORY, relation="<u>me</u>"
    )
    await verify_as_moderator(harness, code)
    await grant_moderator(harness)
    moderator = harness.people.moderator
    steps = [
        (HOSTILE, f"/status {code}"),
        (HOSTILE, "/myreports"),
        (HOSTILE, "/privacy"),
        (moderator, f"/case {code.replace(' ', '')}"),
        (moderator, "/queue"),
    ]
    for user, text in steps:
        harness.clock.advance(dt.timedelta(seconds=2))
        await harness.rig.send_text(user, text)
    failed = [call for call in harness.fake.calls() if not call.ok]
    assert failed == []
    shown = [m.body for m in harness.fake.messages(HOSTILE.id) if m.from_bot]
    shown += [m.body for m in harness.fake.messages(moderator.id) if m.from_bot]
    assert not any("Something went wrong" in body for body in shown)
    assert any("Ana &lt;b&gt;Pérez&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;" in b for b in shown)


async def test_forged_safety_buttons_do_nothing(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    message = harness.fake.last_bot_message(user.id)
    for data in ("safety:after:keep:abc", "safety:after:zzz", "safety:priv:contact:-1"):
        await harness.rig.press(user, message.message_id, data)
    assert not harness.fake.calls("deleteMessages")
    assert all(not m.deleted for m in harness.fake.messages(user.id))
