"""Every reporter link has a maximum age after the last activity (RETENTION_DAYS):
open, verified, released and deceased alike. After it, nothing leads to the chat."""

from __future__ import annotations

import datetime as dt

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.safety.helpers import report_through_intake, reports_of, verify_as_moderator

DAYS = dt.timedelta(days=1)
OTHER = FakeUser(id=2102, first_name="Rosa", language_code="en")


async def report_id(harness: BotHarness, code: str) -> int:
    report = await reports_of(harness).by_receipt(code)
    assert report is not None
    return report.id


async def test_a_report_never_acted_on_loses_its_link(harness: BotHarness) -> None:
    code = await report_through_intake(harness, harness.people.family_en)
    report = await report_id(harness, code)
    assert await harness.services.reports.reporter_chat(report) == harness.people.family_en.id
    harness.clock.advance(181 * DAYS)
    await harness.run_jobs()
    assert await harness.services.reports.reporter_chat(report) is None
    row = await harness.services.db.fetch_one(
        "SELECT reporter_key, reporter_chat_enc, contact_consent_at FROM reports WHERE id = ?",
        (report,),
    )
    assert row is not None and tuple(row) == (None, None, None)


async def test_released_and_deceased_cases_lose_their_links(harness: BotHarness) -> None:
    moderator = harness.people.moderator
    released = await report_through_intake(harness, harness.people.family_en, cedula="V1111111")
    deceased = await report_through_intake(harness, OTHER, cedula="V2222222")
    for code in (released, deceased):
        await verify_as_moderator(harness, code)
    await harness.rig.send_text(moderator, "/release C1 hoy full_release")
    await harness.rig.send_text(moderator, "/death C2 hoy")
    assert await harness.services.cases.get(2) is not None
    states = [(await harness.services.cases.get(case)) for case in (1, 2)]
    assert [case.state.value for case in states if case] == ["released", "deceased"]
    harness.clock.advance(181 * DAYS)
    await harness.run_jobs()
    for code in (released, deceased):
        assert await harness.services.reports.reporter_chat(await report_id(harness, code)) is None


async def test_recent_activity_keeps_the_link(harness: BotHarness) -> None:
    family = harness.people.family_en
    waiting = await report_through_intake(harness, family, cedula="V1111111")
    followed = await report_through_intake(harness, family, cedula="V2222222")
    moved = await report_through_intake(harness, family, cedula="V3333333")
    await verify_as_moderator(harness, moved)
    harness.clock.advance(150 * DAYS)
    # The family checks on one report; moderators move another's case.
    await harness.rig.send_text(family, f"/status {followed.replace(' ', '')}")
    await harness.rig.send_text(harness.people.moderator, "/transfer C1 yare")
    harness.clock.advance(40 * DAYS)
    await harness.run_jobs()
    chats = [
        await harness.services.reports.reporter_chat(await report_id(harness, code))
        for code in (waiting, followed, moved)
    ]
    assert chats == [None, family.id, family.id]
    harness.clock.advance(181 * DAYS)
    await harness.run_jobs()
    for code in (followed, moved):
        assert await harness.services.reports.reporter_chat(await report_id(harness, code)) is None
