"""Moderators hear of every new report: in their group, or each privately."""

from __future__ import annotations

import re

import pytest

from storage.roles import Role
from tests.harness import ADMIN_ID, MODERATION_CHAT_ID, BotHarness
from tests.intake.helpers import (
    DETENTION_EN,
    Family,
    family,
    reach_summary_en,
    reach_summary_es,
)
from tests.roles import grant


def notices(harness: BotHarness, chat_id: int) -> list[str]:
    return [message.body for message in harness.fake.bot_messages(chat_id)]


async def confirm(
    harness: BotHarness, reporter: Family, label: str = "✅ Confirm and send"
) -> None:
    """Confirm, then let the outbox worker deliver the staff notices it queued."""
    await reporter.tap(label)
    await harness.services.outbox_worker.drain()


async def test_without_a_group_each_moderator_and_admin_is_told_privately(
    harness: BotHarness,
) -> None:
    people = harness.people
    await grant(harness, people.moderator, Role.MODERATOR)
    await grant(harness, people.broadcaster, Role.BROADCASTER)
    reporter = family(harness)
    await reach_summary_en(reporter)
    await confirm(harness, reporter)
    for staff in (ADMIN_ID, people.moderator.id):
        assert any("Pedro José Pérez" in text for text in notices(harness, staff))
    assert notices(harness, people.broadcaster.id) == []
    assert notices(harness, MODERATION_CHAT_ID) == []


async def test_each_moderator_reads_the_notice_in_their_language(harness: BotHarness) -> None:
    people = harness.people
    await grant(harness, people.moderator2, Role.MODERATOR)
    await harness.services.prefs.set_language(people.moderator2.id, "en")
    reporter = family(harness)
    await reach_summary_en(reporter)
    await confirm(harness, reporter)
    assert any("Reporte de detención" in text for text in notices(harness, ADMIN_ID))
    assert any("Detention report" in text for text in notices(harness, people.moderator2.id))


async def test_with_a_group_only_the_group_is_told(group_harness: BotHarness) -> None:
    await grant(group_harness, group_harness.people.moderator, Role.MODERATOR)
    admin_had = notices(group_harness, ADMIN_ID)  # the answer to the grant
    reporter = family(group_harness)
    await reach_summary_en(reporter)
    await confirm(group_harness, reporter)
    group = notices(group_harness, MODERATION_CHAT_ID)
    # By number only: the group sees no identities (issue 14).
    assert len(group) == 1 and "#1" in group[0] and "Pedro" not in group[0]
    assert notices(group_harness, ADMIN_ID) == admin_had
    assert notices(group_harness, group_harness.people.moderator.id) == []


async def test_the_notice_never_says_who_reported(group_harness: BotHarness) -> None:
    reporter = family(group_harness)
    await reach_summary_en(reporter)
    await confirm(group_harness, reporter)
    # The receipt code is random digits: leave it out before looking for the user id.
    notice = re.sub(r"<code>[\d ]+</code>", "", notices(group_harness, MODERATION_CHAT_ID)[0])
    assert str(reporter.user.id) not in notice
    assert reporter.user.first_name not in notice
    assert "brother" not in notice  # the relationship points at the family


async def test_an_unknown_whereabouts_notice_is_marked_urgent(group_harness: BotHarness) -> None:
    reporter = family(group_harness, group_harness.people.family_es)
    await reach_summary_es(reporter)
    await confirm(group_harness, reporter, "✅ Confirmar y enviar")
    notice = notices(group_harness, MODERATION_CHAT_ID)[0]
    assert "URGENTE" in notice and "desaparición forzada" in notice


async def test_a_known_place_notice_is_not_urgent(group_harness: BotHarness) -> None:
    reporter = family(group_harness)
    await reach_summary_en(reporter)
    await confirm(group_harness, reporter)
    assert "URGENT" not in notices(group_harness, MODERATION_CHAT_ID)[0]


async def test_typed_values_are_escaped_in_the_notice(harness: BotHarness) -> None:
    await grant(harness, harness.people.moderator, Role.MODERATOR)
    reporter = family(harness)
    await reporter.start_detention()
    await reporter.say("Ana <i>x</i>")
    await reporter.act(DETENTION_EN[2:])
    await confirm(harness, reporter)
    assert "Ana &lt;i&gt;x&lt;/i&gt;" in notices(harness, harness.people.moderator.id)[0]


async def test_a_moderator_who_blocked_the_bot_does_not_stop_the_others(
    harness: BotHarness,
) -> None:
    people = harness.people
    await grant(harness, people.moderator, Role.MODERATOR)
    await grant(harness, people.moderator2, Role.MODERATOR)
    harness.fake.block_chat(people.moderator.id)
    reporter = family(harness)
    await reach_summary_en(reporter)
    await confirm(harness, reporter)
    assert any("Pedro José Pérez" in text for text in notices(harness, people.moderator2.id))
    assert any("Your report was saved" in text for text in reporter.texts())


async def test_a_quarantined_report_is_saved_but_not_announced(group_harness: BotHarness) -> None:
    reporter = family(group_harness)
    await group_harness.services.blocks.block(reporter.user.id, ADMIN_ID)
    await reach_summary_en(reporter)
    await confirm(group_harness, reporter)
    assert any("Your report was saved" in text for text in reporter.texts())
    reports = await group_harness.services.reports.for_reporter(reporter.user.id)
    assert len(reports) == 1 and reports[0].quarantined
    assert notices(group_harness, MODERATION_CHAT_ID) == []


async def test_the_notice_carries_the_desks_action_buttons(group_harness: BotHarness) -> None:
    reporter = family(group_harness)
    await reach_summary_en(reporter)
    await confirm(group_harness, reporter)
    notice = group_harness.fake.bot_messages(MODERATION_CHAT_ID)[0]
    data = [target for row in group_harness.fake.buttons(notice) for _, target in row]
    assert data and all(str(target).startswith("mod:") for target in data)


async def test_a_family_that_blocked_the_bot_before_its_receipt_still_reaches_moderators(
    group_harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    reporter = family(group_harness)
    await reach_summary_en(reporter)
    group_harness.fake.block_chat(reporter.user.id)
    await confirm(group_harness, reporter)
    # Stored before anything was said, and announced although the receipt bounced.
    assert len(await group_harness.services.reports.for_reporter(reporter.user.id)) == 1
    assert "#1" in notices(group_harness, MODERATION_CHAT_ID)[0]
    assert not any("Your report was saved" in text for text in reporter.texts())
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "handler_failed error=Forbidden" in logged
    assert "Pedro" not in logged and str(reporter.user.id) not in logged
