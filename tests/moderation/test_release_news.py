"""A release recorded on the desk offers the verified release news, when consented."""

from __future__ import annotations

import datetime as dt

from domain.vocabulary import CaseState
from fake_telegram import FakeUser
from storage.broadcasts import BroadcastState
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say

SUBSCRIBERS = (700_001, 700_002)


async def _case(harness: BotHarness, *, consent: bool, name: str = "Rosa Peña") -> int:
    now = harness.clock.now()
    report = await file_report(harness, name=name, publish_consent_at=now if consent else None)
    await harness.rig.send_text(harness.people.moderator, f"/verify #{report.id}")
    verified = await harness.services.review.get(report.id)
    assert verified is not None and verified.case_id is not None
    for chat_id, language in zip(SUBSCRIBERS, ("es", "en"), strict=True):
        await harness.services.subscribers.subscribe(chat_id, language)
    return verified.case_id


def _offers(harness: BotHarness, chat_id: int) -> list[str]:
    return [
        message.body
        for message in harness.fake.bot_messages(chat_id)
        if "Release news ready" in message.body or "Noticia de excarcelación" in message.body
    ]


async def _drafts(harness: BotHarness) -> list[tuple[BroadcastState, int | None]]:
    rows = await harness.services.db.fetch_all("SELECT id FROM broadcasts ORDER BY id")
    found = []
    for row in rows:
        draft = await harness.services.broadcasts.get(int(row["id"]))
        assert draft is not None
        found.append((draft.state, draft.case_id))
    return found


async def test_release_by_command_offers_the_news_in_both_languages(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk, consent=True)
    moderator = private_desk.people.moderator
    await say(private_desk, moderator, f"/release C{case_id} 11/01/2026 travel_ban")
    offered = private_desk.fake.last_bot_message(moderator.id)
    assert f"(caso C{case_id})" in offered.body
    assert "<b>Nombre:</b> Rosa Peña" in offered.body
    assert "<b>Name:</b> Rosa Peña" in offered.body
    assert "<b>Fecha de excarcelación:</b> 11 de enero de 2026" in offered.body
    assert "<b>Released on:</b> January 11, 2026" in offered.body
    labels = [label for row in private_desk.fake.buttons(offered) for label, _ in row]
    assert labels == ["📣 Difundir", "🗑 Descartar"]
    assert await _drafts(private_desk) == [(BroadcastState.DRAFT, case_id)]


async def test_the_news_says_every_how_many_days_in_both_languages(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk, consent=True)
    moderator = private_desk.people.moderator
    await say(
        private_desk,
        moderator,
        f"/excarcelar C{case_id} 11/01/2026 court_presentation,travel_ban cada 15 días",
    )
    [offer] = _offers(private_desk, moderator.id)
    assert (
        "<b>Condiciones:</b> Presentación en tribunales cada 15 días; "
        "Prohibición de salida del país" in offer
    )
    assert "<b>Conditions:</b> Court presentation every 15 days; Travel ban" in offer
    assert "cada cierto número de días" not in offer and "every few days" not in offer
    await private_desk.rig.press_button(moderator, "📣 Difundir")
    await private_desk.services.outbox_worker.drain()
    spanish, english = (private_desk.fake.last_text(chat_id) for chat_id in SUBSCRIBERS)
    assert "Presentación en tribunales cada 15 días" in spanish
    assert "Court presentation every 15 days" in english


async def test_one_tap_on_the_offer_queues_and_sends_the_news(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, consent=True)
    moderator = private_desk.people.moderator
    await say(private_desk, moderator, f"/release C{case_id} 11/01/2026 full_release")
    await private_desk.rig.press_button(moderator, "📣 Difundir")
    [(state, linked)] = await _drafts(private_desk)
    assert linked == case_id and state is not BroadcastState.DRAFT
    queued = await private_desk.services.db.fetch_one("SELECT COUNT(*) FROM outbox")
    assert queued is not None and int(queued[0]) >= len(SUBSCRIBERS)
    await private_desk.services.outbox_worker.drain()
    spanish, english = (private_desk.fake.last_text(chat_id) for chat_id in SUBSCRIBERS)
    assert spanish.startswith("🕊️ <b>Excarcelación verificada</b>")
    assert english.startswith("🕊️ <b>Verified release</b>")


async def test_the_offer_speaks_the_moderators_language(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, consent=True)
    english_moderator: FakeUser = private_desk.people.moderator2
    await say(private_desk, english_moderator, f"/release C{case_id} 11/01/2026 full_release")
    offered = private_desk.fake.last_bot_message(english_moderator.id)
    assert f"(case C{case_id})" in offered.body
    labels = [label for row in private_desk.fake.buttons(offered) for label, _ in row]
    assert labels == ["📣 Broadcast", "🗑 Discard"]


async def test_a_release_asked_from_the_group_offers_the_news_privately(
    desk: BotHarness,
) -> None:
    case_id = await _case(desk, consent=True)
    moderator = desk.people.moderator
    await desk.rig.send_text(moderator, f"/caso C{case_id}", chat_id=MODERATION_CHAT_ID)
    desk.clock.advance(dt.timedelta(seconds=1))
    await desk.rig.press_button(moderator, "🔓 Excarcelación")
    desk.clock.advance(dt.timedelta(seconds=1))
    await desk.rig.press_button(moderator, "Prohibición de salida del país")
    case = await desk.services.cases.get(case_id)
    assert case is not None and case.state is CaseState.RELEASED
    [offer] = _offers(desk, moderator.id)
    assert "<b>Nombre:</b> Rosa Peña" in offer and "<b>Name:</b> Rosa Peña" in offer
    # The group sees no identities (issue 14): the offer names the person.
    assert _offers(desk, MODERATION_CHAT_ID) == []
    assert not any("Rosa" in m.body for m in desk.fake.bot_messages(MODERATION_CHAT_ID))


async def test_no_offer_without_consent_to_publish(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, consent=False)
    moderator = private_desk.people.moderator
    sent = await say(private_desk, moderator, f"/release C{case_id} 11/01/2026 full_release")
    assert "excarcelado/a" in sent
    assert _offers(private_desk, moderator.id) == []
    assert await _drafts(private_desk) == []


async def test_no_offer_for_other_case_actions(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, consent=True)
    moderator = private_desk.people.moderator
    await say(private_desk, moderator, f"/housearrest C{case_id} 11/01/2026")
    await say(private_desk, moderator, f"/transfer C{case_id} yare")
    assert _offers(private_desk, moderator.id) == []
    assert await _drafts(private_desk) == []


async def test_the_offer_buttons_refuse_anyone_without_a_role(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, consent=True)
    moderator, stranger = private_desk.people.moderator, private_desk.people.stranger
    await say(private_desk, moderator, f"/release C{case_id} 11/01/2026 full_release")
    offered = private_desk.fake.last_bot_message(moderator.id)
    # The same buttons under a message in the stranger's chat: callback data is no key.
    copy = private_desk.fake.add_bot_message(stranger.id, text="forwarded offer")
    for label, data in [button for row in private_desk.fake.buttons(offered) for button in row]:
        assert data is not None, label
        private_desk.clock.advance(dt.timedelta(seconds=1))
        calls = await private_desk.rig.press(stranger, copy.message_id, data)
        alerts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
        assert alerts == ["Este comando no está disponible."], label
    assert await _drafts(private_desk) == [(BroadcastState.DRAFT, case_id)]
