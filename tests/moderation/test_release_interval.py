"""A release by button with court presentation asks every how many days, then records it."""

from __future__ import annotations

import datetime as dt

from domain.vocabulary import CaseEventKind, CaseState
from fake_telegram import Call, FakeUser, StoredMessage
from storage.cases import Case
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, texts

GROUP = MODERATION_CHAT_ID
COURT = "Presentación en tribunales cada cierto número de días"
SPANISH_INTERVALS = ["Cada 8 días", "Cada 15 días", "Cada 30 días", "No se sabe", "Cancelar"]


async def _verified_case(harness: BotHarness, *, consent: bool = False) -> int:
    now = harness.clock.now()
    report = await file_report(harness, publish_consent_at=now if consent else None)
    await harness.rig.send_text(harness.people.moderator, f"/verify #{report.id}")
    verified = await harness.services.review.get(report.id)
    assert verified is not None and verified.case_id is not None
    await harness.services.outbox_worker.drain()
    return verified.case_id


async def _press(
    harness: BotHarness, label: str, *, user: FakeUser | None = None, chat_id: int | None = None
) -> str:
    """Press in the user's private chat (or `chat_id`); the desk answers privately."""
    harness.clock.advance(dt.timedelta(seconds=1))
    user = user or harness.people.moderator
    calls = await harness.rig.press_button(user, label, chat_id=chat_id)
    return texts(calls, user.id)


async def _ask_interval(
    harness: BotHarness,
    *,
    user: FakeUser | None = None,
    chat_id: int | None = None,
    consent: bool = False,
) -> tuple[int, StoredMessage]:
    """/case (in `chat_id`, else privately), then Release and court presentation, where
    the desk answers (privately): the interval question, not yet a release."""
    user = user or harness.people.moderator
    case_id = await _verified_case(harness, consent=consent)
    harness.clock.advance(dt.timedelta(seconds=1))
    await harness.rig.send_text(user, f"/case C{case_id}", chat_id=chat_id)
    spanish = user.language_code == "es"
    await _press(harness, "🔓 Excarcelación" if spanish else "🔓 Release", user=user)
    court = COURT if spanish else "Court presentation every few days"
    await _press(harness, court, user=user)
    return case_id, harness.fake.last_bot_message(user.id)


def _buttons(harness: BotHarness, message: StoredMessage) -> list[tuple[str, str | None]]:
    current = harness.fake.message(message.chat_id, message.message_id)
    assert current is not None
    return [button for row in harness.fake.buttons(current) for button in row]


def _data(harness: BotHarness, message: StoredMessage, label: str) -> str:
    data = dict(_buttons(harness, message))[label]
    assert data is not None
    return data


async def _case(harness: BotHarness, case_id: int) -> Case:
    case = await harness.services.cases.get(case_id)
    assert case is not None
    return case


async def _releases(harness: BotHarness, case_id: int) -> int:
    events = await harness.services.cases.events(case_id)
    return sum(event.kind is CaseEventKind.RELEASE for event in events)


def _alerts(calls: list[Call]) -> list[str]:
    return [
        str(call.params.get("text"))
        for call in calls
        if call.method == "answerCallbackQuery" and call.params.get("text")
    ]


async def test_court_presentation_asks_the_interval_before_recording(desk: BotHarness) -> None:
    case_id, asked = await _ask_interval(desk)
    assert "¿cada cuántos días debe presentarse?" in asked.body
    assert f"C{case_id}" in asked.body
    assert [label for label, _ in _buttons(desk, asked)] == SPANISH_INTERVALS
    assert all(data is not None and len(data.encode()) <= 64 for _, data in _buttons(desk, asked))
    case = await _case(desk, case_id)
    assert case.state is CaseState.DETAINED and await _releases(desk, case_id) == 0


async def test_fifteen_days_is_recorded_and_told_to_the_family(desk: BotHarness) -> None:
    case_id, _ = await _ask_interval(desk)
    sent = await _press(desk, "Cada 15 días")
    assert "Condiciones: Presentación en tribunales cada 15 días" in sent
    case = await _case(desk, case_id)
    assert case.state is CaseState.RELEASED
    assert (case.release_conditions, case.presentation_days) == (("court_presentation",), 15)
    await desk.services.outbox_worker.drain()
    told = desk.fake.last_text(desk.people.family_es.id)
    assert "excarcelado/a" in told and "Presentación en tribunales cada 15 días" in told


async def test_the_release_news_offer_says_every_how_many_days(desk: BotHarness) -> None:
    await _ask_interval(desk, consent=True)
    await _press(desk, "Cada 30 días")
    offer = desk.fake.last_bot_message(desk.people.moderator.id).body
    assert "Noticia de excarcelación" in offer
    assert "Presentación en tribunales cada 30 días" in offer
    assert "Court presentation every 30 days" in offer


async def test_not_known_releases_without_an_interval(desk: BotHarness) -> None:
    case_id, _ = await _ask_interval(desk)
    sent = await _press(desk, "No se sabe")
    assert "Condiciones: Presentación en tribunales cada cierto número de días" in sent
    case = await _case(desk, case_id)
    assert case.state is CaseState.RELEASED
    assert (case.release_conditions, case.presentation_days) == (("court_presentation",), None)


async def test_cancel_at_the_interval_records_nothing(desk: BotHarness) -> None:
    case_id, _ = await _ask_interval(desk)
    sent = await _press(desk, "Cancelar")
    assert "No se registró nada" in sent
    assert (await _case(desk, case_id)).state is CaseState.DETAINED


async def test_an_interval_pressed_after_the_case_changed_is_refused(desk: BotHarness) -> None:
    case_id, asked = await _ask_interval(desk)
    desk.clock.advance(dt.timedelta(seconds=1))
    await desk.rig.send_text(desk.people.moderator2, f"/transfer C{case_id} yare", chat_id=GROUP)
    sent = await _press(desk, "Cada 8 días")
    assert "cambió mientras actuabas" in sent or "changed under you" in sent
    case = await _case(desk, case_id)
    assert (case.state, case.place, case.presentation_days) == (CaseState.DETAINED, "yare", None)
    assert await _releases(desk, case_id) == 0
    assert _buttons(desk, asked) == []


async def test_a_double_press_records_one_release(desk: BotHarness) -> None:
    case_id, asked = await _ask_interval(desk)
    data = _data(desk, asked, "Cada 15 días")
    answers = []
    for _ in range(2):
        desk.clock.advance(dt.timedelta(seconds=1))
        moderator = desk.people.moderator
        calls = await desk.rig.press(moderator, asked.message_id, data, chat_id=asked.chat_id)
        answers.append(texts(calls, moderator.id))
    assert "excarcelado/a" in answers[0]
    assert "cambió mientras actuabas" in answers[1]
    assert await _releases(desk, case_id) == 1
    assert (await _case(desk, case_id)).presentation_days == 15


async def test_the_interval_buttons_refuse_anyone_without_a_role(desk: BotHarness) -> None:
    case_id, asked = await _ask_interval(desk)
    # The same callback data on a message of the moderation group, where they could press.
    posted = desk.fake.add_bot_message(GROUP, text="🆕")
    for who in (desk.people.stranger, desk.people.broadcaster):
        for label in ("Cada 8 días", "No se sabe"):
            desk.clock.advance(dt.timedelta(seconds=1))
            data = _data(desk, asked, label)
            calls = await desk.rig.press(who, posted.message_id, data, chat_id=GROUP)
            assert _alerts(calls) == ["Este comando no está disponible."], (who, label)
    assert (await _case(desk, case_id)).state is CaseState.DETAINED
    # Nothing was used up: the moderator's own press still records the release.
    await _press(desk, "Cada 8 días")
    assert (await _case(desk, case_id)).presentation_days == 8


async def test_the_interval_speaks_the_moderators_language(private_desk: BotHarness) -> None:
    english = private_desk.people.moderator2
    case_id, asked = await _ask_interval(private_desk, user=english, chat_id=english.id)
    assert "every how many days must they present themselves?" in asked.body
    labels = [label for label, _ in _buttons(private_desk, asked)]
    assert labels == ["Every 8 days", "Every 15 days", "Every 30 days", "Not known", "Cancel"]
    sent = await _press(private_desk, "Every 15 days", user=english, chat_id=english.id)
    assert "Conditions: Court presentation every 15 days" in sent
    assert (await _case(private_desk, case_id)).presentation_days == 15
