"""Recording what happens to a person, through the bot's commands."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind, CaseState
from storage.cases import Case
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say


async def _case(harness: BotHarness, whereabouts: str = "helicoide", **fields: object) -> int:
    report = await file_report(harness, whereabouts=whereabouts, **fields)  # type: ignore[arg-type]
    await harness.rig.send_text(harness.people.moderator, f"/verify #{report.id}")
    snapshot = await harness.services.review.get(report.id)
    assert snapshot is not None and snapshot.case_id is not None
    return snapshot.case_id


async def _say(harness: BotHarness, text: str) -> str:
    return await say(harness, harness.people.moderator, text)


async def _get(harness: BotHarness, case_id: int) -> Case:
    case = await harness.services.cases.get(case_id)
    assert case is not None
    return case


async def _events(harness: BotHarness, case_id: int) -> list[tuple[CaseEventKind, dt.date]]:
    return [(e.kind, e.event_date) for e in await harness.services.cases.events(case_id)]


async def test_release_records_its_date_conditions_and_note(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    sent = await _say(
        private_desk, f"/release C{case_id} 11/01/2026 court_presentation,travel_ban cada 8 días"
    )
    assert "excarcelado/a" in sent
    case = await _get(private_desk, case_id)
    assert case.state is CaseState.RELEASED
    assert case.released_on == dt.date(2026, 1, 11)
    assert case.release_conditions == ("court_presentation", "travel_ban")
    events = await private_desk.services.cases.events(case_id)
    release = next(event for event in events if event.kind is CaseEventKind.RELEASE)
    assert (release.event_date, release.details) == (dt.date(2026, 1, 11), None)
    assert case.presentation_days == 8


async def test_release_in_english_keeps_the_interval_and_the_note(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    english = private_desk.people.moderator2
    sent = await say(
        private_desk,
        english,
        f"/release C{case_id} 11/01/2026 court_presentation every 15 days at the Valencia court",
    )
    assert "released" in sent
    case = await _get(private_desk, case_id)
    assert case.presentation_days == 15
    events = await private_desk.services.cases.events(case_id)
    release = next(event for event in events if event.kind is CaseEventKind.RELEASE)
    assert release.details == "at the Valencia court"
    view = await say(private_desk, english, f"/case C{case_id}")
    assert "conditions: Court presentation every 15 days" in view


async def test_release_accepts_the_bare_number_of_days(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/excarcelar C{case_id} ayer presentacion,prohibicion_salida 8 días")
    case = await _get(private_desk, case_id)
    assert case.release_conditions == ("court_presentation", "travel_ban")
    assert case.presentation_days == 8
    view = await _say(private_desk, f"/caso C{case_id}")
    assert "Presentación en tribunales cada 8 días" in view


async def test_release_without_an_interval_keeps_the_generic_condition(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/excarcelar C{case_id} ayer court_presentation")
    case = await _get(private_desk, case_id)
    assert case.release_conditions == ("court_presentation",)
    assert case.presentation_days is None


async def test_an_interval_out_of_range_is_refused_with_the_reason(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    sent = await _say(private_desk, f"/excarcelar C{case_id} ayer presentacion cada 120 días")
    assert "debe ser de 1 a 90 días; «cada 120 días» no lo es" in sent
    english = private_desk.people.moderator2
    sent = await say(
        private_desk, english, f"/release C{case_id} today court_presentation every 0 days"
    )
    assert "must be from 1 to 90 days; «every 0 days» is not" in sent
    sent = await _say(private_desk, f"/excarcelar C{case_id} ayer presentacion cada pocos días")
    assert "un número entero de días, como «cada 15 días»; «cada pocos días» no lo es" in sent
    case = await _get(private_desk, case_id)
    assert case.state is CaseState.DETAINED and case.presentation_days is None


async def test_a_rearrest_keeps_the_latest_release_and_has_its_own_date(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/excarcelar C{case_id} ayer presentacion cada 15 días")
    await _say(private_desk, f"/redetencion C{case_id} hoy yare")
    case = await _get(private_desk, case_id)
    assert case.state is CaseState.DETAINED
    # released_on is the date of the latest release, whatever happened since.
    assert case.released_on == dt.date(2026, 1, 11)
    assert (case.release_conditions, case.presentation_days) == (("court_presentation",), 15)
    assert (CaseEventKind.REARREST, dt.date(2026, 1, 12)) in await _events(private_desk, case_id)


async def test_a_release_dated_before_the_detention_is_refused(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, detained_on=dt.date(2026, 1, 10))
    sent = await _say(private_desk, f"/excarcelar C{case_id} 09/01/2026 plena")
    assert "es anterior a la detención (10 ene 2026)" in sent
    case = await _get(private_desk, case_id)
    assert case.state is CaseState.DETAINED and case.released_on is None


async def test_a_step_dated_before_the_latest_one_is_refused(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk, detained_on=dt.date(2026, 1, 5))
    await _say(private_desk, f"/excarcelar C{case_id} 10/01/2026 plena")
    sent = await _say(private_desk, f"/redetencion C{case_id} 08/01/2026")
    assert "es anterior al último hecho del caso (10 ene 2026)" in sent
    assert (await _get(private_desk, case_id)).state is CaseState.RELEASED


async def test_a_corrected_release_date_moves_released_on_and_keeps_the_order(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk, detained_on=dt.date(2026, 1, 5))
    await _say(private_desk, f"/excarcelar C{case_id} 10/01/2026 plena")
    await _say(private_desk, f"/redetencion C{case_id} 11/01/2026")
    sent = await _say(private_desk, f"/corregir C{case_id} excarcelacion 08/01/2026")
    assert "queda con fecha 8 ene 2026" in sent and "(Era 10 ene 2026.)" in sent
    assert (await _get(private_desk, case_id)).released_on == dt.date(2026, 1, 8)
    assert (CaseEventKind.RELEASE, dt.date(2026, 1, 8)) in await _events(private_desk, case_id)
    # Not after the re-arrest that follows it, not before the detention.
    for date, reason in (
        ("12/01/2026", "posterior al hecho siguiente"),
        ("04/01/2026", "anterior a la detención"),
    ):
        sent = await _say(private_desk, f"/corregir C{case_id} release {date}")
        assert reason in sent
    assert (await _get(private_desk, case_id)).released_on == dt.date(2026, 1, 8)


async def test_the_detention_date_is_corrected_up_to_the_first_step(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk, detained_on=dt.date(2026, 1, 5))
    await _say(private_desk, f"/domiciliaria C{case_id} 07/01/2026")
    sent = await _say(private_desk, f"/corregir C{case_id} detencion 08/01/2026")
    assert "posterior al hecho siguiente del caso (7 ene 2026)" in sent
    await _say(private_desk, f"/correct C{case_id} detention 06/01/2026")
    assert (await _get(private_desk, case_id)).detained_on == dt.date(2026, 1, 6)
    sent = await _say(private_desk, f"/corregir C{case_id} traslado 06/01/2026")
    assert "no tiene un hecho transfer" in sent
    assert "Uso: /corregir" in await _say(private_desk, f"/corregir C{case_id} ayer")


async def test_release_accepts_spanish_condition_names(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/excarcelar C{case_id} ayer presentacion prohibicion_prensa")
    case = await _get(private_desk, case_id)
    assert case.release_conditions == ("court_presentation", "press_ban")


async def test_house_arrest_keeps_the_case_among_the_deprived_of_liberty(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/housearrest C{case_id} hoy")
    case = await _get(private_desk, case_id)
    assert case.state is CaseState.HOUSE_ARREST
    assert case.state in DEPRIVED_OF_LIBERTY
    assert case.released_on is None
    assert (await _events(private_desk, case_id))[-1] == (
        CaseEventKind.HOUSE_ARREST,
        dt.date(2026, 1, 12),
    )


async def test_rearrest_brings_a_released_person_back_to_detained_as_its_own_event(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/release C{case_id} 10/01/2026 full_release")
    await _say(private_desk, f"/rearrest C{case_id} 11/01/2026 tocoron")
    case = await _get(private_desk, case_id)
    assert (case.state, case.place) == (CaseState.DETAINED, "tocoron")
    assert case.released_on == dt.date(2026, 1, 10)
    assert await _events(private_desk, case_id) == [
        (CaseEventKind.RELEASE, dt.date(2026, 1, 10)),
        (CaseEventKind.REARREST, dt.date(2026, 1, 11)),
        (CaseEventKind.VERIFIED, dt.date(2026, 1, 12)),
    ]


async def test_rearrest_of_someone_still_detained_is_refused(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    sent = await _say(private_desk, f"/rearrest C{case_id} hoy")
    assert "⛔" in sent
    assert await _events(private_desk, case_id) == [(CaseEventKind.VERIFIED, dt.date(2026, 1, 12))]


async def test_transfer_to_a_known_place_moves_the_person(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/transfer C{case_id} yare")
    case = await _get(private_desk, case_id)
    assert (case.state, case.place) == (CaseState.DETAINED, "yare")


async def test_transfer_to_a_place_in_words_keeps_the_words(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/traslado C{case_id} 10/01/2026 Comando de Zona 43 <Lara>")
    case = await _get(private_desk, case_id)
    assert (case.place, case.place_other) == ("other", "Comando de Zona 43 <Lara>")
    assert (await _events(private_desk, case_id))[0] == (
        CaseEventKind.TRANSFER,
        dt.date(2026, 1, 10),
    )


async def test_transfer_to_an_unknown_place_is_a_disappearance(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/transfer C{case_id} desconocido")
    assert (await _get(private_desk, case_id)).state is CaseState.DISAPPEARED


async def test_a_disappeared_person_found_at_a_place_is_detained_again(
    private_desk: BotHarness,
) -> None:
    case_id = await _case(private_desk, whereabouts="unknown")
    await _say(private_desk, f"/transfer C{case_id} helicoide")
    case = await _get(private_desk, case_id)
    assert (case.state, case.place) == (CaseState.DETAINED, "helicoide")


async def test_death_in_custody_then_close(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await _say(private_desk, f"/death C{case_id} ayer")
    assert (await _get(private_desk, case_id)).state is CaseState.DECEASED
    await _say(private_desk, f"/close C{case_id}")
    assert (await _get(private_desk, case_id)).state is CaseState.CLOSED


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        pytest.param(
            "/excarcelar C{case} ayer prohibicion_salida cada 15 días",
            ["solo se aplica a la condición court_presentation"],
            id="interval-without-court-presentation",
        ),
        pytest.param(
            "/release C{case} hoy house_arrest",
            ["⛔", "/domiciliaria"],
            id="house-arrest-as-a-release-condition",
        ),
        pytest.param(
            "/close C{case}",
            ["privada de libertad"],
            id="closing-a-case-of-someone-still-detained",
        ),
    ],
)
async def test_a_refused_action_says_why_and_leaves_the_person_detained(
    private_desk: BotHarness, command: str, expected: list[str]
) -> None:
    case_id = await _case(private_desk)
    sent = await _say(private_desk, command.format(case=case_id))
    for fragment in expected:
        assert fragment in sent
    assert (await _get(private_desk, case_id)).state is CaseState.DETAINED


async def test_a_future_date_is_refused_with_its_reason(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    sent = await _say(private_desk, f"/release C{case_id} 20/01/2026 full_release")
    assert sent == "⛔ Esa fecha es futura."
    assert (await _get(private_desk, case_id)).state is CaseState.DETAINED


async def test_merge_closes_the_first_case_into_the_second_with_its_reports(
    private_desk: BotHarness,
) -> None:
    first = await _case(private_desk, name="Luis Mora")
    second = await _case(
        private_desk, name="Luis Alberto Mora", reporter=private_desk.people.family_en
    )
    sent = await _say(private_desk, f"/merge C{first} C{second}")
    assert f"C{first}" in sent and f"C{second}" in sent
    merged = await _get(private_desk, first)
    assert (merged.state, merged.merged_into) == (CaseState.CLOSED, second)
    assert len(await private_desk.services.review.reports_of_case(second)) == 2
    assert await private_desk.services.review.reports_of_case(first) == []


async def test_a_merged_case_refuses_further_actions(private_desk: BotHarness) -> None:
    first = await _case(private_desk)
    second = await _case(private_desk, reporter=private_desk.people.family_en)
    await _say(private_desk, f"/merge C{first} C{second}")
    sent = await _say(private_desk, f"/release C{first} hoy full_release")
    assert f"se fusionó con el caso C{second}" in sent


async def test_each_case_change_notifies_the_reporter(private_desk: BotHarness) -> None:
    case_id = await _case(private_desk)
    await private_desk.services.outbox_worker.drain()
    await _say(private_desk, f"/release C{case_id} hoy full_release")
    await private_desk.services.outbox_worker.drain()
    assert "excarcelado/a" in private_desk.fake.last_text(private_desk.people.family_es.id)


async def test_a_case_change_notifies_every_reporter_of_the_case(private_desk: BotHarness) -> None:
    people = private_desk.people
    case_id = await _case(private_desk)
    other = await file_report(private_desk, reporter=people.family_en)
    await _say(private_desk, f"/verify #{other.id} C{case_id}")
    await private_desk.services.outbox_worker.drain()
    await _say(private_desk, f"/release C{case_id} hoy full_release")
    await private_desk.services.outbox_worker.drain()
    assert "excarcelado/a" in private_desk.fake.last_text(people.family_es.id)
    assert "released" in private_desk.fake.last_text(people.family_en.id)


async def test_a_merge_tells_the_reporters_of_the_merged_case(private_desk: BotHarness) -> None:
    people = private_desk.people
    first = await _case(private_desk)
    second = await _case(private_desk, reporter=people.family_en, whereabouts="unknown")
    await private_desk.services.outbox_worker.drain()
    before = len(private_desk.fake.bot_messages(people.family_es.id))
    await _say(private_desk, f"/merge C{first} C{second}")
    await private_desk.services.outbox_worker.drain()
    assert len(private_desk.fake.bot_messages(people.family_es.id)) == before + 1
    assert "paradero" in private_desk.fake.last_text(people.family_es.id).lower()
