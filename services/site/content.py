"""What the site publishes, read once per build, from what is already public.

Privacy by construction: every case line of the site comes from the public export's
rows (`services.case_files.values` with the public scope), so a name appears only where
the family consented, exactly as in `/exportar … public`, and no cédula, receipt code,
reporter, municipality or free text can reach a page; the figures come from the
snapshot /cifras shows (`storage.figures`), the announcements from `/anunciar`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.figures import AnnouncedVsVerified, FiguresSnapshot
from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind
from services.case_files import PUBLIC, render, values
from storage.announcements import Announcements
from storage.clock import to_iso
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.site import SiteStore

_DEPRIVED = frozenset(state.value for state in DEPRIVED_OF_LIBERTY)
_RELEASE = CaseEventKind.RELEASE.value


@dataclass(frozen=True, slots=True)
class Release:
    """One verified release as the public file tells it; place, conditions and name are
    None or empty unless the family consented to publication."""

    day: dt.date
    federal_entity: str | None
    place: str | None
    conditions: tuple[str, ...]
    presentation_days: int | None
    name: str | None


@dataclass(frozen=True, slots=True)
class NamedPerson:
    """A person deprived of liberty whose family consented to publication."""

    name: str
    state: str
    detained_on: dt.date | None
    federal_entity: str | None
    detaining_body: str | None
    place: str | None


@dataclass(frozen=True, slots=True)
class SiteContent:
    today: dt.date
    snapshot: FiguresSnapshot
    # Every announcement recorded with /anunciar, the latest first, beside the releases
    # verified since its date.
    announced: tuple[AnnouncedVsVerified, ...]
    releases: tuple[Release, ...]  # newest first
    named: tuple[NamedPerson, ...]  # latest detention first
    last_change: dt.datetime | None
    cases_csv: bytes
    cases_json: bytes


async def collect(
    *,
    figures: FiguresStore,
    announcements: Announcements,
    exports: CaseExports,
    site: SiteStore,
    today: dt.date,
) -> SiteContent:
    """Everything one build publishes, as of `today` (the NGO's calendar day)."""
    snapshot = await figures.snapshot(today)
    announced = [
        AnnouncedVsVerified(item, await figures.releases_between(item.since, today))
        for item in await announcements.every()
    ]
    last_change = await site.last_change()
    cases = await exports.cases(public=True)
    rows = [values(case, PUBLIC) for case in cases]
    stamp = to_iso(last_change) if last_change else ""
    return SiteContent(
        today=today,
        snapshot=snapshot,
        announced=tuple(announced),
        releases=tuple(releases(rows, today)),
        named=tuple(named(rows)),
        last_change=last_change,
        cases_csv=render(cases, file_format="csv", scope=PUBLIC, generated_at=stamp),
        cases_json=render(cases, file_format="json", scope=PUBLIC, generated_at=stamp),
    )


def releases(rows: Iterable[Mapping[str, Any]], today: dt.date) -> list[Release]:
    """Every release in the public rows up to `today`, newest first (then in file order).
    A row's conditions belong to its latest release only."""
    found: list[tuple[dt.date, int, Release]] = []
    for row in rows:
        for event in row.get("events") or ():
            if event.get("kind") != _RELEASE or not event.get("date"):
                continue
            day = dt.date.fromisoformat(event["date"])
            if day > today:
                continue
            latest = event["date"] == row.get("released_on")
            release = Release(
                day=day,
                federal_entity=row.get("federal_entity"),
                place=row.get("place"),
                conditions=tuple(row.get("release_conditions") or ()) if latest else (),
                presentation_days=row.get("presentation_days") if latest else None,
                name=row.get("person_name") or None,
            )
            found.append((day, len(found), release))
    found.sort(key=lambda item: (-item[0].toordinal(), item[1]))
    return [release for _, _, release in found]


def named(rows: Iterable[Mapping[str, Any]]) -> list[NamedPerson]:
    """The people deprived of liberty the public rows name (consent given)."""
    people = [
        NamedPerson(
            name=str(row["person_name"]),
            state=str(row["state"]),
            detained_on=dt.date.fromisoformat(row["detained_on"]) if row["detained_on"] else None,
            federal_entity=row.get("federal_entity"),
            detaining_body=row.get("detaining_body"),
            place=row.get("place"),
        )
        for row in rows
        if row.get("person_name") and row.get("state") in _DEPRIVED
    ]
    people.sort(key=lambda person: (-(person.detained_on or dt.date.min).toordinal(), person.name))
    return people
