"""How a report's state reads to a family: states, the case, the last change, what comes next.

Shared by `/status` (anyone holding the code) and the notifications of `services.notify`
(the reporter, in their own language). Details that identify the person are added
by `details_block` for the filing chat only.
"""

from __future__ import annotations

import datetime as dt
import html

from domain.conditions import condition_labels
from domain.i18n import N_, Translator
from domain.vocabulary import (
    CASE_STATE_LABELS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    PLACES,
    REJECT_REASONS,
    REPORT_STATE_LABELS,
    CaseState,
    ReportKind,
    ReportState,
    label_for,
)
from storage.report_status import CaseStatus, ReportStatus
from storage.reports import Report
from storage.throttle import Lockout

KIND_LABELS = {
    ReportKind.DETENTION: N_("Detention"),
    ReportKind.RELEASE: N_("Release"),
    ReportKind.UPDATE: N_("News"),
}

REPORT_NEXT_STEPS = {
    ReportState.RECEIVED: N_(
        "A moderator of the organisation will review it, usually within a few days."
    ),
    ReportState.IN_REVIEW: N_(
        "A moderator is checking it against other sources. We may write to you here "
        "with questions."
    ),
    ReportState.NEEDS_INFO: N_(
        "We sent you a question in this chat. Please answer it with its Reply button: "
        "without more information we cannot verify the report."
    ),
    ReportState.REJECTED: N_(
        "We could not verify this report. If you learn something new, send a new "
        "report with /report."
    ),
}

CASE_NEXT_STEPS = {
    CaseState.DETAINED: N_(
        "The organisation follows the case and records every transfer, hearing and "
        "release. You will hear from us here if something changes."
    ),
    CaseState.DISAPPEARED: N_(
        "The organisation treats it as a possible enforced disappearance and is pressing "
        "to learn where the person is held. Tell us at once if you learn anything."
    ),
    CaseState.HOUSE_ARREST: N_(
        "House arrest is still a deprivation of liberty: the organisation keeps "
        "following the case."
    ),
    CaseState.RELEASED: N_(
        "The organisation keeps following the conditions of the release. If the person "
        "is detained again, report it with /report."
    ),
    CaseState.DECEASED: N_(
        "The organisation documents the death in custody. We are deeply sorry for your loss."
    ),
    CaseState.CLOSED: N_("The case is closed: no further steps are expected."),
}


def local_date(t: Translator, moment: dt.datetime) -> str:
    """A UTC moment as a date in the asker's locale and the deployment's time zone."""
    return t.date(moment.astimezone(t.timezone).date())


def case_line(t: Translator, case: CaseStatus) -> str:
    """`detained — El Helicoide`, `released on 3 Feb 2026`, with the release conditions."""
    _ = t.gettext
    line = _(CASE_STATE_LABELS[case.state])
    if case.state in (CaseState.DETAINED, CaseState.HOUSE_ARREST):
        place = place_name(t, case)
        if place:
            line = _("{state}, at {place}").format(state=line, place=place)
    if case.state is CaseState.RELEASED:
        if case.released_on is not None:
            line = _("{state} on {date}").format(state=line, date=t.date(case.released_on))
        conditions = condition_labels(t, case.release_conditions, case.presentation_days)
        if conditions:
            line += "\n" + _("Conditions: {conditions}").format(conditions="; ".join(conditions))
    return line


def place_name(t: Translator, case: CaseStatus) -> str | None:
    if case.place in (None, "unknown"):
        return None
    if case.place == "other" and case.place_other:
        return html.escape(case.place_other)
    label = label_for(PLACES, case.place)
    return t.gettext(label) if label else None


def next_step(t: Translator, status: ReportStatus) -> str:
    if status.state in REPORT_NEXT_STEPS:
        return t.gettext(REPORT_NEXT_STEPS[status.state])
    if status.case is not None:
        return t.gettext(CASE_NEXT_STEPS[status.case.state])
    return t.gettext(REPORT_NEXT_STEPS[ReportState.IN_REVIEW])


def state_block(t: Translator, status: ReportStatus) -> str:
    """The lines anyone holding the code may read."""
    _ = t.gettext
    lines = [_("Report: {state}").format(state=_(REPORT_STATE_LABELS[status.state]))]
    if status.state is ReportState.REJECTED:
        reason = label_for(REJECT_REASONS, status.reject_reason)
        if reason:
            lines.append(_("Reason: {reason}").format(reason=_(reason)))
    if status.case is not None:
        lines.append(_("Case: {state}").format(state=case_line(t, status.case)))
    lines.append(_("Last change: {date}").format(date=local_date(t, status.last_change)))
    lines.append("")
    lines.append(_("<b>What happens next</b>"))
    lines.append(next_step(t, status))
    return "\n".join(lines)


def status_text(t: Translator, status: ReportStatus, receipt: str) -> str:
    header = t.gettext("<b>Report {code}</b>").format(code=html.escape(receipt))
    return f"{header}\n{state_block(t, status)}"


def details_block(t: Translator, report: Report) -> str:
    """What only the filing chat sees: the person and the circumstances it reported."""
    _ = t.gettext
    lines = [_("<b>Details (only this chat sees them)</b>")]
    lines.append(_("Kind: {kind}").format(kind=_(KIND_LABELS[report.kind])))
    lines.append(_("Filed on: {date}").format(date=local_date(t, report.created_at)))
    if report.parent_report_id is not None:
        # Filed with a receipt code, perhaps another family's: the person and the
        # circumstances are the earlier report's, and none of them is shown back.
        lines.append(_("About an earlier report"))
        return "\n".join(lines)
    if report.person_name:
        lines.append(_("Person: {name}").format(name=html.escape(report.person_name)))
    if report.detained_on is not None:
        lines.append(_("Detained on: {date}").format(date=t.date(report.detained_on)))
    entity = label_for(FEDERAL_ENTITIES, report.federal_entity)
    if entity:
        lines.append(_("State: {entity}").format(entity=_(entity)))
    body = label_for(DETAINING_BODIES, report.detaining_body)
    if body:
        lines.append(_("Detained by: {body}").format(body=_(body)))
    return "\n".join(lines)


def notification_text(t: Translator, status: ReportStatus, receipt: str | None) -> str:
    """The message a reporter gets when a moderator changes the report or its case."""
    _ = t.gettext
    if receipt:
        header = _("🔔 <b>News about your report {code}</b>").format(code=html.escape(receipt))
    else:
        header = _("🔔 <b>News about your report of {date}</b>").format(
            date=local_date(t, status.created_at)
        )
    footer = _("To see it again, send /status followed by your code.")
    return f"{header}\n{state_block(t, status)}\n\n{footer}"


def lockout_text(t: Translator, lockout: Lockout) -> str:
    """Receipt codes are locked for this user (/estado and the release and news reports)."""
    return t.ngettext(
        "Too many codes did not match. Please try again in {minutes} minute.",
        "Too many codes did not match. Please try again in {minutes} minutes.",
        lockout.minutes_left,
    ).format(minutes=lockout.minutes_left)
