"""The two-person rule: with VERIFY_QUORUM=2, two different moderators must verify."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.vocabulary import ReportState
from tests.harness import BotHarness, make_settings
from tests.moderation.helpers import file_report, make_staff, say


@pytest.fixture
async def two_person(tmp_path: Path) -> AsyncIterator[BotHarness]:
    bot = BotHarness(make_settings(tmp_path, verify_quorum=2))
    await bot.start()
    await make_staff(bot)
    try:
        yield bot
    finally:
        await bot.stop()


async def _state(harness: BotHarness, report_id: int) -> ReportState:
    snapshot = await harness.services.review.get(report_id)
    assert snapshot is not None
    return snapshot.state


async def test_the_first_verification_waits_for_a_second_moderator(
    two_person: BotHarness,
) -> None:
    report = await file_report(two_person)
    sent = await say(two_person, two_person.people.moderator, f"/verify #{report.id}")
    assert "(1 de 2)" in sent and "Falta 1 moderador" in sent
    assert await _state(two_person, report.id) is ReportState.RECEIVED
    assert await two_person.services.cases.get(1) is None


async def test_a_second_different_moderator_completes_the_verification(
    two_person: BotHarness,
) -> None:
    report = await file_report(two_person)
    await say(two_person, two_person.people.moderator, f"/verify #{report.id}")
    sent = await say(two_person, two_person.people.moderator2, f"/verify #{report.id}")
    assert "C1" in sent
    assert await _state(two_person, report.id) is ReportState.VERIFIED
    assert await two_person.services.cases.get(1) is not None


async def test_the_same_moderator_twice_does_not_count_twice(two_person: BotHarness) -> None:
    report = await file_report(two_person)
    await say(two_person, two_person.people.moderator, f"/verify #{report.id}")
    sent = await say(two_person, two_person.people.moderator, f"/verificar #{report.id}")
    assert "Ya verificaste este reporte" in sent
    assert await _state(two_person, report.id) is ReportState.RECEIVED
    assert await two_person.services.cases.get(1) is None


async def test_the_same_moderator_twice_by_button_does_not_count_twice(
    two_person: BotHarness,
) -> None:
    report = await file_report(two_person)
    mod = two_person.people.moderator
    notice = two_person.fake.add_bot_message(mod.id, text="notice")
    await two_person.rig.press(mod, notice.message_id, f"mod:r:vf:{report.id}:0")
    await two_person.rig.press(mod, notice.message_id, f"mod:r:vf:{report.id}:0")
    assert await _state(two_person, report.id) is ReportState.RECEIVED


async def test_verifications_that_disagree_on_the_case_do_not_verify(
    two_person: BotHarness,
) -> None:
    people = two_person.people
    earlier = await file_report(two_person)
    await say(two_person, people.moderator, f"/verify #{earlier.id}")
    await say(two_person, people.moderator2, f"/verify #{earlier.id}")
    report = await file_report(two_person, reporter=people.family_en)
    await say(two_person, people.moderator, f"/verify #{report.id}")
    sent = await say(two_person, people.moderator2, f"/verify #{report.id} C1")
    assert "as a new case" in sent
    assert await _state(two_person, report.id) is ReportState.RECEIVED


async def test_an_admin_counts_as_one_of_the_two(two_person: BotHarness) -> None:
    report = await file_report(two_person)
    await say(two_person, two_person.people.admin, f"/verify #{report.id}")
    await say(two_person, two_person.people.moderator, f"/verify #{report.id}")
    assert await _state(two_person, report.id) is ReportState.VERIFIED


async def test_each_vote_is_in_the_audit_trail(two_person: BotHarness) -> None:
    report = await file_report(two_person)
    await say(two_person, two_person.people.moderator, f"/verify #{report.id}")
    await say(two_person, two_person.people.moderator2, f"/verify #{report.id}")
    events = await two_person.services.audit.events_for("report", report.id)
    assert [event.action for event in events] == ["verify_vote", "verify"]
    assert events[0].actor_key != events[1].actor_key
