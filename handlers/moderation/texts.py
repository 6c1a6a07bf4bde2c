"""What the desk shows moderators: labels, one-line summaries, refusals.

Every value a person typed (names, places, notes) is escaped here, once, before it
reaches an HTML message.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from domain.clock48 import Clock48, clock48
from domain.conditions import COURT_PRESENTATION, presentation_label
from domain.i18n import N_, Translator
from domain.transitions import IllegalTransition
from domain.vocabulary import (
    CASE_STATE_LABELS,
    PLACES,
    REJECT_REASONS,
    RELEASE_CONDITIONS,
    CaseEventKind,
    CaseState,
    Choice,
    ReportKind,
    ReportState,
    label_for,
)
from services.desk import NotFound
from storage.cases import CaseChanged
from storage.review import ReportChanged, ReportSnapshot

KIND_LABELS = {
    ReportKind.DETENTION: N_("detention"),
    ReportKind.RELEASE: N_("release"),
    ReportKind.UPDATE: N_("news"),
}

REPORT_STATE_NAMES = {
    ReportState.RECEIVED: N_("received"),
    ReportState.IN_REVIEW: N_("in review"),
    ReportState.NEEDS_INFO: N_("waiting for the reporter"),
    ReportState.VERIFIED: N_("verified"),
    ReportState.REJECTED: N_("rejected"),
    ReportState.DUPLICATE: N_("duplicate"),
}

EVENT_LABELS = {
    CaseEventKind.VERIFIED: N_("verified"),
    CaseEventKind.DISAPPEARED: N_("whereabouts lost"),
    CaseEventKind.HOUSE_ARREST: N_("house arrest"),
    CaseEventKind.RELEASE: N_("release"),
    CaseEventKind.REARREST: N_("re-arrest"),
    CaseEventKind.TRANSFER: N_("transfer"),
    CaseEventKind.DEATH: N_("death in custody"),
    CaseEventKind.CLOSED: N_("closed"),
    CaseEventKind.MERGED: N_("merged"),
}


def report_tag(report_id: int) -> str:
    return f"#{report_id}"


def case_tag(case_id: int) -> str:
    return f"C{case_id}"


def report_state(t: Translator, state: ReportState) -> str:
    return t.gettext(REPORT_STATE_NAMES[state])


def case_state(t: Translator, state: CaseState) -> str:
    return t.gettext(CASE_STATE_LABELS[state])


def choice_label(t: Translator, choices: tuple[Choice, ...], code: str | None) -> str:
    label = label_for(choices, code)
    return t.gettext(label) if label is not None else escape(code or "—")


def place_text(t: Translator, code: str | None, other: str | None) -> str:
    if code == "other" and other:
        return escape(other)
    if code is None and other:
        return escape(other)
    return choice_label(t, PLACES, code)


def conditions_text(
    t: Translator, conditions: tuple[str, ...], presentation_days: int | None = None
) -> str:
    """The conditions, court presentation with its interval ("every 15 days") if known."""
    return (
        ", ".join(
            presentation_label(t, presentation_days)
            if code == COURT_PRESENTATION and presentation_days
            else choice_label(t, RELEASE_CONDITIONS, code)
            for code in conditions
        )
        or "—"
    )


def reason_text(t: Translator, code: str | None) -> str:
    return choice_label(t, REJECT_REASONS, code)


def clock_text(t: Translator, clock: Clock48 | None) -> str:
    """`⏱ 50 h since the arrest — past 48 h` for a possible disappearance."""
    if clock is None:
        return t.gettext("⏱ arrest date unknown")
    text = t.ngettext(
        "⏱ {hours} hour since the arrest", "⏱ {hours} hours since the arrest", clock.hours
    ).format(hours=clock.hours)
    if clock.overdue:
        text += " — " + t.gettext("<b>past 48 hours: likely enforced disappearance</b>")
    return text


def report_line(
    t: Translator, report: ReportSnapshot, now: dt.datetime, *, named: bool = True
) -> str:
    """One report in a list: tag, person (unless `named` is off, for the moderation
    group), kind, state, how long it has waited."""
    waited = int((now - report.updated_at).total_seconds() // 3600)
    values = {
        "tag": report_tag(report.id),
        "kind": t.gettext(KIND_LABELS[report.kind]),
        "state": report_state(t, report.state),
        "hours": waited,
    }
    if named:
        line = t.gettext("{tag} · {name} · {kind} · {state} · waiting {hours} h").format(
            name=escape(report.person_name or "—"), **values
        )
    else:
        line = t.gettext("{tag} · {kind} · {state} · waiting {hours} h").format(**values)
    if report.urgent:
        clock = clock48(report.detained_on, now, t.timezone)
        line = "🚨 " + line + "\n    " + clock_text(t, clock)
    return line


def refusal(t: Translator, error: Exception) -> str:
    """Why nothing was done, for each way a desk action can be refused."""
    if isinstance(error, IllegalTransition):
        params = {
            key: t.date(value, "medium") if isinstance(value, dt.date) else value
            for key, value in error.params.items()
        }
        reason = t.gettext(error.reason).format(**params)
        return t.gettext("⛔ Not done: {reason}").format(reason=reason)
    if isinstance(error, ReportChanged):
        return t.gettext(
            "⚠️ Report {tag} changed under you: it is now <b>{state}</b>. Nothing was "
            "done; look at it again before acting."
        ).format(tag=report_tag(error.current.id), state=report_state(t, error.current.state))
    if isinstance(error, CaseChanged):
        return t.gettext(
            "⚠️ Case {tag} changed under you: it is now <b>{state}</b>. Nothing was "
            "done; look at it again before acting."
        ).format(tag=case_tag(error.current.id), state=case_state(t, error.current.state))
    if isinstance(error, NotFound):
        return t.gettext("I can't find that report or case.")
    raise error
