"""Deterministic bulk data sets of verified cases: what they hold, without storing them.

Spread like the NGOs' own lists (most released, a fifth still detained, a few
disappeared, under house arrest, re-arrested, merged). The same spec and seed always
give the same cases, so a benchmark can recompute the identities it queries with
`generate_cases`. storage/fixtures.py inserts them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from domain.vocabulary import (
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    CaseEventKind,
    CaseState,
)

PLACEHOLDER_NAME = "N. N."
MINOR_AGE = 18
CHUNK_ROWS = 20_000
T = TypeVar("T")

FIRST_NAMES = tuple(
    "José María Luis Carlos Ana Rosa Juan Pedro Gabriela Daniela Andrés Miguel Jesús Yolanda"
    " Carmen Elena Rafael Antonio Manuel Francisco Alejandro Fernando Ricardo Eduardo Jorge"
    " Víctor Óscar Ramón Héctor Julio Yusmely Franklin Yelitza Wilmer Nelson Freddy Marisol"
    " Omar Luisa Javier".split()
)
SURNAMES = tuple(
    "Pérez Rodríguez González Hernández García Martínez López Díaz Sánchez Romero Torres"
    " Ramírez Flores Rojas Medina Castillo Morales Gutiérrez Suárez Álvarez Mendoza Blanco"
    " Vargas Castro Rivas Guerrero Salazar Acosta Méndez Mora Peña Ochoa Briceño Colmenares"
    " Zambrano Quintero Parra Urdaneta".split()
)

# Shares follow the NGOs' published lists: most people were released, a fifth remain.
_STATE_WEIGHTS = (
    (CaseState.DETAINED, 0.18),
    (CaseState.DISAPPEARED, 0.03),
    (CaseState.HOUSE_ARREST, 0.05),
    (CaseState.RELEASED, 0.64),
    (CaseState.DECEASED, 0.005),
    (CaseState.CLOSED, 0.095),
)
_BUSY_ENTITIES = {"distrito_capital": 8, "miranda": 5, "zulia": 4, "carabobo": 4, "lara": 3}
_BUSY_BODIES = {"sebin": 6, "dgcim": 6, "pnb": 5, "gnb": 5, "cicpc": 2, "daet_faes": 2}


@dataclass(frozen=True, slots=True)
class FixtureSpec:
    """What to generate; equal specs generate equal rows."""

    cases: int
    seed: int = 20260112
    first_day: dt.date = dt.date(2024, 7, 29)
    today: dt.date = dt.date(2026, 1, 12)
    distinct_names: bool = True
    cedula_share: float = 0.8
    merged_share: float = 0.01
    rearrest_share: float = 0.1


@dataclass(frozen=True, slots=True)
class FixtureEvent:
    kind: CaseEventKind
    event_date: dt.date
    state_before: CaseState | None
    state_after: CaseState


@dataclass(frozen=True, slots=True)
class FixtureCase:
    id: int
    state: CaseState
    name: str
    cedula: str | None
    sex: str
    age: int
    affiliation: str
    detained_on: dt.date
    federal_entity: str
    detaining_body: str
    released_on: dt.date | None
    merged_into: int | None
    events: tuple[FixtureEvent, ...]

    @property
    def is_minor(self) -> bool:
        return self.age < MINOR_AGE


@dataclass(frozen=True, slots=True)
class FixtureSummary:
    first_id: int
    last_id: int
    cases: int
    events: int


def generate_cases(spec: FixtureSpec, first_id: int = 1) -> Iterator[FixtureCase]:
    """The cases of `spec`, ids from `first_id`; merged ones point to an earlier case."""

    def day(offset: int) -> dt.date:
        return spec.first_day + dt.timedelta(days=offset)

    for raw in _generate(spec, first_id):
        yield FixtureCase(
            id=raw.id,
            state=raw.state,
            name=raw.name,
            cedula=raw.cedula,
            sex=raw.sex,
            age=raw.age,
            affiliation=raw.affiliation,
            detained_on=day(raw.detained),
            federal_entity=raw.entity,
            detaining_body=raw.body,
            released_on=day(raw.released) if raw.released is not None else None,
            merged_into=raw.merged_into,
            events=tuple(
                FixtureEvent(kind, day(offset), before, after)
                for kind, offset, before, after in raw.events
            ),
        )


class _RawEvent(NamedTuple):
    kind: CaseEventKind
    day: int
    before: CaseState | None
    after: CaseState


class _RawCase(NamedTuple):
    """A case with its dates as day offsets from `first_day`: cheap to make a million."""

    id: int
    state: CaseState
    name: str
    cedula: str | None
    sex: str
    age: int
    affiliation: str
    detained: int
    entity: str
    body: str
    released: int | None
    merged_into: int | None
    events: list[_RawEvent]


def _generate(spec: FixtureSpec, first_id: int) -> Iterator[_RawCase]:
    draw = _Draw(random.Random(spec.seed))  # noqa: S311 - test data, reproducible on purpose
    states = _Weighted(_STATE_WEIGHTS)
    entities = _Weighted(
        tuple((choice.code, _BUSY_ENTITIES.get(choice.code, 1)) for choice in FEDERAL_ENTITIES)
    )
    bodies = _Weighted(
        tuple((choice.code, _BUSY_BODIES.get(choice.code, 1)) for choice in DETAINING_BODIES)
    )
    affiliations = _Weighted((("civilian", 85), ("military_active", 10), ("military_retired", 5)))
    span = max((spec.today - spec.first_day).days, 1)
    # The first three weeks carry the wave of arrests after the election.
    wave = min(21, span)
    for offset in range(spec.cases):
        case_id = first_id + offset
        in_wave = offset == 0 or draw.chance(0.3)
        detained = draw.below(wave if in_wave else span)
        state = states.pick(draw)
        events, released = _events(draw, spec, span, state, detained)
        merged_into = None
        if offset > 0 and draw.chance(spec.merged_share):
            # A merged case is closed into the earlier one, as /merge leaves it.
            merged_into = first_id + draw.below(offset)
            if state is not CaseState.CLOSED:
                last = events[-1]
                events.append(
                    _RawEvent(CaseEventKind.MERGED, last.day, last.after, CaseState.CLOSED)
                )
                state = CaseState.CLOSED
        yield _RawCase(
            id=case_id,
            state=state,
            name=_name(draw) if spec.distinct_names else PLACEHOLDER_NAME,
            cedula=(
                f"V{4_000_000 + case_id * 7}"
                if spec.distinct_names and draw.chance(spec.cedula_share)
                else None
            ),
            sex="female" if draw.chance(0.18) else "male",
            age=draw.between(14, 75),
            affiliation=affiliations.pick(draw),
            detained=detained,
            entity=entities.pick(draw),
            body=bodies.pick(draw),
            released=released,
            merged_into=merged_into,
            events=events,
        )


class _Draw:
    """The few draws the generator needs, cheaper than `random.choices`/`randint`."""

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random

    def chance(self, share: float) -> bool:
        return self.random() < share

    def below(self, limit: int) -> int:
        return int(self.random() * limit)

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


class _Weighted(Generic[T]):
    def __init__(self, weighted: tuple[tuple[T, float], ...]) -> None:
        self.values = tuple(value for value, _ in weighted)
        self.cumulative = tuple(itertools.accumulate(weight for _, weight in weighted))

    def pick(self, draw: _Draw) -> T:
        # random() < 1, so the point is below the last bound and the index is in range.
        return self.values[
            bisect.bisect_right(self.cumulative, draw.random() * self.cumulative[-1])
        ]


def _name(draw: _Draw) -> str:
    given = FIRST_NAMES[draw.below(len(FIRST_NAMES))]
    if draw.chance(0.6):
        given = f"{given} {FIRST_NAMES[draw.below(len(FIRST_NAMES))]}"
    first = SURNAMES[draw.below(len(SURNAMES))]
    return f"{given} {first} {SURNAMES[draw.below(len(SURNAMES))]}"


def _events(
    draw: _Draw, spec: FixtureSpec, today: int, state: CaseState, detained: int
) -> tuple[list[_RawEvent], int | None]:
    """Verification, then what happened since; every day between arrest and today.

    Every history is one the commands could record: a case is closed only after a
    release or a death, and a re-arrest leaves `released_on` (the latest release) as is.
    """

    def later(start: int, most: int) -> int:
        # Uniform up to `most` days later, never past today (no pile-up on today).
        room = min(most, today - start)
        return start + draw.between(1, room) if room > 0 else today

    first_state = CaseState.DISAPPEARED if state is CaseState.DISAPPEARED else CaseState.DETAINED
    verified = later(detained, 10)
    events = [_RawEvent(CaseEventKind.VERIFIED, verified, None, first_state)]
    released = None
    if state in (CaseState.RELEASED, CaseState.CLOSED) or (
        state is CaseState.DETAINED and draw.chance(spec.rearrest_share)
    ):
        released = later(verified, 300)
        events.append(_RawEvent(CaseEventKind.RELEASE, released, first_state, CaseState.RELEASED))
        if state is CaseState.DETAINED:
            events.append(
                _RawEvent(
                    CaseEventKind.REARREST,
                    later(released, 60),
                    CaseState.RELEASED,
                    CaseState.DETAINED,
                )
            )
        elif state is CaseState.CLOSED:
            events.append(
                _RawEvent(CaseEventKind.CLOSED, later(released, 90), CaseState.RELEASED, state)
            )
    elif state is CaseState.HOUSE_ARREST:
        events.append(
            _RawEvent(CaseEventKind.HOUSE_ARREST, later(verified, 120), first_state, state)
        )
    elif state is CaseState.DECEASED:
        events.append(_RawEvent(CaseEventKind.DEATH, later(verified, 200), first_state, state))
    return events, released
