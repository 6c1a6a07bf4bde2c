"""Random lifecycles of cases, and the two ways a desk can record them.

A `Life` is one person's story as a moderator learns it: the detention, then moves
(detained, disappeared, house arrest, release, re-arrest, transfer, death, closing) and
corrections to when a step happened, in the order the desk hears of them. The same
`Life` is recorded once through the moderators' commands (a report filed, `/verificar`,
`/excarcelar`, `/corregir`, …) and once as a row of an import, so the tests can ask
whether both paths keep one record (issue 23).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

from domain.vocabulary import CaseState

TODAY = dt.date(2026, 1, 12)  # the harness's day in Caracas
EARLIEST = dt.date(2025, 9, 1)
# Names far apart, so that no two lifecycles are offered as the same person.
NAMES = (
    "Ana Gómez", "Bruno Salas", "Carmen Ortiz", "Diego Rangel", "Elena Vargas",
    "Félix Mujica", "Gloria Peña", "Hugo Zambrano", "Irene Quintero", "Jorge Bastidas",
)  # fmt: skip
SEXES = ("female", "male", "other")
AFFILIATIONS = ("civilian", "military_active", "military_retired")
ENTITIES = ("distrito_capital", "miranda", "zulia", "carabobo", "lara", "tachira")
BODIES = ("sebin", "dgcim", "pnb", "gnb", "cicpc", "colectivos")
PLACES = ("helicoide", "zona7", "rodeo1", "tocoron", "police_cells")
CONDITIONS = ("court_presentation", "travel_ban", "press_ban", "full_release")
CUSTODY = (CaseState.DETAINED, CaseState.DISAPPEARED, CaseState.HOUSE_ARREST)
# The step names `/corregir` takes, by event kind.
DETENTION = "detention"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the story as it stands after every correction."""

    kind: str  # an event kind of the story
    on: dt.date


@dataclass(frozen=True, slots=True)
class Move:
    """What the desk records, in the order it learns of it."""

    action: str  # release, house_arrest, rearrest, transfer, disappeared, death, close, correct
    on: dt.date
    place: str | None = None
    conditions: tuple[str, ...] = ()
    every: int | None = None
    step: str | None = None  # for a correction: `detention` or an event kind


@dataclass(slots=True)
class Life:
    """A person, the moves recorded, and what the record should say at the end."""

    name: str
    sex: str
    age: int
    affiliation: str
    entity: str
    body: str
    whereabouts: str  # a place code, or `unknown` (verified as disappeared)
    # `place` is the export's: a code, or empty after a re-arrest that named none
    reported_on: dt.date  # the detention date the family gave
    detained_on: dt.date  # after every correction
    consent: bool
    moves: list[Move] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    state: CaseState = CaseState.DETAINED
    place: str = "unknown"
    conditions: tuple[str, ...] = ()
    every: int | None = None

    def import_cells(self, verified_at: str) -> dict[str, str]:
        """The row an organisation's list would carry for the same history."""
        releases = [step.on for step in self.steps if step.kind == "release"]
        events = [{"kind": DETENTION, "date": self.detained_on.isoformat(),
                   "after": self.first_state.value}]  # fmt: skip
        events += [{"kind": step.kind, "date": step.on.isoformat()} for step in self.steps]
        return {
            "person_name": self.name,
            "state": self.state.value,
            "sex": self.sex,
            "age": str(self.age),
            "is_minor": "0",
            "affiliation": self.affiliation,
            "detained_on": self.detained_on.isoformat(),
            "federal_entity": self.entity,
            "detaining_body": self.body,
            "place": self.place,
            "released_on": releases[-1].isoformat() if releases else "",
            "release_conditions": ",".join(self.conditions),
            "presentation_days": "" if self.every is None else str(self.every),
            "publish_consent": "1" if self.consent else "0",
            "verified_at": verified_at,
            "last_verified_at": verified_at,
            "events": json.dumps(events),
        }

    @property
    def first_state(self) -> CaseState:
        return CaseState.DISAPPEARED if self.whereabouts == "unknown" else CaseState.DETAINED


def _days(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=max(low, high))


@st.composite
def lives(draw: st.DrawFn, name: str) -> Life:
    """One person's random lifecycle: every move legal, every date possible."""
    life = Life(
        name=name,
        sex=draw(st.sampled_from(SEXES)),
        age=draw(st.integers(18, 80)),
        affiliation=draw(st.sampled_from(AFFILIATIONS)),
        entity=draw(st.sampled_from(ENTITIES)),
        body=draw(st.sampled_from(BODIES)),
        whereabouts=draw(st.sampled_from((*PLACES, "unknown"))),
        reported_on=draw(_days(EARLIEST, TODAY)),
        detained_on=EARLIEST,
        consent=draw(st.booleans()),
    )
    life.detained_on = life.reported_on
    life.state = life.first_state
    life.place = life.whereabouts
    for _ in range(draw(st.integers(0, 5))):
        options = _options(life)
        if not options:
            break
        _apply(life, draw(st.sampled_from(options)), draw)
    return life


def _options(life: Life) -> list[str]:
    options: list[str] = []
    if life.state in CUSTODY:
        options += ["release", "transfer", "disappeared", "death"]
        if life.state is not CaseState.HOUSE_ARREST:
            options.append("house_arrest")
    if life.state is CaseState.RELEASED:
        options.append("rearrest")
    if life.state in (CaseState.RELEASED, CaseState.DECEASED):
        options.append("close")
    if life.state is not CaseState.CLOSED or life.steps:
        options.append("correct")
    return options


def _apply(life: Life, action: str, draw: st.DrawFn) -> None:
    if action == "correct":
        _correct(life, draw)
        return
    if action == "close":
        life.moves.append(Move("close", TODAY))
        life.state = CaseState.CLOSED
        return
    last = life.steps[-1].on if life.steps else life.detained_on
    on = draw(_days(last, TODAY))
    move = Move(action, on)
    if action == "release":
        conditions = tuple(
            sorted(draw(st.sets(st.sampled_from(CONDITIONS), min_size=1, max_size=3)))
        )
        every = None
        if "court_presentation" in conditions:
            every = draw(st.none() | st.integers(1, 90))
        move = replace(move, conditions=conditions, every=every)
        life.state, life.conditions, life.every = CaseState.RELEASED, conditions, every
    elif action in ("transfer", "rearrest"):
        where = draw(st.sampled_from(PLACES)) if action == "transfer" else None
        if action == "rearrest":
            where = draw(st.none() | st.sampled_from(PLACES))
        move = replace(move, place=where)
        life.state = CaseState.DETAINED
        life.place = where or ""  # a re-arrest puts the person where it says, if it does
    elif action == "disappeared":
        life.state, life.place = CaseState.DISAPPEARED, "unknown"
    elif action == "house_arrest":
        life.state = CaseState.HOUSE_ARREST
    else:
        life.state = CaseState.DECEASED
    life.moves.append(move)
    life.steps.append(Step(action, on))


def _correct(life: Life, draw: st.DrawFn) -> None:
    """A date learnt wrong: the detention or the latest step of a kind, moved between
    its neighbours (never past them, as /corregir allows)."""
    kinds = sorted({step.kind for step in life.steps})
    step = draw(st.sampled_from([DETENTION, *kinds]))
    if step == DETENTION:
        first = life.steps[0].on if life.steps else TODAY
        on = draw(_days(EARLIEST, first))
        life.detained_on = on
    else:
        index = max(at for at, s in enumerate(life.steps) if s.kind == step)
        low = life.steps[index - 1].on if index else life.detained_on
        high = life.steps[index + 1].on if index + 1 < len(life.steps) else TODAY
        on = draw(_days(low, high))
        life.steps[index] = Step(step, on)
    life.moves.append(Move("correct", on, step=step))


def desk(count: int = 4, least: int = 1) -> st.SearchStrategy[list[Life]]:
    """A few people with distinct names, each with a lifecycle."""
    names = st.lists(st.sampled_from(NAMES), min_size=least, max_size=count, unique=True)
    return names.flatmap(lambda names: st.tuples(*(lives(name) for name in names)).map(list))
