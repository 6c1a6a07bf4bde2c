"""Bad input never ends the conversation: each question says what is wrong and asks again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.harness import BotHarness
from tests.intake.helpers import (
    AGE,
    CEDULA,
    DATE,
    DETENTION_ES,
    ENTITY,
    FILES,
    NAME,
    RELATION,
    SEX,
    STORY,
    TOWN,
    WHERE,
    Family,
    family,
    reach_question,
)

# One answer a reporter gives: typed text, or a message of some other kind.
Answer = Callable[[Family], Awaitable[object]]


async def at(harness: BotHarness, question: int) -> Family:
    """An English reporter who answered everything before `question`."""
    reporter = family(harness)
    await reach_question(reporter, question)
    return reporter


def _typed(text: str) -> Answer:
    async def answer(reporter: Family) -> None:
        await reporter.say(text)

    return answer


async def _sticker(reporter: Family) -> None:
    await reporter.harness.rig.send_sticker(reporter.user)


async def _location(reporter: Family) -> None:
    await reporter.harness.rig.send_location(reporter.user, 10.5, -66.9)


async def _photo(reporter: Family) -> None:
    await reporter.harness.rig.send_photo(reporter.user)


async def _voice(reporter: Family) -> None:
    await reporter.harness.rig.send_voice(reporter.user)


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        pytest.param(NAME, _typed("   "), ["That answer is empty", "full name"], id="empty-name"),
        pytest.param(
            NAME,
            _typed("A" * 121),
            ["too long: 121 characters, and the limit here is 120"],
            id="name-over-120-characters",
        ),
        pytest.param(NAME, _typed("12345"), ["A name needs letters"], id="name-without-letters"),
        pytest.param(
            NAME,
            _sticker,
            ["I can't read stickers. Please type your answer.", "full name"],
            id="sticker-where-text-is-asked",
        ),
        pytest.param(
            TOWN,
            _location,
            ["I can't use a location here.", "municipality or town"],
            id="location-where-text-is-asked",
        ),
        pytest.param(
            NAME,
            _photo,
            ["welcome later, in the evidence question"],
            id="photo-where-text-is-asked",
        ),
        pytest.param(
            RELATION,
            _voice,
            ["Voice notes are welcome only where a question says so", "your relationship"],
            id="voice-note-where-the-question-does-not-invite-one",
        ),
        pytest.param(
            WHERE,
            _sticker,
            ["I can't read stickers. Please choose one of the buttons below."],
            id="sticker-where-buttons-are-asked",
        ),
        pytest.param(
            TOWN, _typed("x" * 121), ["limit here is 120"], id="place-over-120-characters"
        ),
        pytest.param(
            STORY,
            _typed("z" * 2001),
            ["too long: 2,001 characters, and the limit here is 2,000"],
            id="circumstances-over-2000-characters",
        ),
        pytest.param(RELATION, _typed("r" * 61), ["limit here is 60"], id="relationship-over-60"),
        pytest.param(
            FILES,
            _typed("here it is"),
            ["Here I need photos, documents or voice notes"],
            id="text-in-the-evidence-question",
        ),
        pytest.param(
            FILES,
            _sticker,
            ["I can only keep photos, documents and voice notes"],
            id="sticker-is-not-evidence",
        ),
    ],
)
async def test_a_wrong_answer_is_refused_with_its_reason(
    harness: BotHarness, question: int, answer: Answer, expected: list[str]
) -> None:
    reporter = await at(harness, question)
    await answer(reporter)
    for fragment in expected:
        assert fragment in reporter.last


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("V-12", "has 6 to 9 digits; this one has 2"),
        ("1234567890", "has 6 to 9 digits; this one has 10"),
        ("X-12345678", "starts with V (Venezuelan) or E (foreign)"),
        ("my cousin", "does not look like a cédula"),
    ],
)
async def test_an_invalid_cedula_is_refused_with_its_reason(
    harness: BotHarness, typed: str, reason: str
) -> None:
    reporter = await at(harness, CEDULA)
    await reporter.say(typed)
    assert reason in reporter.last
    assert "cédula" in reporter.last


async def test_a_cedula_with_dots_and_letter_is_normalised(harness: BotHarness) -> None:
    reporter = await at(harness, CEDULA)
    await reporter.say("v 12.345.678")
    await reporter.tap("⬅️ Back")
    assert "Your answer so far: V-12.345.678" in reporter.last


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("20/01/2026", "That date is in the future"),
        ("tomorrow", "I could not read that date"),
        ("31/02/2025", "That date does not exist"),
        ("10/10/2013", "records begin in 2014"),
        ("", "That answer is empty"),
    ],
)
async def test_a_bad_date_is_refused_with_its_reason(
    harness: BotHarness, typed: str, reason: str
) -> None:
    reporter = await at(harness, DATE)
    await reporter.say(typed or " ")
    assert reason in reporter.last
    assert "were they detained" in reporter.last


@pytest.mark.parametrize("typed", ["today", "ayer", "Monday", "5/1/26", "02/01/2026"])
async def test_dates_are_read_as_families_write_them(harness: BotHarness, typed: str) -> None:
    reporter = await at(harness, DATE)
    await reporter.say(typed)
    assert "In which <b>state</b>" in reporter.last


@pytest.mark.parametrize("typed", ["abc", "130", "-3"])
async def test_an_age_that_is_not_0_to_120_is_refused(harness: BotHarness, typed: str) -> None:
    reporter = await at(harness, AGE)
    await reporter.say(typed)
    assert "as a number from 0 to 120" in reporter.last


async def test_an_age_under_18_marks_a_minor(harness: BotHarness) -> None:
    reporter = await at(harness, AGE)
    await reporter.say("16")
    await reporter.tap("⬅️ Back")
    assert "Your answer so far: 16" in reporter.last


async def test_text_where_buttons_are_asked_is_refused(harness: BotHarness) -> None:
    reporter = await at(harness, SEX)
    await reporter.say("maybe")
    assert "Please choose one of the buttons below." in reporter.last
    assert "Woman" in reporter.labels()


async def test_a_typed_label_counts_as_the_button(harness: BotHarness) -> None:
    reporter = await at(harness, ENTITY)
    await reporter.say("zulia")
    assert "municipality or town" in reporter.last


async def test_an_other_place_is_asked_by_name(harness: BotHarness) -> None:
    reporter = await at(harness, WHERE)
    await reporter.tap("Other")
    assert "Which place?" in reporter.last
    await reporter.say("y" * 121)
    assert "limit here is 120" in reporter.last


async def test_after_a_refusal_a_good_answer_continues(harness: BotHarness) -> None:
    reporter = await at(harness, NAME)
    await harness.rig.send_sticker(reporter.user)
    await reporter.say("Pedro Pérez")
    assert "cédula" in reporter.last


async def test_reasons_are_given_in_spanish_to_spanish_speakers(harness: BotHarness) -> None:
    reporter = family(harness, harness.people.family_es)
    await reach_question(reporter, CEDULA, DETENTION_ES, "/reportar")
    await reporter.say("V-12")
    assert "Una cédula tiene de 6 a 9 dígitos; esta tiene 2" in reporter.last
