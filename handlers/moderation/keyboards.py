"""Inline keyboards of the desk and their callback data (`mod:` prefix, ≤ 64 bytes).

Buttons carry the version of the report or case they were drawn for: a button pressed
after someone else acted is answered with "changed under you", never applied to a
state its presser did not see. Callback data names things, it never authorizes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.i18n import N_, Translator
from domain.transitions import (
    OPEN_REPORT_STATES,
    CaseAction,
    IllegalTransition,
    case_transition,
)
from domain.vocabulary import PLACES, REJECT_REASONS, RELEASE_CONDITIONS, ReportKind
from handlers.sending import Button, Rows, keyboard_markup
from storage.cases import Case
from storage.review import ReportSnapshot

PREFIX = "mod"

# Report actions on a notice: short codes in callback data.
REPORT_BUTTONS = (
    ("tk", N_("🙋 Take")),
    ("vf", N_("✅ Verify")),
    ("ni", N_("❓ Needs info")),
    ("rj", N_("🚫 Reject")),
)

CASE_ACTION_CODES = {
    "ha": CaseAction.HOUSE_ARREST,
    "rl": CaseAction.RELEASE,
    "ra": CaseAction.REARREST,
    "tr": CaseAction.TRANSFER,
    "de": CaseAction.DEATH,
    "cl": CaseAction.CLOSE,
}
CASE_BUTTON_LABELS = {
    CaseAction.HOUSE_ARREST: N_("🏠 House arrest"),
    CaseAction.RELEASE: N_("🔓 Release"),
    CaseAction.REARREST: N_("🔁 Re-arrest"),
    CaseAction.TRANSFER: N_("🚐 Transfer"),
    CaseAction.DEATH: N_("✝ Death in custody"),
    CaseAction.CLOSE: N_("📁 Close"),
}
# Releasing and transferring need a choice; the others a confirmation.
CHOOSING = frozenset({CaseAction.RELEASE, CaseAction.TRANSFER})
# A release with court presentation then asks the interval: the usual ones, in days,
# or "not known" (recorded without one; /release can add any interval from 1 to 90).
PRESENTATION_INTERVALS = (8, 15, 30)
INTERVAL_NOT_KNOWN = "nk"
# A release recorded by buttons for another day than today carries it (`/release` typed
# without conditions); the others are today's.
DATE_FORMAT = "%Y%m%d"


@dataclass(frozen=True, slots=True)
class Suggested:
    """A case offered as a possible match for a report."""

    case_id: int
    score: float


def data(*parts: object) -> str:
    return ":".join([PREFIX, *(str(part) for part in parts)])


def _button(t: Translator, label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t.gettext(label), callback_data=data(*parts))


def _row_button(t: Translator, label: str, *parts: object) -> Button:
    return (t.gettext(label), data(*parts))


def notice_rows(
    report_id: int,
    t: Translator,
    version: int = 0,
    suggestions: tuple[Suggested, ...] = (),
    kind: ReportKind = ReportKind.DETENTION,
) -> Rows:
    """The actions on a report notice, as plain rows: every new report sends them."""
    rows = [
        [_row_button(t, label, "r", code, report_id, version) for code, label in pair]
        for pair in (REPORT_BUTTONS[:2], REPORT_BUTTONS[2:])
    ]
    detention = kind is ReportKind.DETENTION
    label = (
        N_("🔗 Duplicate of C{case} ({score}%)")
        if detention
        else N_("🔗 Verify as part of C{case} ({score}%)")
    )
    action = "du" if detention else "vc"
    for suggestion in suggestions:
        text = t.gettext(label).format(case=suggestion.case_id, score=round(suggestion.score))
        rows.append([(text, data(action, report_id, version, suggestion.case_id))])
    rows.append([_row_button(t, N_("🔎 Open"), "o", report_id)])
    return rows


def notice_keyboard(
    report_id: int,
    t: Translator,
    version: int = 0,
    suggestions: tuple[Suggested, ...] = (),
    kind: ReportKind = ReportKind.DETENTION,
) -> InlineKeyboardMarkup:
    """`notice_rows` as PTB objects, for edits (a report just filed is at version 0)."""
    return keyboard_markup(notice_rows(report_id, t, version, suggestions, kind))


def report_keyboard(
    t: Translator, report: ReportSnapshot, suggestions: tuple[Suggested, ...] = ()
) -> InlineKeyboardMarkup:
    """Actions while the report is open; afterwards only its case, if any."""
    if report.state in OPEN_REPORT_STATES:
        return notice_keyboard(report.id, t, report.version, suggestions, report.kind)
    rows = [[_button(t, N_("🔎 Open"), "o", report.id)]]
    if report.case_id is not None:
        rows.append([_button(t, N_("📂 Open case"), "oc", report.case_id)])
    return InlineKeyboardMarkup(rows)


def legal_case_actions(case: Case) -> list[CaseAction]:
    """The buttons worth showing: actions the state machine would accept now."""
    legal = []
    for action in CASE_ACTION_CODES.values():
        try:
            case_transition(case.state, action, place="other")
        except IllegalTransition:
            continue
        legal.append(action)
    return legal


def case_keyboard(t: Translator, case: Case) -> InlineKeyboardMarkup | None:
    if case.merged_into is not None:
        return None
    codes = {action: code for code, action in CASE_ACTION_CODES.items()}
    buttons = [
        _button(t, CASE_BUTTON_LABELS[action], "c", codes[action], case.id, case.version)
        for action in legal_case_actions(case)
    ]
    rows = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows) if rows else None


def reject_keyboard(t: Translator, report_id: int, version: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(t, choice.label, "rr", report_id, version, choice.code)]
        for choice in REJECT_REASONS
    ]
    rows.append([_button(t, N_("Cancel"), "x")])
    return InlineKeyboardMarkup(rows)


def dated(on: dt.date | None) -> tuple[str, ...]:
    """The last part of a release button's data: its date, unless it is today's."""
    return () if on is None else (on.strftime(DATE_FORMAT),)


def choice_keyboard(
    t: Translator, code: str, case: Case, on: dt.date | None = None
) -> InlineKeyboardMarkup:
    """Conditions of a release or the place of a transfer, one button each; a release
    typed for another day carries that day."""
    choices = RELEASE_CONDITIONS if code == "rl" else PLACES
    rows = [
        [_button(t, choice.label, "cc", code, case.id, case.version, choice.code, *dated(on))]
        for choice in choices
        if not (code == "rl" and choice.code == "house_arrest")
        and not (code == "tr" and choice.code == "other")
    ]
    rows.append([_button(t, N_("Cancel"), "x")])
    return InlineKeyboardMarkup(rows)


def interval_keyboard(
    t: Translator, case: Case, on: dt.date | None = None
) -> InlineKeyboardMarkup:
    """Every how many days a release with court presentation asks (`ci`: court interval)."""
    intervals = [
        InlineKeyboardButton(
            t.ngettext("Every {count} day", "Every {count} days", days).format(
                count=t.number(days)
            ),
            callback_data=data("ci", case.id, case.version, days, *dated(on)),
        )
        for days in PRESENTATION_INTERVALS
    ]
    not_known = (case.id, case.version, INTERVAL_NOT_KNOWN, *dated(on))
    return InlineKeyboardMarkup(
        [
            intervals,
            [_button(t, N_("Not known"), "ci", *not_known)],
            [_button(t, N_("Cancel"), "x")],
        ]
    )


def confirm_keyboard(t: Translator, code: str, case: Case) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(t, N_("Confirm"), "cc", code, case.id, case.version),
                _button(t, N_("Cancel"), "x"),
            ]
        ]
    )


def page_keyboard(
    t: Translator, state: str, page: int, pages: int, report_ids: list[int]
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                t.gettext(N_("🔎 Open {tag}")).format(tag=f"#{report_id}"),
                callback_data=data("o", report_id),
            )
        ]
        for report_id in report_ids
    ]
    nav = []
    if page > 0:
        nav.append(_button(t, N_("◀ Previous"), "q", state, page - 1))
    if page + 1 < pages:
        nav.append(_button(t, N_("Next ▶"), "q", state, page + 1))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)
