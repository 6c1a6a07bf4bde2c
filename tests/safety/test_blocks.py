"""Abuse: /block quarantines silently, /unblock releases, and a daily cap per chat."""

from __future__ import annotations

import datetime as dt

from tests.harness import BotHarness
from tests.safety.helpers import (
    file_report,
    grant_moderator,
    report_through_intake,
    reports_of,
)


async def test_only_moderators_may_block(harness: BotHarness) -> None:
    stranger, target = harness.people.stranger, harness.people.family_en
    await harness.rig.send_text(stranger, f"/block {target.id}")
    assert harness.fake.last_text(stranger.id) == "Este comando no está disponible."
    assert not await harness.services.blocks.is_blocked(target.id)


async def test_block_without_a_user_id_explains_itself(harness: BotHarness) -> None:
    await grant_moderator(harness)
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, "/block <b>x</b>")
    assert harness.fake.last_text(moderator.id).startswith("Uso: /block")


async def test_a_blocked_users_reports_are_quarantined_without_telling_them(
    harness: BotHarness,
) -> None:
    await grant_moderator(harness)
    moderator, family = harness.people.moderator, harness.people.family_en
    await harness.rig.send_text(moderator, f"/block {family.id}")
    assert "cuarentena" in harness.fake.last_text(moderator.id)
    notices_before = len(harness.fake.bot_messages(moderator.id))
    code = await report_through_intake(harness, family)
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and report.quarantined
    assert len(harness.fake.bot_messages(moderator.id)) == notices_before
    told = " ".join(m.body for m in harness.fake.messages(family.id)).lower()
    assert "block" not in told and "quarantin" not in told


async def test_unblocking_releases_the_quarantined_reports(harness: BotHarness) -> None:
    await grant_moderator(harness)
    moderator, family = harness.people.moderator, harness.people.family_en
    await harness.rig.send_text(moderator, f"/block {family.id}")
    code = await report_through_intake(harness, family)
    await harness.rig.send_text(moderator, f"/unblock {family.id}")
    assert "volvieron a la cola" in harness.fake.last_text(moderator.id)
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and not report.quarantined
    assert not await harness.services.blocks.is_blocked(family.id)


async def test_other_families_are_not_quarantined(harness: BotHarness) -> None:
    await grant_moderator(harness)
    await harness.rig.send_text(harness.people.moderator, f"/block {harness.people.stranger.id}")
    code = await report_through_intake(harness, harness.people.family_en)
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and not report.quarantined


async def test_a_chat_may_file_ten_reports_a_day(harness: BotHarness) -> None:
    family = harness.people.family_en
    for number in range(10):
        await file_report(harness, family, cedula=f"V1000000{number}")
    assert await harness.services.blocks.reports_today(family.id) == 10
    await harness.rig.send_text(family, "/report")
    await harness.rig.press_button(family, "📝 A detention")
    assert "the most it can send in one day" in harness.fake.last_text(family.id)


async def test_the_daily_cap_resets_the_next_day(harness: BotHarness) -> None:
    family = harness.people.family_en
    for number in range(10):
        await file_report(harness, family, cedula=f"V1000000{number}")
    harness.clock.advance(dt.timedelta(days=1))
    assert not await harness.services.blocks.over_daily_cap(family.id)
    await report_through_intake(harness, family, cedula="V20000000")
    assert await harness.services.blocks.reports_today(family.id) == 1


async def test_the_daily_cap_counts_each_chat_apart(harness: BotHarness) -> None:
    for number in range(10):
        await file_report(harness, harness.people.family_en, cedula=f"V1000000{number}")
    assert not await harness.services.blocks.over_daily_cap(harness.people.family_es.id)
