"""Two moderators acting on the same report at the same moment: exactly one wins."""

from __future__ import annotations

import asyncio

import pytest

from domain.transitions import CaseAction
from domain.vocabulary import CaseState, ReportState
from services import case_desk, desk
from storage.cases import CaseChanged
from storage.review import ReportChanged
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say, texts


async def test_two_decisions_on_one_version_have_exactly_one_winner(
    private_desk: BotHarness,
) -> None:
    services = private_desk.services
    people = private_desk.people
    report = await file_report(private_desk)
    results = await asyncio.gather(
        desk.verify(services, people.moderator.id, report.id, report.version),
        desk.reject(
            services, people.moderator2.id, report.id, report.version, "insufficient", None
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert len(losers) == 1 and isinstance(losers[0], ReportChanged)
    assert losers[0].current.state in (ReportState.VERIFIED, ReportState.REJECTED)
    assert len(await services.audit.events_for("report", report.id)) == 1


async def test_two_presses_of_verify_on_one_notice_make_one_case(desk_group: BotHarness) -> None:
    people = desk_group.people
    report = await file_report(desk_group, name="Carlos Quintero")
    notice = desk_group.fake.add_bot_message(MODERATION_CHAT_ID, text="🆕 notice")
    data = f"mod:r:vf:{report.id}:0"
    first, second = await asyncio.gather(
        desk_group.rig.press(
            people.moderator, notice.message_id, data, chat_id=MODERATION_CHAT_ID
        ),
        desk_group.rig.press(
            people.moderator2, notice.message_id, data, chat_id=MODERATION_CHAT_ID
        ),
    )
    # Pressed in the group, each is answered privately.
    answers = [texts(first, people.moderator.id), texts(second, people.moderator2.id)]
    assert sum("C1" in answer for answer in answers) == 1
    loser = next(answer for answer in answers if "C1" not in answer)
    assert "changed under you" in loser or "cambió mientras actuabas" in loser
    assert await desk_group.services.cases.get(2) is None
    snapshot = await desk_group.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.VERIFIED


async def test_the_loser_is_shown_the_current_state_and_fresh_buttons(
    desk_group: BotHarness,
) -> None:
    people = desk_group.people
    report = await file_report(desk_group)
    notice = desk_group.fake.add_bot_message(MODERATION_CHAT_ID, text="🆕 notice")
    await desk_group.rig.press(
        people.moderator, notice.message_id, f"mod:r:tk:{report.id}:0", chat_id=MODERATION_CHAT_ID
    )
    calls = await desk_group.rig.press(
        people.moderator2, notice.message_id, f"mod:r:rj:{report.id}:0", chat_id=MODERATION_CHAT_ID
    )
    assert "in review" in texts(calls, people.moderator2.id)
    reply = desk_group.fake.last_bot_message(people.moderator2.id)
    callbacks = [data for row in desk_group.fake.buttons(reply) for _, data in row]
    assert f"mod:r:rj:{report.id}:1" in callbacks


async def test_two_commands_at_once_from_two_chats_verify_once(private_desk: BotHarness) -> None:
    people = private_desk.people
    report = await file_report(private_desk)
    await asyncio.gather(
        private_desk.rig.send_text(people.moderator, f"/verify #{report.id}"),
        private_desk.rig.send_text(people.moderator2, f"/verify #{report.id}"),
    )
    assert await private_desk.services.cases.get(1) is not None
    assert await private_desk.services.cases.get(2) is None
    events = await private_desk.services.audit.events_for("report", report.id)
    assert [event.action for event in events] == ["verify"]


async def test_two_case_actions_on_one_version_have_exactly_one_winner(
    private_desk: BotHarness,
) -> None:
    services = private_desk.services
    people = private_desk.people
    report = await file_report(private_desk)
    await say(private_desk, people.moderator, f"/verify #{report.id}")
    case = await services.cases.get(1)
    assert case is not None
    today = desk.local_today(services)
    results = await asyncio.gather(
        case_desk.act_on_case(
            services,
            people.moderator.id,
            case.id,
            case.version,
            case_desk.CaseRequest(CaseAction.RELEASE, today, conditions=("full_release",)),
        ),
        case_desk.act_on_case(
            services,
            people.moderator2.id,
            case.id,
            case.version,
            case_desk.CaseRequest(CaseAction.HOUSE_ARREST, today),
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(result, CaseChanged) for result in results) == 1
    final = await services.cases.get(1)
    assert final is not None and final.state in (CaseState.RELEASED, CaseState.HOUSE_ARREST)
    assert len(await services.cases.events(1)) == 2


@pytest.fixture
def desk_group(desk: BotHarness) -> BotHarness:
    return desk
