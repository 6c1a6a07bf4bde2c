"""The text of the verified figures: /cifras, /figures, and `figures --from-csv`.

One layout for every reader of `domain.figures`: the bot's message, the command that
recomputes the figures from a public export, and (through the same snapshot) the
site. Every number and date is formatted in the reader's locale, every recorded
announcement is shown beside the releases verified since its date.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from domain.figures import AnnouncedVsVerified, Figure, FiguresSnapshot, Share
from domain.i18n import N_, Translator
from domain.vocabulary import DETAINING_BODIES, FEDERAL_ENTITIES, Choice

_TAG = re.compile(r"<[^>]+>")


SEX_LABELS = {"female": N_("Women"), "male": N_("Men"), "other": N_("Other")}
AFFILIATION_LABELS = {
    "civilian": N_("Civilians"),
    "military_active": N_("Active military"),
    "military_retired": N_("Retired military"),
}
NOT_RECORDED = N_("not recorded")


def _choice_labels(choices: tuple[Choice, ...]) -> dict[str, str]:
    return {choice.code: choice.label for choice in choices}


ENTITY_LABELS = _choice_labels(FEDERAL_ENTITIES)
BODY_LABELS = _choice_labels(DETAINING_BODIES)


def figures_text(t: Translator, snapshot: FiguresSnapshot, awaiting: int | None) -> str:
    """The HTML message of /cifras: headline figures, announcements, then breakdowns.

    `awaiting` None leaves out the line of reports awaiting verification (a case file,
    which `python -m bot figures --from-csv` reads, holds verified cases only)."""
    _ = t.gettext
    lines = [
        _heading(_("📊 Verified figures")),
        _("Only cases our team verified one by one. Figures as of {date}.").format(
            date=t.date(snapshot.today, "long")
        ),
        "",
        _figure(t, _("🔒 Deprived of liberty: {count}"), snapshot.deprived, verified=True),
        "   " + _figure(t, _("of whom disappeared: {count}"), snapshot.disappeared, verified=True),
        "   "
        + _figure(
            t, _("of whom under house arrest: {count}"), snapshot.house_arrest, verified=True
        ),
        _figure(t, _("🔓 Releases: {count}"), snapshot.releases, verified=False),
        "   "
        + _("last 7 days: {week} · last 30 days: {month}").format(
            week=_bold(t, snapshot.releases_last_7_days),
            month=_bold(t, snapshot.releases_last_30_days),
        ),
        _figure(t, _("🔁 Re-arrests: {count}"), snapshot.rearrests, verified=False),
        _figure(t, _("🕯 Deaths in custody: {count}"), snapshot.deaths, verified=False),
    ]
    if awaiting is not None:
        lines.append(
            _("⏳ Reports awaiting verification: {count}").format(count=_bold(t, awaiting))
        )
    if snapshot.announced:
        lines += ["", _heading(_("Announced and verified"))]
        lines += [announced_line(t, item) for item in snapshot.announced]
    if snapshot.deprived.count:
        lines += [
            "",
            _heading(_("Deprived of liberty, by group")),
            _shares(t, snapshot.by_sex, SEX_LABELS),
            _shares(t, snapshot.by_affiliation, AFFILIATION_LABELS),
            _("Minors: {count}").format(count=_bold(t, snapshot.minors)),
            "",
            _heading(_("By state")),
            _shares(t, snapshot.by_federal_entity, ENTITY_LABELS),
            "",
            _heading(_("By detaining body")),
            _shares(t, snapshot.by_detaining_body, BODY_LABELS),
        ]
    return "\n".join(lines)


def announced_line(t: Translator, item: AnnouncedVsVerified) -> str:
    announcement = item.announcement
    return t.ngettext(
        "The authorities announced {claimed} release since {date} ({source}); "
        "verified so far: {verified} ({percent}).",
        "The authorities announced {claimed} releases since {date} ({source}); "
        "verified so far: {verified} ({percent}).",
        announcement.claimed_count,
    ).format(
        claimed=_bold(t, announcement.claimed_count),
        date=t.date(announcement.since, "long"),
        source=html.escape(announcement.source),
        verified=_bold(t, item.verified),
        percent=t.percent(item.ratio),
    )


def _heading(text: str) -> str:
    return f"<b>{text}</b>"


def _bold(t: Translator, value: int) -> str:
    return f"<b>{t.number(value)}</b>"


def _figure(t: Translator, template: str, figure: Figure, *, verified: bool) -> str:
    """A count with its date: when it was last verified, or the newest event's day."""
    text = template.format(count=_bold(t, figure.count))
    if figure.last_verified is None:
        return text
    day = t.date(figure.last_verified, "medium")
    if verified:
        return text + " " + t.gettext("(last verified {date})").format(date=day)
    return text + " " + t.gettext("(latest on {date})").format(date=day)


def _shares(t: Translator, shares: tuple[Share, ...], labels: Mapping[str, str]) -> str:
    parts = []
    for share in shares:
        if share.code is None:
            label = t.gettext(NOT_RECORDED)
        else:
            label = t.gettext(labels[share.code]) if share.code in labels else share.code
        parts.append(f"{html.escape(label)}: {_bold(t, share.count)}")
    return " · ".join(parts)


def plain_text(text: str) -> str:
    """The message without its HTML (bold, escapes), for a terminal."""
    return html.unescape(_TAG.sub("", text))
