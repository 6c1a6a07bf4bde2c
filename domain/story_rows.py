"""The story of one imported row: its `events` read and checked, or the story its state
and dates imply, and the dates the row's columns must agree with.

Refusals are `IllegalTransition`s (an untranslated reason with its parameters), which
`domain.case_rows` turns into the row's problem. One definition of `released_on` and
of the story's order, whichever path a case took (docs/EXPORTS.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from domain.i18n import N_
from domain.story import (
    CLOSABLE_STATES,
    INITIAL_STATES,
    ParsedStory,
    Step,
    StoryFormatError,
    check_event_date,
    latest_release,
    parse_events,
    replay,
)
from domain.transitions import IllegalTransition
from domain.vocabulary import CaseEventKind, CaseState


@dataclass(frozen=True, slots=True)
class RowDates:
    """The row's own date columns, as read."""

    detained_on: dt.date | None
    released_on: dt.date | None
    closed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class RowStory:
    initial: CaseState
    detained_on: dt.date | None
    released_on: dt.date | None
    closed_on: dt.date | None
    steps: tuple[Step, ...]
    skipped_notes: int


def row_story(
    events: str,
    dates: RowDates,
    *,
    state: CaseState,
    merged: bool,
    updated_at: dt.datetime | None,
    today: dt.date,
) -> RowStory:
    """The row's story, checked as the commands would record it."""
    parsed = _parsed(events)
    detention = parsed.detention_date if parsed else None
    if dates.detained_on and detention and dates.detained_on != detention:
        raise IllegalTransition(N_("detained_on is not the date of the detention in events"))
    detained_on = dates.detained_on or detention
    if parsed is None:
        initial = initial_of(state)
        steps = _implied_steps(state, dates.released_on, updated_at, today)
    else:
        steps = parsed.steps
        first = steps[0].state_before if steps else None
        initial = parsed.initial or first or initial_of(state)
    final, steps = replay(initial, steps, detained_on=detained_on, today=today)
    _check_end(state, final, merged)
    latest = latest_release(steps)
    if dates.released_on is not None and dates.released_on != latest:
        raise IllegalTransition(
            N_("released_on {value} is not the date of the latest release in the events"),
            value=dates.released_on,
        )
    closed_on = dates.closed_on or (parsed.closed_on if parsed else None)
    if closed_on is not None:
        if state is not CaseState.CLOSED:
            raise IllegalTransition(N_("closed_on is only for a closed case"))
        previous = steps[-1].event_date if steps else None
        check_event_date(closed_on, today=today, detained_on=detained_on, previous=previous)
    skipped = parsed.skipped_notes if parsed else 0
    return RowStory(initial, detained_on, latest, closed_on, steps, skipped)


def initial_of(state: CaseState) -> CaseState:
    """Where a story told by a state alone starts: that state if it is one of custody."""
    return state if state in INITIAL_STATES else CaseState.DETAINED


def _implied_steps(
    state: CaseState,
    released_on: dt.date | None,
    updated_at: dt.datetime | None,
    today: dt.date,
) -> tuple[Step, ...]:
    """A list without `events`: a release on `released_on` for a released or closed
    case, a death for a dead one (on `updated_at`'s day, else the day of the import)."""
    steps: list[Step] = []
    if released_on is not None and state in (CaseState.RELEASED, CaseState.CLOSED):
        steps.append(Step(CaseEventKind.RELEASE, released_on, None, None))
    if state is CaseState.DECEASED:
        day = updated_at.date() if updated_at else today
        steps.append(Step(CaseEventKind.DEATH, min(day, today), None, None))
    return tuple(steps)


def _check_end(state: CaseState, final: CaseState, merged: bool) -> None:
    """The state column says where the story ended; closing and merging are the desk's."""
    if merged:
        if state is not CaseState.CLOSED:
            raise IllegalTransition(N_("a merged case is closed: state must be closed"))
        return
    if state is CaseState.CLOSED:
        if final not in CLOSABLE_STATES:
            raise IllegalTransition(
                N_(
                    "a closed case needs a release (released_on) or a death first: closing "
                    "the case of someone still held would drop them from the count"
                )
            )
        return
    if final is not state:
        raise IllegalTransition(
            N_("state {value} is not where the events leave the person ({final})"),
            value=state.value,
            final=final.value,
        )


def _parsed(events: str) -> ParsedStory | None:
    if not events:
        return None
    try:
        return parse_events(json.loads(events))
    except RecursionError as exc:
        # json.loads recurses once per bracket: thousands of them exhaust the stack.
        raise IllegalTransition(N_("events is nested too deeply to be a list of events")) from exc
    except (ValueError, StoryFormatError) as exc:
        raise IllegalTransition(
            N_("events is not a list of events as the export writes it")
        ) from exc
