"""A person's story and the desk's records: which dated events are which, and their dates.

A case's dated events are of two sorts (docs/EXPORTS.md defines each):

- the **story**: what happened to the person, each step dated when it happened (its
  effective date): the detention (`cases.detained_on`, never a stored event), whereabouts
  lost, house arrest, release, re-arrest, transfer, death in custody;
- the **desk's records**: what the organisation did, dated when it did it: verification,
  closing, merging.

Every event also keeps the moment the desk recorded it. The story runs forward: each step
is dated on or after the detention and the step before it, and never in the future. The
same rule holds for the commands, the intake and the import; this module is its one
definition, and `replay` checks an imported story with the moves the moderators' commands
would make.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from domain.i18n import N_
from domain.transitions import (
    CUSTODY_STATES,
    UNKNOWN_PLACE,
    CaseAction,
    IllegalTransition,
    case_transition,
)
from domain.vocabulary import CaseEventKind, CaseState

# The first step of every story: the detention, dated by `cases.detained_on`.
DETENTION = "detention"
STORY_KINDS = frozenset(
    {
        CaseEventKind.DISAPPEARED,
        CaseEventKind.HOUSE_ARREST,
        CaseEventKind.RELEASE,
        CaseEventKind.REARREST,
        CaseEventKind.TRANSFER,
        CaseEventKind.DEATH,
    }
)
DESK_KINDS = frozenset({CaseEventKind.VERIFIED, CaseEventKind.CLOSED, CaseEventKind.MERGED})
# The story's steps the figures count (with the detention itself).
COUNTED_KINDS = (CaseEventKind.RELEASE, CaseEventKind.REARREST, CaseEventKind.DEATH)
# A verified case starts in custody: at a known place, disappeared, or (from a list) at home.
INITIAL_STATES = CUSTODY_STATES
# The states a case may be closed from (`domain.transitions`): released or dead.
CLOSABLE_STATES = frozenset({CaseState.RELEASED, CaseState.DECEASED})

_ACTIONS = {
    CaseEventKind.DISAPPEARED: CaseAction.TRANSFER,
    CaseEventKind.HOUSE_ARREST: CaseAction.HOUSE_ARREST,
    CaseEventKind.RELEASE: CaseAction.RELEASE,
    CaseEventKind.REARREST: CaseAction.REARREST,
    CaseEventKind.TRANSFER: CaseAction.TRANSFER,
    CaseEventKind.DEATH: CaseAction.DEATH,
}

FUTURE = N_("The date {date} is in the future.")
BEFORE_DETENTION = N_("The date {date} is before the detention ({bound}).")
BEFORE_PREVIOUS = N_(
    "The date {date} is before the case's latest event ({bound}): a person's story only "
    "moves forward. Correct that event's date first."
)
AFTER_NEXT = N_("The date {date} is after the case's next event ({bound}).")
NOT_A_STEP = N_("a {kind} cannot follow the state {state}")
STATES_DIFFER = N_("the {kind} of {date} names states that do not follow from the story")


def is_story(kind: CaseEventKind) -> bool:
    return kind in STORY_KINDS


def check_event_date(
    on: dt.date,
    *,
    today: dt.date,
    detained_on: dt.date | None,
    previous: dt.date | None = None,
    following: dt.date | None = None,
) -> None:
    """Refuse (`IllegalTransition`) a story date in the future, before the detention,
    before the step it follows or after the step that follows it."""
    if on > today:
        raise IllegalTransition(FUTURE, date=on)
    if detained_on is not None and on < detained_on:
        raise IllegalTransition(BEFORE_DETENTION, date=on, bound=detained_on)
    if previous is not None and on < previous:
        raise IllegalTransition(BEFORE_PREVIOUS, date=on, bound=previous)
    if following is not None and on > following:
        raise IllegalTransition(AFTER_NEXT, date=on, bound=following)


def check_detention_date(on: dt.date, *, today: dt.date, first_step: dt.date | None) -> None:
    """A detention date is in the past and not after the story's first step."""
    if on > today:
        raise IllegalTransition(FUTURE, date=on)
    if first_step is not None and on > first_step:
        raise IllegalTransition(AFTER_NEXT, date=on, bound=first_step)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a story as files carry it: `recorded` is when the desk wrote it down."""

    kind: CaseEventKind
    event_date: dt.date
    state_before: CaseState | None
    state_after: CaseState | None
    details: str | None = None
    recorded: dt.datetime | None = None


def ordered(steps: Iterable[Step]) -> list[Step]:
    """By effective date, then in the order recorded (unrecorded ones keep file order)."""
    indexed = list(enumerate(steps))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(item: tuple[int, Step]) -> tuple[dt.date, dt.datetime, int]:
        index, step = item
        return step.event_date, step.recorded or far, index

    return [step for _, step in sorted(indexed, key=key)]


def replay(
    initial: CaseState,
    steps: Sequence[Step],
    *,
    detained_on: dt.date | None,
    today: dt.date,
) -> tuple[CaseState, tuple[Step, ...]]:
    """Walk a story as the commands would record it: the final state, and the steps with
    their states filled in. `IllegalTransition` names the first step that cannot be."""
    if initial not in INITIAL_STATES:
        raise IllegalTransition(
            N_("a story starts in custody, not with the state {state}"), state=initial.value
        )
    state = initial
    previous: dt.date | None = None
    done: list[Step] = []
    for step in steps:
        check_event_date(step.event_date, today=today, detained_on=detained_on, previous=previous)
        place = UNKNOWN_PLACE if step.kind is CaseEventKind.DISAPPEARED else None
        try:
            move = case_transition(state, _ACTIONS[step.kind], place=place)
        except IllegalTransition:
            raise IllegalTransition(NOT_A_STEP, kind=step.kind.value, state=state.value) from None
        if move.event is not step.kind:
            raise IllegalTransition(NOT_A_STEP, kind=step.kind.value, state=state.value)
        if step.state_before not in (None, state) or step.state_after not in (None, move.state):
            raise IllegalTransition(STATES_DIFFER, kind=step.kind.value, date=step.event_date)
        done.append(replace(step, state_before=state, state_after=move.state))
        state, previous = move.state, step.event_date
    return state, tuple(done)


def latest_release(steps: Iterable[Step]) -> dt.date | None:
    """`released_on`: the date of the latest release; a re-arrest leaves it as it was."""
    dates = [step.event_date for step in steps if step.kind is CaseEventKind.RELEASE]
    return dates[-1] if dates else None


@dataclass(frozen=True, slots=True)
class ParsedStory:
    """The `events` cell of a file, read: the detention, the steps, and what older
    exports carried among them (their `verified`, `closed` and `merged` records)."""

    initial: CaseState | None
    detention_date: dt.date | None
    steps: tuple[Step, ...]
    closed_on: dt.date | None = None
    # Merge notes of older exports ("merged_from=12"): they named case numbers of the
    # deployment the file came from, which mean nothing here, so they are left out.
    skipped_notes: int = 0


class StoryFormatError(ValueError):
    """The cell is not a list of events as the export writes it."""


def parse_events(items: object) -> ParsedStory:
    """Read the decoded JSON of an `events` cell; `StoryFormatError` if it is not one."""
    if not isinstance(items, list):
        raise StoryFormatError("not a list")
    initial: CaseState | None = None
    detention: dt.date | None = None
    closed_on: dt.date | None = None
    skipped = 0
    steps: list[Step] = []
    try:
        for item in items:
            if not isinstance(item, dict):
                raise StoryFormatError("not an object")
            kind, after = str(item["kind"]), _state(item.get("after"))
            if kind == DETENTION:
                date = item.get("date")
                initial, detention = after, _day(date) if date is not None else None
            elif kind == CaseEventKind.VERIFIED and item.get("before") is None:
                initial = initial or after  # an older export's first record
            elif kind == CaseEventKind.CLOSED:
                closed_on = _day(item.get("date"))
            elif kind == CaseEventKind.MERGED:
                skipped += 1 if item.get("details") else 0
            elif kind != CaseEventKind.VERIFIED:
                steps.append(_step(item, CaseEventKind(kind), after))
    except (KeyError, TypeError, ValueError) as exc:
        raise StoryFormatError(str(exc)) from exc
    return ParsedStory(initial, detention, tuple(ordered(steps)), closed_on, skipped)


def _step(item: dict[str, object], kind: CaseEventKind, after: CaseState | None) -> Step:
    if kind not in STORY_KINDS:
        raise StoryFormatError(f"unknown kind {kind}")
    details, recorded = item.get("details"), item.get("recorded")
    return Step(
        kind=kind,
        event_date=_day(item.get("date")),
        state_before=_state(item.get("before")),
        state_after=after,
        details=str(details) if details else None,
        recorded=_moment(str(recorded)) if recorded else None,
    )


def _state(value: object) -> CaseState | None:
    return CaseState(str(value)) if value else None


def _day(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
