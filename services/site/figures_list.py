"""Every figure the site shows, named once: the page's tables and `data/figures.json`
are both written from this list, so the file holds every figure on the page, each with
its definition and the day it is as of.

The numbers are those of the snapshot /cifras shows (`domain.figures`), the labels
those of /cifras's breakdowns (`services.figures_text`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.figures import Figure, FiguresSnapshot, Share
from domain.i18n import N_, Translator
from services.figures_text import (
    AFFILIATION_LABELS,
    BODY_LABELS,
    ENTITY_LABELS,
    NOT_RECORDED,
    SEX_LABELS,
)
from services.site.content import SiteContent

LAST_VERIFIED = "last_verified"
LATEST = "latest"


@dataclass(frozen=True, slots=True)
class FigureLine:
    """One figure: `label` and `definition` are message ids (translated when shown);
    `day` is when its newest piece was verified (`LAST_VERIFIED`) or happened (`LATEST`)."""

    key: str
    group: str
    label: str
    definition: str
    value: int
    day: dt.date | None = None
    day_kind: str = ""


HEADLINE = "headline"
GROUPS: tuple[tuple[str, str], ...] = (
    ("sex", N_("By sex")),
    ("affiliation", N_("Civilians and military")),
    ("minors", N_("Minors")),
    ("federal_entity", N_("By state")),
    ("detaining_body", N_("By detaining body")),
)
_DEFINITIONS = {
    "sex": N_("People deprived of liberty, by sex."),
    "affiliation": N_("People deprived of liberty, civilians and military (active or retired)."),
    "federal_entity": N_("People deprived of liberty, by the state where they were detained."),
    "detaining_body": N_("People deprived of liberty, by the body that detained them."),
}
_LABELS: dict[str, Mapping[str, str]] = {
    "sex": SEX_LABELS,
    "affiliation": AFFILIATION_LABELS,
    "federal_entity": ENTITY_LABELS,
    "detaining_body": BODY_LABELS,
}


def headline(snapshot: FiguresSnapshot) -> list[FigureLine]:
    """The figures at the top of /cifras, in its order."""

    def line(key: str, label: str, definition: str, figure: Figure, kind: str) -> FigureLine:
        return FigureLine(
            key, HEADLINE, label, definition, figure.count, figure.last_verified, kind
        )

    s = snapshot
    return [
        line("deprived", N_("Deprived of liberty"), N_(
            "People whose verified case is now detained, disappeared or under house arrest."
        ), s.deprived, LAST_VERIFIED),
        line("disappeared", N_("of whom disappeared"), N_(
            "Deprived of liberty with whereabouts unknown: the sign of an enforced "
            "disappearance."
        ), s.disappeared, LAST_VERIFIED),
        line("house_arrest", N_("of whom under house arrest"), N_(
            "Under house arrest: still deprived of liberty, never counted as a release."
        ), s.house_arrest, LAST_VERIFIED),
        line("releases", N_("Releases"), N_(
            "Every verified release, on the day it happened, including people later "
            "arrested again."
        ), s.releases, LATEST),
        FigureLine("releases_last_7_days", HEADLINE, N_("Releases in the last 7 days"), N_(
            "Verified releases dated in the 7 days up to the day of the figures."
        ), s.releases_last_7_days),
        FigureLine("releases_last_30_days", HEADLINE, N_("Releases in the last 30 days"), N_(
            "Verified releases dated in the 30 days up to the day of the figures."
        ), s.releases_last_30_days),
        line("rearrests", N_("Re-arrests"), N_(
            "Every time a released person was detained again, on its day."
        ), s.rearrests, LATEST),
        line("deaths", N_("Deaths in custody"), N_(
            "Every verified death of a person in custody, on its day."
        ), s.deaths, LATEST),
    ]  # fmt: skip


def breakdowns(snapshot: FiguresSnapshot) -> list[FigureLine]:
    """The people deprived of liberty by group, as /cifras breaks them down."""
    lines: list[FigureLine] = []
    shares: dict[str, Sequence[Share]] = {
        "sex": snapshot.by_sex,
        "affiliation": snapshot.by_affiliation,
        "federal_entity": snapshot.by_federal_entity,
        "detaining_body": snapshot.by_detaining_body,
    }
    for group, _ in GROUPS:
        if group == "minors":
            lines.append(
                FigureLine(
                    "minors", group, N_("Minors"),
                    N_("People deprived of liberty who are minors."), snapshot.minors,
                )
            )  # fmt: skip
            continue
        labels = _LABELS[group]
        for share in shares[group]:
            code = share.code
            label = NOT_RECORDED if code is None else labels.get(code, code)
            key = f"{group}.{code or 'not_recorded'}"
            lines.append(FigureLine(key, group, label, _DEFINITIONS[group], share.count))
    return lines


def every_line(snapshot: FiguresSnapshot) -> list[FigureLine]:
    return headline(snapshot) + breakdowns(snapshot)


def figures_json(content: SiteContent, translators: Sequence[Translator]) -> bytes:
    """`data/figures.json`: every figure on the page, its definition in each language and
    the day it is as of; the announcements beside the verified releases; the weeks of
    the chart. Sorted keys and a fixed layout: the same data gives the same bytes."""
    snapshot = content.snapshot

    def texts(message: str) -> dict[str, str]:
        return {t.language: t.gettext(message) for t in translators}

    figures: list[dict[str, Any]] = []
    for line in every_line(snapshot):
        item: dict[str, Any] = {
            "key": line.key,
            "group": line.group,
            "label": texts(line.label),
            "definition": texts(line.definition),
            "value": line.value,
            "as_of": snapshot.today.isoformat(),
        }
        if line.day_kind:
            item[line.day_kind] = line.day.isoformat() if line.day else None
        figures.append(item)
    document = {
        "format": "vigia-figures",
        "version": 1,
        "as_of": snapshot.today.isoformat(),
        "last_updated": content.last_change.isoformat() if content.last_change else None,
        "figures": figures,
        "announced": [
            {
                "claimed": item.announcement.claimed_count,
                "since": item.announcement.since.isoformat(),
                "source": item.announcement.source,
                "verified": item.verified,
                "gap": item.announcement.claimed_count - item.verified,
                "as_of": snapshot.today.isoformat(),
                "definition": texts(ANNOUNCED_DEFINITION),
            }
            for item in content.announced
        ],
        "weeks": [
            {
                "start": week.start.isoformat(),
                "detentions": week.detentions,
                "releases": week.releases,
                "deaths": week.deaths,
            }
            for week in snapshot.weeks
        ],
        "weeks_definition": texts(WEEKS_DEFINITION),
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


ANNOUNCED_DEFINITION = N_(
    "Releases the authorities announced since a day, beside the releases verified "
    "case by case since that day; the gap is announced minus verified."
)
WEEKS_DEFINITION = N_(
    "Per week from Monday: verified detentions (re-arrests included), releases and "
    "deaths in custody."
)
