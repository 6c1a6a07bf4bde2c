"""After a restart with a new key, before rotate-key has run, the same person's second
verification is still not a second moderator, and granted roles still hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from domain.vocabulary import ReportState
from storage.roles import Role
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings
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


async def restart_with_a_new_key(harness: BotHarness) -> None:
    """The operator's first step of a rotation: new key, old key kept, bot restarted."""
    await harness.stop()
    harness.settings = harness.settings.model_copy(
        update={
            "encryption_key": SecretStr(NEW_KEY),
            "encryption_old_keys": (SecretStr(TEST_KEY),),
        }
    )
    await harness.start()


async def state_of(harness: BotHarness, report_id: int) -> ReportState:
    snapshot = await harness.services.review.get(report_id)
    assert snapshot is not None
    return snapshot.state


@pytest.mark.parametrize("who", ["admin", "moderator"])
async def test_the_same_person_twice_across_a_key_change_is_one_vote(
    two_person: BotHarness, who: str
) -> None:
    report = await file_report(two_person)
    voter = getattr(two_person.people, who)
    await say(two_person, voter, f"/verify #{report.id}")
    await restart_with_a_new_key(two_person)

    sent = await say(two_person, voter, f"/verificar #{report.id}")
    assert "Ya verificaste este reporte" in sent
    assert await state_of(two_person, report.id) is ReportState.RECEIVED
    assert await two_person.services.cases.get(1) is None

    sent = await say(two_person, two_person.people.moderator2, f"/verify #{report.id}")
    assert "C1" in sent
    assert await state_of(two_person, report.id) is ReportState.VERIFIED


async def test_granted_roles_hold_across_a_key_change(two_person: BotHarness) -> None:
    await restart_with_a_new_key(two_person)
    roles = two_person.services.roles
    people = two_person.people
    assert await roles.has_any(people.moderator.id, Role.MODERATOR)
    report = await file_report(two_person)
    sent = await say(two_person, people.moderator, f"/verify #{report.id}")
    assert "(1 de 2)" in sent
    # Revoking under the new key removes the grant made under the old one.
    await say(two_person, people.admin, f"/revoke {people.moderator2.id}")
    assert not await roles.has_any(people.moderator2.id, Role.MODERATOR)
    # A grant under the new key replaces the old row rather than adding a second one.
    await say(two_person, people.admin, f"/grant {people.broadcaster.id} moderator")
    rows = await two_person.services.db.fetch_all("SELECT role FROM roles")
    assert sorted(row["role"] for row in rows) == ["moderator", "moderator"]
