"""The legal moves of a report and of a case, as pure tables.

Storage applies a move only after these functions accept it, and shows the reason
when they refuse. Reasons are English source strings marked with `N_`, translated
where they are shown. Two rules the figures depend on:

- house arrest is still deprivation of liberty: it is never recorded as a release,
  not even as a release "condition";
- a released person can be arrested again: the case returns to `detained` and the
  re-arrest is its own dated event, so releases and re-arrests are both counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.i18n import N_
from domain.vocabulary import CaseEventKind, CaseState, ReportState


class ReportAction(StrEnum):
    TAKE = "take"
    VERIFY = "verify"
    NEEDS_INFO = "needs_info"
    REJECT = "reject"
    DUPLICATE = "duplicate"


class CaseAction(StrEnum):
    HOUSE_ARREST = "house_arrest"
    RELEASE = "release"
    REARREST = "rearrest"
    TRANSFER = "transfer"
    DEATH = "death"
    CLOSE = "close"
    MERGE = "merge"


class IllegalTransition(Exception):
    """A refused move: `reason` is an untranslated message with `{name}` placeholders
    filled from `params` after translation."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


# A report stays open to review until one decision closes it.
OPEN_REPORT_STATES = frozenset(
    {ReportState.RECEIVED, ReportState.IN_REVIEW, ReportState.NEEDS_INFO}
)
DECIDED_REPORT_STATES = frozenset(
    {ReportState.VERIFIED, ReportState.REJECTED, ReportState.DUPLICATE}
)

_DECIDED_REASONS = {
    ReportState.VERIFIED: N_("This report is already verified."),
    ReportState.REJECTED: N_("This report was already rejected."),
    ReportState.DUPLICATE: N_("This report was already joined to a case as a duplicate."),
}

_REPORT_TARGETS = {
    ReportAction.VERIFY: ReportState.VERIFIED,
    ReportAction.NEEDS_INFO: ReportState.NEEDS_INFO,
    ReportAction.REJECT: ReportState.REJECTED,
    ReportAction.DUPLICATE: ReportState.DUPLICATE,
}


def report_transition(state: ReportState, action: ReportAction) -> ReportState:
    """The report's next state, or `IllegalTransition` with the reason."""
    if state in DECIDED_REPORT_STATES:
        raise IllegalTransition(_DECIDED_REASONS[state])
    if action is ReportAction.TAKE:
        # Taking assigns the report; a question already asked stays open.
        return ReportState.IN_REVIEW if state is ReportState.RECEIVED else state
    return _REPORT_TARGETS[action]


@dataclass(frozen=True, slots=True)
class CaseMove:
    """The outcome of an accepted case action: new state and the dated event kind."""

    state: CaseState
    event: CaseEventKind


CUSTODY_STATES = frozenset({CaseState.DETAINED, CaseState.DISAPPEARED, CaseState.HOUSE_ARREST})

_NOT_IN_CUSTODY = {
    CaseState.RELEASED: N_("The person was released; record a re-arrest first."),
    CaseState.DECEASED: N_("The person died in custody; this case admits no more changes."),
    CaseState.CLOSED: N_("This case is closed."),
}

UNKNOWN_PLACE = "unknown"
HOUSE_ARREST_CONDITION = "house_arrest"


def case_transition(
    state: CaseState,
    action: CaseAction,
    *,
    place: str | None = None,
    conditions: tuple[str, ...] = (),
) -> CaseMove:
    """The case's next state and event for `action`, or `IllegalTransition`.

    `place` is the place code of a transfer (`unknown` means the whereabouts were
    lost again); `conditions` are the release condition codes.
    """
    if action is CaseAction.CLOSE:
        return _close(state)
    if action is CaseAction.MERGE:
        if state is CaseState.CLOSED:
            raise IllegalTransition(N_("A closed case cannot be merged."))
        return CaseMove(CaseState.CLOSED, CaseEventKind.MERGED)
    if action is CaseAction.REARREST:
        if state is not CaseState.RELEASED:
            raise IllegalTransition(N_("Only a released person can be re-arrested."))
        return CaseMove(CaseState.DETAINED, CaseEventKind.REARREST)
    if state not in CUSTODY_STATES:
        raise IllegalTransition(_NOT_IN_CUSTODY[state])
    if action is CaseAction.HOUSE_ARREST:
        if state is CaseState.HOUSE_ARREST:
            raise IllegalTransition(N_("The person is already under house arrest."))
        return CaseMove(CaseState.HOUSE_ARREST, CaseEventKind.HOUSE_ARREST)
    if action is CaseAction.RELEASE:
        if HOUSE_ARREST_CONDITION in conditions:
            raise IllegalTransition(
                N_("House arrest is not a release: record it with /housearrest.")
            )
        return CaseMove(CaseState.RELEASED, CaseEventKind.RELEASE)
    if action is CaseAction.TRANSFER:
        if place == UNKNOWN_PLACE:
            return CaseMove(CaseState.DISAPPEARED, CaseEventKind.DISAPPEARED)
        return CaseMove(CaseState.DETAINED, CaseEventKind.TRANSFER)
    return CaseMove(CaseState.DECEASED, CaseEventKind.DEATH)


def _close(state: CaseState) -> CaseMove:
    # Closing a case of someone still held would silently drop them from the count.
    if state in CUSTODY_STATES:
        raise IllegalTransition(
            N_(
                "The person is still deprived of liberty; record a release or a death "
                "before closing the case."
            )
        )
    if state is CaseState.CLOSED:
        raise IllegalTransition(N_("This case is closed."))
    return CaseMove(CaseState.CLOSED, CaseEventKind.CLOSED)


def initial_case_state(whereabouts: str | None) -> CaseState:
    """A verified detention: at a known place, or disappeared when nobody knows where."""
    if whereabouts is None or whereabouts == UNKNOWN_PLACE:
        return CaseState.DISAPPEARED
    return CaseState.DETAINED
