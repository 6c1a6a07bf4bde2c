"""/excarcelar and /release take the conditions in Spanish or English, and offer them
as buttons when none were typed."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.vocabulary import CaseState
from handlers.moderation.conditions import read_conditions
from storage.cases import Case
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say

TODAY = dt.date(2026, 1, 12)


async def _case(harness: BotHarness) -> int:
    report = await file_report(harness, whereabouts="helicoide")
    await harness.rig.send_text(harness.people.moderator, f"/verify #{report.id}")
    snapshot = await harness.services.review.get(report.id)
    assert snapshot is not None and snapshot.case_id is not None
    return snapshot.case_id


async def _get(harness: BotHarness, case_id: int) -> Case:
    case = await harness.services.cases.get(case_id)
    assert case is not None
    return case


async def _tap(harness: BotHarness, label: str) -> str:
    harness.clock.advance(dt.timedelta(seconds=1))
    moderator = harness.people.moderator
    calls = await harness.rig.press_button(moderator, label)
    return "\n".join(
        str(call.params.get("text")) for call in calls if call.method == "sendMessage"
    )


@pytest.mark.parametrize(
    ("typed", "conditions", "rest"),
    [
        ("presentación y prohibición de salida cada 8 días",
         ("court_presentation", "travel_ban"), ["cada", "8", "días"]),
        ("Prohibición de salida del país, prohibición de declarar",
         ("travel_ban", "press_ban"), []),
        ("libertad plena", ("full_release",), []),
        ("court_presentation,travel_ban every 8 days",
         ("court_presentation", "travel_ban"), ["every", "8", "days"]),
        ("travel ban and press ban", ("travel_ban", "press_ban"), []),
        ("travel_ban,soon", (), ["travel_ban,soon"]),
        ("algo raro", (), ["algo", "raro"]),
    ],
)  # fmt: skip
def test_conditions_are_read_in_both_languages(
    typed: str, conditions: tuple[str, ...], rest: list[str]
) -> None:
    assert read_conditions(typed.split()) == (conditions, rest)


async def test_spanish_words_record_the_release(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    sent = await say(
        private_desk,
        private_desk.people.moderator,
        f"/excarcelar C{case_id} 11/01/2026 presentación y prohibición de salida cada 8 días",
    )
    assert "excarcelado/a" in sent
    case = await _get(private_desk, case_id)
    assert case.release_conditions == ("court_presentation", "travel_ban")
    assert (case.released_on, case.presentation_days) == (dt.date(2026, 1, 11), 8)


async def test_the_date_may_be_left_out(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await say(private_desk, private_desk.people.moderator2, f"/release C{case_id} travel ban")
    case = await _get(private_desk, case_id)
    assert (case.state, case.released_on) == (CaseState.RELEASED, TODAY)
    assert case.release_conditions == ("travel_ban",)


async def test_without_conditions_they_are_offered_as_buttons(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    asked = await say(private_desk, private_desk.people.moderator, f"/excarcelar C{case_id}")
    assert f"Excarcelación del caso C{case_id} el 12/1/26: ¿con qué condición?" in asked
    await _tap(private_desk, "Prohibición de salida del país")
    case = await _get(private_desk, case_id)
    assert (case.state, case.released_on) == (CaseState.RELEASED, TODAY)
    assert case.release_conditions == ("travel_ban",)


async def test_buttons_for_another_day_record_that_day(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await say(private_desk, private_desk.people.moderator, f"/excarcelar C{case_id} 10/01/2026")
    asked = await _tap(private_desk, "Presentación en tribunales cada cierto número de días")
    assert "¿cada cuántos días" in asked
    await _tap(private_desk, "Cada 15 días")
    case = await _get(private_desk, case_id)
    assert (case.released_on, case.presentation_days) == (dt.date(2026, 1, 10), 15)
    assert case.release_conditions == ("court_presentation",)


async def test_words_that_are_no_condition_are_named(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    asked = await say(
        private_desk, private_desk.people.moderator, f"/excarcelar C{case_id} hoy algo raro"
    )
    assert "No reconocí «algo raro» como una condición." in asked
    assert "¿con qué condición?" in asked
    assert (await _get(private_desk, case_id)).state is CaseState.DETAINED


async def test_the_usage_lists_the_words_of_each_language(private_desk: BotHarness) -> None:
    spanish = await say(private_desk, private_desk.people.moderator, "/excarcelar")
    assert "<code>prohibición de salida</code> (Prohibición de salida del país)" in spanish
    assert "court_presentation" not in spanish
    english = await say(private_desk, private_desk.people.moderator2, "/release")
    assert "<code>travel_ban</code> (Travel ban)" in english


@pytest.mark.parametrize(("carried", "answer"), [("20991231", "futur"), ("20261399", None)])
async def test_a_forged_day_in_a_button_records_nothing(
    private_desk: BotHarness, carried: str, answer: str | None
) -> None:
    case_id = await _case(private_desk)
    moderator = private_desk.people.moderator
    await say(private_desk, moderator, f"/excarcelar C{case_id} 10/01/2026")
    offer = private_desk.fake.last_bot_message(moderator.id)
    version = (await _get(private_desk, case_id)).version
    data = f"mod:cc:rl:{case_id}:{version}:travel_ban:{carried}"
    calls = await private_desk.rig.press(moderator, offer.message_id, data)
    assert (await _get(private_desk, case_id)).state is CaseState.DETAINED
    said = " ".join(str(c.params.get("text")) for c in calls if c.method == "sendMessage")
    assert "falló de nuestro lado" not in said  # no error on our side
    if answer is None:
        assert said == ""  # a day that is no date: the buttons just go
    else:
        assert answer in said
