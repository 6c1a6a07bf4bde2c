"""The verified figures, defined once: what /cifras, the chart and the site publish.

Conservative by construction: only verified cases are counted, house arrest counts as
deprived of liberty and never as a release, a re-arrest is its own figure, and a case
merged into another is never counted, nor are its events. The figures are computed
here from a `Tally` — how many people are deprived of liberty in each published
breakdown, and how many detentions, releases, re-arrests and deaths in custody fall
on each day. The database keeps that tally in two summaries (storage/figures.py); a
public export carries it in its rows (domain/figures_csv.py), so anyone can recompute
every figure from the open data and get the same numbers through this same code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind, CaseState

CHART_WEEKS = 26
SHOWN_ANNOUNCEMENTS = 3
# The day-kinds a tally counts: detentions (cases by `detained_on`) and the story's
# steps the figures count (`domain.story.COUNTED_KINDS`).
DETENTION = "detention"
RELEASE = CaseEventKind.RELEASE.value
REARREST = CaseEventKind.REARREST.value
DEATH = CaseEventKind.DEATH.value
DAY_KINDS = (DETENTION, RELEASE, REARREST, DEATH)
BREAKDOWNS = ("sex", "affiliation", "federal_entity", "detaining_body")


@dataclass(frozen=True, slots=True)
class Announcement:
    """A figure the authorities published ("over 400 released since 8 January")."""

    id: int
    claimed_count: int
    since: dt.date
    source: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A count and the day its newest piece was verified (None when nothing is counted)."""

    count: int
    last_verified: dt.date | None


@dataclass(frozen=True, slots=True)
class Share:
    """One line of a breakdown; `code` None means the field was not recorded."""

    code: str | None
    count: int


@dataclass(frozen=True, slots=True)
class AnnouncedVsVerified:
    announcement: Announcement
    verified: int

    @property
    def ratio(self) -> float:
        return self.verified / self.announcement.claimed_count


@dataclass(frozen=True, slots=True)
class Week:
    """Verified detentions (re-arrests included), releases and deaths in custody in the
    week from `start`."""

    start: dt.date
    detentions: int
    releases: int
    deaths: int = 0


@dataclass(frozen=True, slots=True)
class FiguresSnapshot:
    version: tuple[int, ...]
    today: dt.date
    deprived: Figure
    disappeared: Figure
    house_arrest: Figure
    releases: Figure
    releases_last_7_days: int
    releases_last_30_days: int
    rearrests: Figure
    by_sex: tuple[Share, ...]
    by_affiliation: tuple[Share, ...]
    minors: int
    by_federal_entity: tuple[Share, ...]
    by_detaining_body: tuple[Share, ...]
    announced: tuple[AnnouncedVsVerified, ...]
    weeks: tuple[Week, ...]
    chart_announcements: tuple[Announcement, ...]
    deaths: Figure = Figure(0, None)


@dataclass(slots=True)
class Tally:
    """What every figure is computed from (unmerged, verified cases only).

    `deprived`: people deprived of liberty per state; `breakdowns`: the same people per
    code of each of `BREAKDOWNS` (None: not recorded); `minors` among them;
    `last_verified`: per deprived state, the calendar day (deployment's time zone) a
    case in it was last verified; `daily`: per kind of `DAY_KINDS`, how many fall on
    each day.
    """

    deprived: Counter[CaseState] = field(default_factory=Counter)
    breakdowns: dict[str, Counter[str | None]] = field(
        default_factory=lambda: {name: Counter() for name in BREAKDOWNS}
    )
    minors: int = 0
    last_verified: dict[CaseState, dt.date] = field(default_factory=dict)
    daily: dict[str, Counter[dt.date]] = field(
        default_factory=lambda: {kind: Counter() for kind in DAY_KINDS}
    )

    def count_deprived(
        self, state: CaseState, codes: Mapping[str, str | None], minor: bool
    ) -> None:
        """One person deprived of liberty, with the codes of the breakdowns."""
        self.deprived[state] += 1
        for name in BREAKDOWNS:
            self.breakdowns[name][codes.get(name)] += 1
        self.minors += int(minor)

    def saw_verified(self, state: CaseState, day: dt.date) -> None:
        if day > self.last_verified.get(state, dt.date.min):
            self.last_verified[state] = day


def chart_start(today: dt.date) -> dt.date:
    """The Monday the chart's first week starts on."""
    return _monday(today) - dt.timedelta(weeks=CHART_WEEKS - 1)


def between(tally: Tally, kind: str, first: dt.date, last: dt.date) -> int:
    """How many of `kind` fall on `first`..`last`, both included."""
    return sum(n for day, n in tally.daily[kind].items() if first <= day <= last)


def compute(
    tally: Tally,
    *,
    today: dt.date,
    announcements: Sequence[Announcement] = (),
    chart_announcements: Sequence[Announcement] = (),
    version: tuple[int, ...] = (),
) -> FiguresSnapshot:
    """Every figure as of `today`: counts of days after it are not counted."""
    by_state = {
        state: Figure(tally.deprived[state], tally.last_verified.get(state))
        for state in DEPRIVED_OF_LIBERTY
    }
    newest = [day for state, day in tally.last_verified.items() if tally.deprived[state]]
    first_week = chart_start(today)
    weeks = {
        first_week + dt.timedelta(weeks=index): Counter[str]() for index in range(CHART_WEEKS)
    }
    for kind in DAY_KINDS:
        for day, n in tally.daily[kind].items():
            week = weeks.get(_monday(day))
            if week is not None and day <= today:
                week[kind] += n
    return FiguresSnapshot(
        version=version,
        today=today,
        deprived=Figure(sum(tally.deprived.values()), max(newest, default=None)),
        disappeared=by_state[CaseState.DISAPPEARED],
        house_arrest=by_state[CaseState.HOUSE_ARREST],
        releases=_event_figure(tally, RELEASE, today),
        releases_last_7_days=between(tally, RELEASE, today - dt.timedelta(days=6), today),
        releases_last_30_days=between(tally, RELEASE, today - dt.timedelta(days=29), today),
        rearrests=_event_figure(tally, REARREST, today),
        deaths=_event_figure(tally, DEATH, today),
        by_sex=_shares(tally.breakdowns["sex"]),
        by_affiliation=_shares(tally.breakdowns["affiliation"]),
        minors=tally.minors,
        by_federal_entity=_shares(tally.breakdowns["federal_entity"]),
        by_detaining_body=_shares(tally.breakdowns["detaining_body"]),
        announced=tuple(
            AnnouncedVsVerified(item, between(tally, RELEASE, item.since, today))
            for item in announcements
        ),
        weeks=tuple(
            Week(
                start,
                detentions=counts[DETENTION] + counts[REARREST],
                releases=counts[RELEASE],
                deaths=counts[DEATH],
            )
            for start, counts in weeks.items()
        ),
        chart_announcements=tuple(chart_announcements),
    )


def _event_figure(tally: Tally, kind: str, today: dt.date) -> Figure:
    days = [day for day, n in tally.daily[kind].items() if n > 0 and day <= today]
    return Figure(between(tally, kind, dt.date.min, today), max(days, default=None))


def _shares(counts: Counter[str | None]) -> tuple[Share, ...]:
    """Largest first, then by code; the unrecorded share last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] is None, -item[1], item[0] or ""))
    return tuple(Share(code, count) for code, count in ordered if count > 0)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
