"""Full views for moderators: a report, a case, their history and follow-up thread.

Only ever sent to a staff member's private chat or the moderation group (the
callers check); every typed value is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from domain.clock48 import clock48
from domain.i18n import N_, Translator
from domain.vocabulary import (
    AFFILIATIONS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    SEXES,
    CaseEventKind,
    CaseState,
    ReportState,
)
from handlers.moderation.texts import (
    EVENT_LABELS,
    KIND_LABELS,
    case_state,
    case_tag,
    choice_label,
    clock_text,
    conditions_text,
    place_text,
    report_state,
    report_tag,
)
from storage.audit import AuditEvent
from storage.cases import Case, CaseEvent
from storage.followups import Direction, FollowUpMessage
from storage.reports import Report
from storage.review import ReportSnapshot

MAX_FIELD = 1500

ACTION_LABELS = {
    "take": N_("taken"),
    "verify_vote": N_("verification vote"),
    "verify": N_("verified"),
    "needs_info": N_("question to the reporter"),
    "reject": N_("rejected"),
    "duplicate": N_("marked duplicate"),
    "merge": N_("merged"),
    "house_arrest": N_("house arrest"),
    "release": N_("release"),
    "rearrest": N_("re-arrest"),
    "transfer": N_("transfer"),
    "death": N_("death in custody"),
    "close": N_("closed"),
    "grant": N_("role granted"),
    "revoke": N_("role revoked"),
}


def _field(text: str | None) -> str:
    if not text:
        return "—"
    return escape(text if len(text) <= MAX_FIELD else text[:MAX_FIELD] + "…")


def _yes_no(t: Translator, value: bool) -> str:
    return t.gettext("yes") if value else t.gettext("no")


def _day(t: Translator, value: dt.date | None) -> str:
    return t.date(value, "medium") if value else "—"


def report_view(
    t: Translator, report: Report, snapshot: ReportSnapshot, now: dt.datetime, actor_key: str
) -> str:
    """Everything the report says, for deciding on it."""
    _ = t.gettext
    age = _("under 18") if report.is_minor else (str(report.age) if report.age else "—")
    assigned = (
        _("you")
        if snapshot.assigned_to_key == actor_key
        else (_("another moderator") if snapshot.assigned_to_key else _("nobody"))
    )
    lines = [
        _("<b>Report {tag}</b> · {kind} · {state}").format(
            tag=report_tag(report.id),
            kind=_(KIND_LABELS[report.kind]),
            state=report_state(t, report.state),
        ),
    ]
    if snapshot.urgent:
        lines.append("🚨 " + clock_text(t, clock48(report.detained_on, now, t.timezone)))
    lines += [
        _("Person: {value}").format(value=_field(report.person_name)),
        _("Cédula: {value}").format(value=_field(report.cedula)),
        _("Sex: {sex} · age: {age} · {affiliation}").format(
            sex=choice_label(t, SEXES, report.sex),
            age=age,
            affiliation=choice_label(t, AFFILIATIONS, report.affiliation),
        ),
        _("Detained on: {value}").format(value=_day(t, report.detained_on)),
        _("Where: {entity}, {municipality}").format(
            entity=choice_label(t, FEDERAL_ENTITIES, report.federal_entity),
            municipality=_field(report.municipality),
        ),
        _("Detaining body: {value}").format(
            value=choice_label(t, DETAINING_BODIES, report.detaining_body)
        ),
        _("Whereabouts: {value}").format(
            value=place_text(t, report.whereabouts, report.whereabouts_other)
        ),
        _("Circumstances: {value}").format(value=_field(report.circumstances)),
        _("Reporter's relationship: {value}").format(value=_field(report.relationship)),
    ]
    lines += details_lines(t, report.details)
    lines += [
        _("May we write back: {contact} · may we publish the name: {publish}").format(
            contact=_yes_no(t, report.contact_consent_at is not None),
            publish=_yes_no(t, report.publish_consent_at is not None),
        ),
        _("Filed: {filed} · assigned to: {assigned}").format(
            filed=t.datetime(report.created_at, "short"), assigned=assigned
        ),
    ]
    if report.parent_report_id is not None:
        lines.append(_("About report {tag}").format(tag=report_tag(report.parent_report_id)))
    if report.case_id is not None:
        lines.append(_("Case: {tag}").format(tag=case_tag(report.case_id)))
    if report.quarantined:
        lines.append(_("⚠️ Quarantined: the reporter is blocked."))
    return "\n".join(lines)


def details_lines(t: Translator, details: Mapping[str, Any]) -> list[str]:
    """A release or news report's own answers (intake's `details`), readable."""
    _ = t.gettext
    lines = []
    for key, value in sorted(details.items()):
        if value is None or value == [] or key == "released_from_other":
            continue
        if key == "released_on" and isinstance(value, str):
            lines.append(
                _("Released on {date}").format(date=_day(t, dt.date.fromisoformat(value)))
            )
        elif key == "conditions" and isinstance(value, list):
            text = conditions_text(t, tuple(str(code) for code in value))
            lines.append(_("Conditions: {conditions}").format(conditions=text))
        elif key == "presentation_days" and isinstance(value, int):
            lines.append(
                t.ngettext(
                    "Court presentation every {count} day",
                    "Court presentation every {count} days",
                    value,
                ).format(count=value)
            )
        elif key == "released_from":
            other = details.get("released_from_other")
            place = place_text(t, str(value), other if isinstance(other, str) else None)
            lines.append(_("Released from: {place}").format(place=place))
        else:
            lines.append(f"{escape(str(key))}: {_field(str(value))}")
    return lines


def case_view(t: Translator, case: Case, report_ids: Iterable[int]) -> str:
    _ = t.gettext
    age = _("under 18") if case.is_minor else (str(case.age) if case.age else "—")
    lines = [
        _("<b>Case {tag}</b> · {state}").format(
            tag=case_tag(case.id), state=case_state(t, case.state)
        ),
        _("Person: {value}").format(value=_field(case.person_name)),
        _("Cédula: {value}").format(value=_field(case.cedula)),
        _("Sex: {sex} · age: {age} · {affiliation}").format(
            sex=choice_label(t, SEXES, case.sex),
            age=age,
            affiliation=choice_label(t, AFFILIATIONS, case.affiliation),
        ),
        _("Detained on: {value}").format(value=_day(t, case.detained_on)),
        _("Detaining body: {value}").format(
            value=choice_label(t, DETAINING_BODIES, case.detaining_body)
        ),
        _("Place: {value}").format(value=place_text(t, case.place, case.place_other)),
    ]
    if case.state is CaseState.RELEASED:
        lines.append(
            _("Released on {date}; conditions: {conditions}").format(
                date=_day(t, case.released_on),
                conditions=conditions_text(t, case.release_conditions, case.presentation_days),
            )
        )
    if case.merged_into is not None:
        lines.append(_("Merged into case {tag}").format(tag=case_tag(case.merged_into)))
    tags = ", ".join(report_tag(report_id) for report_id in report_ids) or "—"
    lines.append(_("Reports: {tags}").format(tags=tags))
    lines.append(
        _("May we publish the name: {value}").format(value=_yes_no(t, case.publish_consent))
    )
    return "\n".join(lines)


def events_view(t: Translator, events: list[CaseEvent]) -> str:
    """By the day each thing happened; when the desk recorded it later, that day too."""
    _ = t.gettext
    lines = [_("<b>Dated events</b>")]
    for event in events:
        line = "• {date} · {kind}".format(
            date=t.date(event.event_date, "short"), kind=_(EVENT_LABELS[event.kind])
        )
        if event.kind is CaseEventKind.MERGED and event.related_case_id is not None:
            joined = event.state_before != event.state_after
            text = _("into case {tag}") if joined else _("case {tag} joined this one")
            line += " " + text.format(tag=case_tag(event.related_case_id))
        elif event.state_after is not None:
            line += " · " + case_state(t, event.state_after)
        if event.details:
            line += " · " + _field(event.details)
        recorded = event.created_at.astimezone(t.timezone).date()
        if recorded != event.event_date:
            line += " " + _("(recorded {date})").format(date=t.date(recorded, "short"))
        lines.append(line)
    return "\n".join(lines)


def thread_view(t: Translator, thread: list[FollowUpMessage]) -> str:
    _ = t.gettext
    lines = [_("<b>Follow-up with the reporter</b>")]
    for message in thread:
        who = _("We asked") if message.direction is Direction.NGO else _("They answered")
        lines.append(f"• {t.datetime(message.at, 'short')} · {who}: {_field(message.text)}")
    return "\n".join(lines)


def _state_label(t: Translator, target_type: str, state: str | None) -> str:
    if state is None:
        return "—"
    if target_type == "case" and state in set(CaseState):
        return case_state(t, CaseState(state))
    if target_type == "report" and state in set(ReportState):
        return report_state(t, ReportState(state))
    return escape(state)


def history_view(t: Translator, title: str, events: list[AuditEvent], actor_key: str) -> str:
    """The audit trail of one report or case: when, what, states, by whom."""
    _ = t.gettext
    lines = [title]
    if not events:
        lines.append(_("No recorded actions yet."))
    for event in events:
        who = _("you") if event.actor_key == actor_key else (event.actor_key or "—")[:6]
        label = ACTION_LABELS.get(event.action)
        lines.append(
            "• {at} · {action} · {before} → {after} · {who}".format(
                at=t.datetime(event.at, "short"),
                action=_(label) if label else escape(event.action),
                before=_state_label(t, event.target_type, event.state_before),
                after=_state_label(t, event.target_type, event.state_after),
                who=who,
            )
        )
    return "\n".join(lines)
