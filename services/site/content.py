"""What the site publishes, read once per build, from what is already public.

Privacy by construction: every case line of the site comes from the public export's
rows (`services.case_files.values` with the public scope), so a name appears only where
the family consented, exactly as in `/exportar … public`, and no cédula, receipt code,
reporter, municipality or free text can reach a page; the figures come from the
snapshot /cifras shows (`storage.figures`), the announcements from `/anunciar`.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from domain.figures import AnnouncedVsVerified, FiguresSnapshot
from domain.vocabulary import DEPRIVED_OF_LIBERTY, CaseEventKind
from services.case_files import PUBLIC, values
from storage.announcements import Announcements
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
    # The feed's entry id: stable across builds, opaque (`CaseExports.public_ref`).
    ref: str = ""


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
    releases: tuple[Release, ...]  # the newest `KEPT` releases, newest first
    releases_total: int
    named: tuple[NamedPerson, ...]  # the `KEPT` latest detained, latest first
    named_total: int
    last_change: dt.datetime | None


# The longest list the site shows of each (the open data holds every case).
KEPT = 1000


T = TypeVar("T")


class _Newest(Generic[T]):
    """The `kept` greatest items by key, ties in the order offered."""

    def __init__(self, kept: int, key: Callable[[T], tuple[int, ...]]) -> None:
        self._kept = kept
        self._key = key
        self._heap: list[tuple[tuple[int, ...], int, T]] = []
        self._offered = 0

    def offer(self, item: T) -> None:
        entry = (self._key(item), -self._offered, item)
        self._offered += 1
        if len(self._heap) < self._kept:
            heapq.heappush(self._heap, entry)
        elif entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def newest(self) -> tuple[T, ...]:
        """Greatest key first, then in the order offered."""
        return tuple(item for _, _, item in sorted(self._heap, key=lambda e: e[:2], reverse=True))


async def collect(
    *,
    figures: FiguresStore,
    announcements: Announcements,
    exports: CaseExports,
    site: SiteStore,
    today: dt.date,
    kept: int = KEPT,
    last_change: dt.datetime | None = None,
) -> SiteContent:
    """Everything one build publishes but the open data, as of `today` (the NGO's
    calendar day), changed last at `last_change` (read here when not given). The lists
    (`kept` long at most) read only the cases that can be in
    them (the newest releases and detentions, `SiteStore`), each through its public row."""
    snapshot = await figures.snapshot(today)
    announced = [
        AnnouncedVsVerified(item, await figures.releases_between(item.since, today))
        for item in await announcements.every()
    ]
    releases = _Newest[Release](kept, lambda item: (item.day.toordinal(),))
    for case in await exports.public_cases(await site.newest_release_cases(today, kept)):
        for release in row_releases(values(case, PUBLIC), today):
            label = f"release:{release.day.isoformat()}"
            releases.offer(replace(release, ref=exports.public_ref(case.case_id, label)))
    named = _Newest[NamedPerson](
        kept, lambda item: ((item.detained_on or dt.date.min).toordinal(),)
    )
    for case in await exports.public_cases(await site.newest_named_cases(kept)):
        if (person := named_person(values(case, PUBLIC))) is not None:
            named.offer(person)
    return SiteContent(
        today=today,
        snapshot=snapshot,
        announced=tuple(announced),
        releases=releases.newest(),
        releases_total=await figures.releases_between(dt.date.min, today),
        named=named.newest(),
        named_total=await site.named_count(),
        last_change=last_change or await site.last_change(),
    )


def row_releases(row: Mapping[str, Any], today: dt.date) -> list[Release]:
    """The releases of one public row up to `today`; its conditions belong to its
    latest release only."""
    found = []
    for event in row.get("events") or ():
        if event.get("kind") != _RELEASE or not event.get("date"):
            continue
        day = dt.date.fromisoformat(event["date"])
        if day > today:
            continue
        latest = event["date"] == row.get("released_on")
        found.append(
            Release(
                day=day,
                federal_entity=row.get("federal_entity"),
                place=row.get("place"),
                conditions=tuple(row.get("release_conditions") or ()) if latest else (),
                presentation_days=row.get("presentation_days") if latest else None,
                name=row.get("person_name") or None,
            )
        )
    return found


def named_person(row: Mapping[str, Any]) -> NamedPerson | None:
    """The person of a public row, when it names them (consent) and they are still
    deprived of liberty."""
    if not row.get("person_name") or row.get("state") not in _DEPRIVED:
        return None
    detained = row.get("detained_on")
    return NamedPerson(
        name=str(row["person_name"]),
        state=str(row["state"]),
        detained_on=dt.date.fromisoformat(detained) if detained else None,
        federal_entity=row.get("federal_entity"),
        detaining_body=row.get("detaining_body"),
        place=row.get("place"),
    )
