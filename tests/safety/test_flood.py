"""Flood control: more than 20 updates in 10 seconds earn one notice and 30 s of silence."""

from __future__ import annotations

import datetime as dt

from services.flood import FloodGate, Verdict
from tests.harness import BotHarness

SLOW_DOWN = "más rápido de lo que puedo leerlos"


async def flood(harness: BotHarness, count: int) -> None:
    for _ in range(count):
        await harness.rig.send_text(harness.people.family_es, "/ayuda")


async def test_the_21st_update_in_10_seconds_gets_one_polite_notice(harness: BotHarness) -> None:
    user = harness.people.family_es
    await flood(harness, 20)
    assert len(harness.fake.calls("sendMessage", chat_id=user.id)) == 20
    calls = await harness.rig.send_text(user, "/ayuda")
    assert [call.method for call in calls] == ["sendMessage"]
    assert SLOW_DOWN in calls[0].params["text"]
    for _ in range(5):
        assert await harness.rig.send_text(user, "/ayuda") == []


async def test_a_paused_user_is_heard_again_after_30_seconds(harness: BotHarness) -> None:
    user = harness.people.family_es
    await flood(harness, 21)
    harness.clock.advance(dt.timedelta(seconds=29))
    assert await harness.rig.send_text(user, "/ayuda") == []
    harness.clock.advance(dt.timedelta(seconds=2))
    await harness.rig.send_text(user, "/ayuda")
    assert "Lo que puedo hacer" in harness.fake.last_text(user.id)


async def test_a_human_pace_is_never_paused(harness: BotHarness) -> None:
    user = harness.people.family_es
    for _ in range(40):
        harness.clock.advance(dt.timedelta(milliseconds=600))
        await harness.rig.send_text(user, "/ayuda")
    texts = [call.params["text"] for call in harness.fake.calls("sendMessage", chat_id=user.id)]
    assert len(texts) == 40 and not any(SLOW_DOWN in text for text in texts)


async def test_one_persons_flood_does_not_silence_another(harness: BotHarness) -> None:
    await flood(harness, 25)
    other = harness.people.family_en
    await harness.rig.send_text(other, "/help")
    assert "What I can do" in harness.fake.last_text(other.id)


async def test_a_paused_users_button_presses_are_ignored_too(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/idioma")
    await flood(harness, 20)
    assert await harness.rig.press_button(user, "English") == []
    assert await harness.services.prefs.language(user.id) is None


async def test_messages_sent_while_paused_can_still_be_wiped(harness: BotHarness) -> None:
    user = harness.people.family_es
    await flood(harness, 25)
    harness.clock.advance(dt.timedelta(seconds=31))
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    visible = [m.body for m in harness.fake.messages(user.id) if not m.deleted]
    assert visible == ["Listo."]


def test_the_gate_remembers_a_bounded_number_of_people() -> None:
    gate = FloodGate(max_users=100)
    for user_id in range(1000):
        assert gate.check(user_id, now=0.0) is Verdict.ALLOW
    assert len(gate) == 100
