"""The daily retention job, on a database whose rows were made long ago."""

from __future__ import annotations

import datetime as dt
import json

from tests.harness import BotHarness
from tests.safety.helpers import (
    count,
    grant_moderator,
    report_row,
    report_through_intake,
    reports_of,
    verify_as_moderator,
)

DAYS = dt.timedelta(days=1)


async def reject(harness: BotHarness, code: str) -> None:
    await grant_moderator(harness)
    await harness.rig.send_text(
        harness.people.moderator, f"/reject {code.replace(' ', '')} insufficient"
    )


async def linked(harness: BotHarness, code: str) -> bool:
    report = await reports_of(harness).by_receipt(code)
    assert report is not None
    return (await report_row(harness, report.id))["reporter_key"] is not None


async def test_reports_rejected_more_than_retention_days_ago_are_unlinked(
    harness: BotHarness,
) -> None:
    old = await report_through_intake(harness, harness.people.family_en, cedula="V11111111")
    await reject(harness, old)
    harness.clock.advance(170 * DAYS)
    recent = await report_through_intake(harness, harness.people.family_en, cedula="V22222222")
    await reject(harness, recent)
    harness.clock.advance(11 * DAYS)
    await harness.run_jobs()
    assert not await linked(harness, old)
    assert await linked(harness, recent)
    assert await reports_of(harness).by_receipt(old) is not None


async def test_open_and_verified_reports_keep_their_link_within_retention_days(
    harness: BotHarness,
) -> None:
    waiting = await report_through_intake(harness, harness.people.family_en, cedula="V11111111")
    verified = await report_through_intake(harness, harness.people.family_en, cedula="V2222222")
    await verify_as_moderator(harness, verified)
    harness.clock.advance(179 * DAYS)
    await harness.run_jobs()
    assert await linked(harness, waiting)
    assert await linked(harness, verified)
    harness.clock.advance(2 * DAYS)
    await harness.run_jobs()
    assert not await linked(harness, waiting)
    assert not await linked(harness, verified)


async def test_reports_of_cases_closed_long_ago_are_unlinked(harness: BotHarness) -> None:
    code = await report_through_intake(harness, harness.people.family_en)
    await verify_as_moderator(harness, code)
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and report.case_id is not None
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, f"/release {report.case_id} 12/01/2026 full_release")
    await harness.rig.send_text(moderator, f"/close {report.case_id}")
    harness.clock.advance(179 * DAYS)
    await harness.run_jobs()
    assert await linked(harness, code)
    harness.clock.advance(2 * DAYS)
    await harness.run_jobs()
    assert not await linked(harness, code)


async def test_follow_up_threads_of_rejected_reports_are_deleted(harness: BotHarness) -> None:
    rejected = await report_through_intake(harness, harness.people.family_en, cedula="V11111111")
    asked = await report_through_intake(harness, harness.people.family_en, cedula="V22222222")
    await grant_moderator(harness)
    for code in (rejected, asked):
        await harness.rig.send_text(
            harness.people.moderator, f"/needinfo {code.replace(' ', '')} Which police station?"
        )
    assert await count(harness, "SELECT COUNT(*) FROM followup_messages") == 2
    await reject(harness, rejected)
    harness.clock.advance(DAYS)
    await harness.run_jobs()
    kept = await reports_of(harness).by_receipt(asked)
    assert kept is not None
    rows = await harness.services.db.fetch_all("SELECT report_id FROM followup_messages")
    assert [row["report_id"] for row in rows] == [kept.id]


async def test_drafts_older_than_a_day_are_deleted(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/report")
    await harness.rig.press_button(user, "📝 A detention")
    await harness.rig.send_text(user, "Pedro Pérez")
    await harness.app.update_persistence()
    drafts = "SELECT COUNT(*) FROM persistence_user_data"
    assert await count(harness, drafts) == 1
    harness.clock.advance(DAYS + dt.timedelta(minutes=1))
    await harness.run_jobs()
    assert await count(harness, drafts) == 0
    assert "intake_draft" not in harness.app.user_data.get(user.id, {})


async def test_each_run_leaves_an_audit_event_with_counts(harness: BotHarness) -> None:
    code = await report_through_intake(harness, harness.people.family_en)
    await reject(harness, code)
    harness.clock.advance(181 * DAYS)
    await harness.run_jobs()
    row = await harness.services.db.fetch_one(
        "SELECT details, actor_key FROM audit_events WHERE action = 'retention_run'"
        " ORDER BY id DESC LIMIT 1"
    )
    assert row is not None and row["actor_key"] is None
    details = json.loads(row["details"])
    assert details["reporter_links"] == 1
    assert details["followup_messages"] == 0
    assert set(details) == {
        "drafts",
        "reporter_links",
        "followup_messages",
        "tracked_messages",
        "pending_imports",
    }
    assert (await harness.services.audit.verify_chain()).intact
