"""The notice moderators get for every new report.

To the moderation group when MODERATION_CHAT_ID is set, otherwise privately to every
moderator and admin, each in their own language. Never anything about who sent the
report; every typed value escaped. In the group, only the number, kind, urgency and
48-hour clock (`group_notice_text`); the full notice opens privately. The text is
built here; the action buttons under it (and the duplicate suggestions they offer) are
the moderation desk's. How and when
it is sent (the outbox's staff lane, merged when the chat is behind) is
`services.staff_notices` and `handlers.intake.staff_render`.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from domain.cedula import display_cedula
from domain.clock48 import clock48
from domain.i18n import Translator
from domain.vocabulary import (
    AFFILIATIONS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    PLACES,
    RELEASE_CONDITIONS,
    SEXES,
    Choice,
    ReportKind,
    label_for,
)
from handlers.context import VigiaContext
from handlers.intake.flows import NEWS_KINDS, OTHER
from handlers.moderation.keyboards import Suggested
from handlers.moderation.keyboards import notice_rows as desk_rows
from handlers.moderation.texts import clock_text
from handlers.sending import Rows
from services.staff_notices import notify_staff
from storage.reports import Report

logger = logging.getLogger(__name__)

NEWS_PREVIEW = 400


def notice_rows(t: Translator, report: Report, suggestions: tuple[Suggested, ...] = ()) -> Rows:
    """The desk's action buttons, with its duplicate suggestions for this report."""
    return desk_rows(report.id, t, report.version, suggestions, report.kind)


def _title(t: Translator, report: Report) -> str:
    _ = t.gettext
    if report.kind is ReportKind.RELEASE:
        title = _("🔓 <b>Release report #{id}</b>")
    elif report.kind is ReportKind.UPDATE:
        title = _("📰 <b>News on a report, #{id}</b>")
    else:
        title = _("🆕 <b>Detention report #{id}</b>")
    return title.format(id=report.id)


def group_notice_text(t: Translator, report: Report, now: dt.datetime) -> str:
    """The notice in the moderation group: number, kind, urgency and the 48-hour clock.

    Nothing the family typed and nothing that names anyone (issue 14): every member of
    the group reads it, and a member's phone can be taken. The number is the reference;
    "Open" shows the rest in the presser's private chat.
    """
    _ = t.gettext
    lines = [_title(t, report)]
    if report.urgent:
        lines.append(_("🚨 <b>URGENT: whereabouts unknown, possible enforced disappearance</b>"))
    if report.kind is ReportKind.DETENTION:
        lines.append(clock_text(t, clock48(report.detained_on, now, t.timezone)))
    lines.append(_("Details open in your private chat with the bot: 🔎 Open."))
    return "\n".join(lines)


def notice_text(t: Translator, report: Report) -> str:
    """A short summary for moderators: what, who, when, where; urgent ones on top."""
    _ = t.gettext
    lines = [_title(t, report)]
    if report.urgent:
        lines.append(_("🚨 <b>URGENT: whereabouts unknown, possible enforced disappearance</b>"))
    lines.append(_("Code: <code>{code}</code>").format(code=report.receipt_display))
    if report.parent_report_id is not None:
        lines.append(_("About report #{id}").format(id=report.parent_report_id))
    lines.append(_person(t, report))
    if report.kind is ReportKind.DETENTION:
        lines += _detention(t, report)
    elif report.kind is ReportKind.RELEASE:
        lines += _release(t, report)
    else:
        lines += _news(t, report)
    if report.evidence:
        count = len(report.evidence)
        lines.append(
            t.ngettext("{count} file attached", "{count} files attached", count).format(
                count=t.number(count)
            )
        )
    return "\n".join(lines)


async def notify_moderators(context: VigiaContext, report: Report) -> None:
    """Queue the notice of a stored report; the outbox worker sends it (see
    `services.staff_notices`: Confirm queues it inside the filing transaction)."""
    await notify_staff(context.services, report)


def _label(t: Translator, choices: tuple[Choice, ...], code: str | None) -> str | None:
    label = label_for(choices, code)
    return html.escape(t.gettext(label)) if label else None


def _person(t: Translator, report: Report) -> str:
    parts = [f"<b>{html.escape(report.person_name or '—')}</b>"]
    if report.cedula:
        parts.append(display_cedula(report.cedula))
    if report.age is not None:
        parts.append(t.gettext("{age} years").format(age=t.number(report.age)))
    elif report.is_minor:
        parts.append(t.gettext("under 18"))
    parts += [
        label
        for label in (
            _label(t, SEXES, report.sex),
            _label(t, AFFILIATIONS, report.affiliation),
        )
        if label
    ]
    return " · ".join(parts)


def _detention(t: Translator, report: Report) -> list[str]:
    _ = t.gettext
    lines = []
    if report.detained_on is not None:
        lines.append(_("Detained on {date}").format(date=t.date(report.detained_on)))
    where = [
        part
        for part in (
            _label(t, FEDERAL_ENTITIES, report.federal_entity),
            html.escape(report.municipality) if report.municipality else None,
        )
        if part
    ]
    if where:
        lines.append(_("In {place}").format(place=", ".join(where)))
    body = _label(t, DETAINING_BODIES, report.detaining_body)
    if body:
        lines.append(_("By {body}").format(body=body))
    held = _label(t, PLACES, report.whereabouts)
    if report.whereabouts == OTHER and report.whereabouts_other:
        held = html.escape(report.whereabouts_other)
    if held:
        lines.append(_("Held at: {place}").format(place=held))
    if report.circumstances_voice_file_id:
        lines.append(_("🎤 The circumstances are in a voice note."))
    return lines


def _release(t: Translator, report: Report) -> list[str]:
    _ = t.gettext
    details = report.details
    lines = []
    released_on = details.get("released_on")
    if isinstance(released_on, str):
        day = dt.date.fromisoformat(released_on)
        lines.append(_("Released on {date}").format(date=t.date(day)))
    conditions = [
        t.gettext(choice.label)
        for choice in RELEASE_CONDITIONS
        if choice.code in details.get("conditions", [])
    ]
    if conditions:
        lines.append(
            _("Conditions: {conditions}").format(conditions=html.escape(", ".join(conditions)))
        )
    days = details.get("presentation_days")
    if isinstance(days, int):
        lines.append(
            t.ngettext(
                "Court presentation every {count} day",
                "Court presentation every {count} days",
                days,
            ).format(count=t.number(days))
        )
    place = _label(t, PLACES, details.get("released_from"))
    other = details.get("released_from_other")
    if isinstance(other, str) and other:
        place = html.escape(other)
    if place:
        lines.append(_("Released from: {place}").format(place=place))
    return lines


def _news(t: Translator, report: Report) -> list[str]:
    details = report.details
    lines = []
    kind = _label(t, NEWS_KINDS, details.get("news_kind"))
    if kind:
        lines.append(f"<b>{kind}</b>")
    text = details.get("text")
    if isinstance(text, str):
        preview = text if len(text) <= NEWS_PREVIEW else text[: NEWS_PREVIEW - 1] + "…"
        lines.append(html.escape(preview))
    return lines
