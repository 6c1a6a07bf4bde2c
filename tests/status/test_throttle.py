"""Guessing receipt codes is throttled per user, in the database, across restarts."""

from __future__ import annotations

import datetime as dt

from tests.harness import BotHarness
from tests.status.helpers import file_report

WRONG = "/estado 0000 0000 0000 0000"


async def guess_wrong(harness: BotHarness, times: int) -> None:
    for _ in range(times):
        await harness.rig.send_text(harness.people.stranger, WRONG)


async def test_the_fifth_wrong_code_locks_the_user_out_for_minutes(harness: BotHarness) -> None:
    stranger = harness.people.stranger
    await guess_wrong(harness, 4)
    assert "Inténtalo de nuevo" not in harness.fake.last_text(stranger.id)
    await guess_wrong(harness, 1)
    assert "Inténtalo de nuevo en 15 minutos" in harness.fake.last_text(stranger.id)


async def test_a_right_code_is_refused_while_locked_out(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    stranger = harness.people.stranger
    await guess_wrong(harness, 5)
    harness.clock.advance(dt.timedelta(minutes=5))
    await harness.rig.send_text(stranger, f"/estado {filed.receipt_code}")
    text = harness.fake.last_text(stranger.id)
    assert "Inténtalo de nuevo en 10 minutos" in text
    assert "recibido" not in text


async def test_the_lockout_survives_a_restart(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    await guess_wrong(harness, 5)
    await harness.restart()
    stranger = harness.people.stranger
    await harness.rig.send_text(stranger, f"/estado {filed.receipt_code}")
    assert "Inténtalo de nuevo en 15 minutos" in harness.fake.last_text(stranger.id)


async def test_failures_before_a_restart_still_count(harness: BotHarness) -> None:
    await guess_wrong(harness, 3)
    await harness.restart()
    await guess_wrong(harness, 2)
    assert "Inténtalo de nuevo" in harness.fake.last_text(harness.people.stranger.id)


async def test_the_lockout_ends_and_codes_work_again(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    await guess_wrong(harness, 5)
    harness.clock.advance(dt.timedelta(minutes=15, seconds=1))
    stranger = harness.people.stranger
    await harness.rig.send_text(stranger, f"/estado {filed.receipt_code}")
    assert "Reporte: recibido" in harness.fake.last_text(stranger.id)


async def test_wrong_codes_spread_over_more_than_ten_minutes_do_not_lock(
    harness: BotHarness,
) -> None:
    await guess_wrong(harness, 4)
    harness.clock.advance(dt.timedelta(minutes=11))
    await guess_wrong(harness, 4)
    assert "Inténtalo de nuevo" not in harness.fake.last_text(harness.people.stranger.id)


async def test_the_lockout_is_per_user(harness: BotHarness) -> None:
    filed = await file_report(harness, harness.people.family_es)
    await guess_wrong(harness, 5)
    other = harness.people.family_en
    await harness.rig.send_text(other, f"/status {filed.receipt_code}")
    assert "Report: received" in harness.fake.last_text(other.id)


async def test_the_lockout_message_is_in_english_for_english_users(harness: BotHarness) -> None:
    user = harness.people.family_en
    for _ in range(5):
        await harness.rig.send_text(user, "/status 1111 2222 3333 4444")
    assert "Please try again in 15 minutes" in harness.fake.last_text(user.id)
