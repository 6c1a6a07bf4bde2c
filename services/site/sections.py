"""The sections of a site page, as HTML: each a heading and tables with captions.

Every text is escaped here (sources of announcements and consented names are typed by
people); numbers and dates are formatted by babel in the reader's locale. Tables sit in
a scrolling box, so a narrow phone scrolls the table, never the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from domain.i18n import Translator
from services.site import labels
from services.site.content import SiteContent
from services.site.figures_list import (
    GROUPS,
    LAST_VERIFIED,
    FigureLine,
    breakdowns,
    headline,
)

LISTED_RELEASES = 200
LISTED_PEOPLE = 1000


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def table(
    caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: int = 0
) -> str:
    """A table with its caption; cells are already HTML. The last `numeric` columns are
    aligned right."""
    columns = len(head)
    heads = "".join(
        f'<th scope="col"{_align(i, columns, numeric)}>{cell}</th>' for i, cell in enumerate(head)
    )
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>'] + [
            f"<td{_align(i, columns, numeric)}>{cell}</td>" for i, cell in enumerate(row) if i
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        # Focusable and named: a table wider than a phone scrolls by keyboard too.
        f'<div class="scroll" role="region" tabindex="0" aria-label="{caption}">'
        f"<table><caption>{caption}</caption>"
        f"<thead><tr>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _align(index: int, columns: int, numeric: int) -> str:
    return ' class="n"' if index >= columns - numeric else ""


def section(anchor: str, heading: str, *parts: str) -> str:
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-h">'
        f'<h2 id="{anchor}-h">{esc(heading)}</h2>{"".join(parts)}</section>'
    )


def _count(t: Translator, line: FigureLine) -> str:
    return f'<span data-figure="{esc(line.key)}">{esc(t.number(line.value))}</span>'


def verified(t: Translator, content: SiteContent) -> str:
    _ = t.gettext
    rows = []
    for line in headline(content.snapshot):
        if line.day is None:
            day = ""
        elif line.day_kind == LAST_VERIFIED:
            day = _("last verified {date}").format(date=t.date(line.day, "medium"))
        else:
            day = _("latest on {date}").format(date=t.date(line.day, "medium"))
        label = f"{esc(_(line.label))}<small>{esc(_(line.definition))}</small>"
        rows.append((label, _count(t, line), esc(day)))
    only_verified = _("Only cases our team verified one by one.")
    caption = esc(
        _("Verified figures as of {date}").format(date=t.date(content.snapshot.today, "long"))
    )
    return section(
        "verified",
        _("Verified figures"),
        f"<p>{esc(only_verified)}</p>",
        table(caption, (esc(_("Figure")), esc(_("People")), esc(_("Date"))), rows, numeric=0),
    )


def announced(t: Translator, content: SiteContent) -> str:
    _ = t.gettext
    if not content.announced:
        none = _("No official announcement has been recorded.")
        body = f"<p>{esc(none)}</p>"
    else:
        rows = [
            (
                esc(t.date(item.announcement.since, "long")),
                esc(item.announcement.source),
                esc(t.number(item.announcement.claimed_count)),
                esc(t.number(item.verified)),
                esc(t.number(item.announcement.claimed_count - item.verified)),
                esc(t.percent(item.verified / item.announcement.claimed_count)),
            )
            for item in content.announced
        ]
        head = (
            _("Since"),
            _("Source"),
            _("Announced"),
            _("Verified"),
            _("Gap"),
            _("Verified share"),
        )
        body = table(
            esc(
                _("Releases announced by the authorities and releases verified since the same day")
            ),
            [esc(cell) for cell in head],
            rows,
            numeric=4,
        )
    return section("announced", _("Announced and verified"), body)


def groups(t: Translator, content: SiteContent) -> str:
    _ = t.gettext
    lines = breakdowns(content.snapshot)
    tables = []
    for group, title in GROUPS:
        rows = [(esc(_(line.label)), _count(t, line)) for line in lines if line.group == group]
        if rows:
            tables.append(
                table(esc(_(title)), (esc(_("Group")), esc(_("People"))), rows, numeric=1)
            )
    return section("groups", _("Deprived of liberty, by group"), *tables)


def over_time(t: Translator, content: SiteContent, svg: str) -> str:
    _ = t.gettext
    rows = [
        (
            esc(t.date(week.start, "medium")),
            esc(t.number(week.detentions)),
            esc(t.number(week.releases)),
            esc(t.number(week.deaths)),
        )
        for week in content.snapshot.weeks
    ]
    head = (
        _("Week from"),
        _("Detentions (re-arrests included)"),
        _("Releases"),
        _("Deaths in custody"),
    )
    data = table(
        esc(_("Verified detentions, releases and deaths in custody per week")),
        [esc(cell) for cell in head],
        rows,
        numeric=3,
    )
    return section("over-time", _("Over time"), f'<div class="chart">{svg}</div>', data)


def releases(t: Translator, content: SiteContent) -> str:
    _ = t.gettext
    shown = content.releases[:LISTED_RELEASES]
    rows = [
        (
            esc(t.date(item.day, "medium")),
            esc(labels.entity(t, item.federal_entity)),
            esc(labels.place(t, item.place)),
            esc(labels.conditions(t, item)),
            esc(item.name or ""),
        )
        for item in shown
    ]
    head = (_("Date"), _("State"), _("Place of detention"), _("Conditions"), _("Name"))
    note = _(
        "A name, a place and conditions are shown only where the family consented to publication."
    )
    parts = [
        f"<p>{esc(note)}</p>",
        table(esc(_("Verified releases, newest first")), [esc(c) for c in head], rows),
    ]
    if len(content.releases) > len(shown):
        parts.append(_more(t, len(shown), len(content.releases)))
    return section("releases", _("Verified releases"), *parts)


def people(t: Translator, content: SiteContent) -> str:
    _ = t.gettext
    shown = content.named[:LISTED_PEOPLE]
    rows = [
        (
            esc(person.name),
            esc(labels.state(t, person.state)),
            esc(t.date(person.detained_on, "medium") if person.detained_on else ""),
            esc(labels.entity(t, person.federal_entity)),
            esc(labels.body(t, person.detaining_body)),
            esc(labels.place(t, person.place)),
        )
        for person in shown
    ]
    head = (
        _("Name"),
        _("Situation"),
        _("Detained on"),
        _("State"),
        _("Detaining body"),
        _("Place of detention"),
    )
    note = _(
        "Only people whose families consented to publication are named here; everyone "
        "else is counted in the figures without a name."
    )
    parts = [
        f"<p>{esc(note)}</p>",
        table(
            esc(_("People deprived of liberty, named with their families' consent")),
            [esc(c) for c in head],
            rows,
        ),
    ]
    if len(content.named) > len(shown):
        parts.append(_more(t, len(shown), len(content.named)))
    return section("people", _("Named with consent"), *parts)


def _more(t: Translator, shown: int, total: int) -> str:
    text = t.gettext("Showing {shown} of {total}; the open data holds them all.").format(
        shown=t.number(shown), total=t.number(total)
    )
    return f"<p>{esc(text)}</p>"


def methodology(t: Translator, rendered: str) -> str:
    return section("methodology", t.gettext("Methodology"), f'<div class="md">{rendered}</div>')


def open_data(t: Translator, prefix: str, feed: str) -> str:
    _ = t.gettext
    links = (
        (f"{prefix}data/cases.csv", _("Cases (CSV, the columns of the public export)")),
        (f"{prefix}data/cases.json", _("Cases (JSON, the same columns)")),
        (f"{prefix}data/figures.json", _("Every figure on this page, with its definition (JSON)")),
        (feed, _("Verified releases (Atom feed)")),
    )
    items = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    return section("open-data", _("Open data"), f"<ul>{items}</ul>")
