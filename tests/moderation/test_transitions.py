"""Every move of the report and case state machines, legal and illegal (pure tests)."""

from __future__ import annotations

import pytest

from domain.transitions import (
    CaseAction,
    CaseMove,
    IllegalTransition,
    ReportAction,
    case_transition,
    initial_case_state,
    report_transition,
)
from domain.vocabulary import CaseEventKind, CaseState, ReportState

R = ReportState
RA = ReportAction
C = CaseState
CA = CaseAction
E = CaseEventKind

LEGAL_REPORT_MOVES = {
    (R.RECEIVED, RA.TAKE): R.IN_REVIEW,
    (R.IN_REVIEW, RA.TAKE): R.IN_REVIEW,
    (R.NEEDS_INFO, RA.TAKE): R.NEEDS_INFO,
    (R.RECEIVED, RA.VERIFY): R.VERIFIED,
    (R.IN_REVIEW, RA.VERIFY): R.VERIFIED,
    (R.NEEDS_INFO, RA.VERIFY): R.VERIFIED,
    (R.RECEIVED, RA.NEEDS_INFO): R.NEEDS_INFO,
    (R.IN_REVIEW, RA.NEEDS_INFO): R.NEEDS_INFO,
    (R.NEEDS_INFO, RA.NEEDS_INFO): R.NEEDS_INFO,
    (R.RECEIVED, RA.REJECT): R.REJECTED,
    (R.IN_REVIEW, RA.REJECT): R.REJECTED,
    (R.NEEDS_INFO, RA.REJECT): R.REJECTED,
    (R.RECEIVED, RA.DUPLICATE): R.DUPLICATE,
    (R.IN_REVIEW, RA.DUPLICATE): R.DUPLICATE,
    (R.NEEDS_INFO, RA.DUPLICATE): R.DUPLICATE,
}

ILLEGAL_REPORT_MOVES = [
    (state, action) for state in (R.VERIFIED, R.REJECTED, R.DUPLICATE) for action in ReportAction
]


@pytest.mark.parametrize(("move", "expected"), LEGAL_REPORT_MOVES.items())
def test_legal_report_move_reaches_its_state(
    move: tuple[ReportState, ReportAction], expected: ReportState
) -> None:
    assert report_transition(*move) is expected


@pytest.mark.parametrize(("state", "action"), ILLEGAL_REPORT_MOVES)
def test_decided_report_refuses_every_action_with_a_reason(
    state: ReportState, action: ReportAction
) -> None:
    with pytest.raises(IllegalTransition) as refused:
        report_transition(state, action)
    assert refused.value.reason


def test_report_table_covers_every_state_and_action() -> None:
    covered = set(LEGAL_REPORT_MOVES) | set(ILLEGAL_REPORT_MOVES)
    assert covered == {(state, action) for state in ReportState for action in ReportAction}


LEGAL_CASE_MOVES = {
    (C.DETAINED, CA.HOUSE_ARREST): CaseMove(C.HOUSE_ARREST, E.HOUSE_ARREST),
    (C.DISAPPEARED, CA.HOUSE_ARREST): CaseMove(C.HOUSE_ARREST, E.HOUSE_ARREST),
    (C.DETAINED, CA.RELEASE): CaseMove(C.RELEASED, E.RELEASE),
    (C.DISAPPEARED, CA.RELEASE): CaseMove(C.RELEASED, E.RELEASE),
    (C.HOUSE_ARREST, CA.RELEASE): CaseMove(C.RELEASED, E.RELEASE),
    (C.RELEASED, CA.REARREST): CaseMove(C.DETAINED, E.REARREST),
    (C.DETAINED, CA.TRANSFER): CaseMove(C.DETAINED, E.TRANSFER),
    (C.DISAPPEARED, CA.TRANSFER): CaseMove(C.DETAINED, E.TRANSFER),
    (C.HOUSE_ARREST, CA.TRANSFER): CaseMove(C.DETAINED, E.TRANSFER),
    (C.DETAINED, CA.DEATH): CaseMove(C.DECEASED, E.DEATH),
    (C.DISAPPEARED, CA.DEATH): CaseMove(C.DECEASED, E.DEATH),
    (C.HOUSE_ARREST, CA.DEATH): CaseMove(C.DECEASED, E.DEATH),
    (C.RELEASED, CA.CLOSE): CaseMove(C.CLOSED, E.CLOSED),
    (C.DECEASED, CA.CLOSE): CaseMove(C.CLOSED, E.CLOSED),
    (C.DETAINED, CA.MERGE): CaseMove(C.CLOSED, E.MERGED),
    (C.DISAPPEARED, CA.MERGE): CaseMove(C.CLOSED, E.MERGED),
    (C.HOUSE_ARREST, CA.MERGE): CaseMove(C.CLOSED, E.MERGED),
    (C.RELEASED, CA.MERGE): CaseMove(C.CLOSED, E.MERGED),
    (C.DECEASED, CA.MERGE): CaseMove(C.CLOSED, E.MERGED),
}

ILLEGAL_CASE_MOVES = [
    (state, action)
    for state in CaseState
    for action in CaseAction
    if (state, action) not in LEGAL_CASE_MOVES
]


@pytest.mark.parametrize(("move", "expected"), LEGAL_CASE_MOVES.items())
def test_legal_case_move_reaches_its_state_with_its_event(
    move: tuple[CaseState, CaseAction], expected: CaseMove
) -> None:
    state, action = move
    assert case_transition(state, action, place="rodeo1") == expected


@pytest.mark.parametrize(("state", "action"), ILLEGAL_CASE_MOVES)
def test_illegal_case_move_is_refused_with_a_reason(state: CaseState, action: CaseAction) -> None:
    with pytest.raises(IllegalTransition) as refused:
        case_transition(state, action, place="rodeo1")
    assert refused.value.reason


def test_house_arrest_is_never_recorded_as_a_release_condition() -> None:
    with pytest.raises(IllegalTransition) as refused:
        case_transition(C.DETAINED, CA.RELEASE, conditions=("travel_ban", "house_arrest"))
    assert "/housearrest" in refused.value.reason


def test_house_arrest_keeps_the_person_deprived_of_liberty() -> None:
    move = case_transition(C.DETAINED, CA.HOUSE_ARREST)
    assert move.state is C.HOUSE_ARREST
    assert move.event is not E.RELEASE


def test_rearrest_of_a_released_person_is_its_own_event_back_to_detained() -> None:
    assert case_transition(C.RELEASED, CA.REARREST) == CaseMove(C.DETAINED, E.REARREST)


def test_transfer_to_an_unknown_place_is_a_disappearance() -> None:
    move = case_transition(C.DETAINED, CA.TRANSFER, place="unknown")
    assert move == CaseMove(C.DISAPPEARED, E.DISAPPEARED)


def test_closing_a_case_of_someone_still_held_is_refused() -> None:
    for state in (C.DETAINED, C.DISAPPEARED, C.HOUSE_ARREST):
        with pytest.raises(IllegalTransition) as refused:
            case_transition(state, CA.CLOSE)
        assert "deprived of liberty" in refused.value.reason


@pytest.mark.parametrize(
    ("whereabouts", "state"),
    [
        ("helicoide", C.DETAINED),
        ("other", C.DETAINED),
        ("unknown", C.DISAPPEARED),
        (None, C.DISAPPEARED),
    ],
)
def test_a_new_case_starts_detained_or_disappeared_by_its_whereabouts(
    whereabouts: str | None, state: CaseState
) -> None:
    assert initial_case_state(whereabouts) is state
