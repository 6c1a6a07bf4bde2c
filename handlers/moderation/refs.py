"""Reading what moderators type: report and case references, dates, codes.

Reports are named `#12` (or `12`), or by the reporter's receipt code (with spaces or
dashes, even split over four words); cases are `C5` (or `5` where only a case can
be meant). Codes of the fixed lists are accepted in English or Spanish (release
conditions: `conditions`), and so is a court-presentation interval (`every 15 days`,
`cada 15 días`, `15 days`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.conditions import MAX_PRESENTATION_DAYS, MIN_PRESENTATION_DAYS
from domain.i18n import N_
from domain.receipts import normalise_receipt
from domain.vocabulary import PLACES, REJECT_REASONS, codes

_REPORT_ID = re.compile(r"^#?(\d{1,12})$")
_CASE_ID = re.compile(r"^[cC]-?(\d{1,12})$")
_GROUP = re.compile(r"^\d{4}$")
RECEIPT_GROUPS = 4


@dataclass(frozen=True, slots=True)
class ReportRef:
    """Either a report id or a receipt code (canonical digits)."""

    report_id: int | None = None
    receipt: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A reference that may name a report or a case (for /case and /history)."""

    report: ReportRef | None = None
    case_id: int | None = None


def split_report_ref(args: list[str]) -> tuple[ReportRef | None, list[str]]:
    """The report named at the start of `args`, and the words after it."""
    if not args:
        return None, []
    if len(args) >= RECEIPT_GROUPS and all(_GROUP.match(a) for a in args[:RECEIPT_GROUPS]):
        code = normalise_receipt("".join(args[:RECEIPT_GROUPS]))
        if code is not None:
            return ReportRef(receipt=code), args[RECEIPT_GROUPS:]
    first = args[0]
    code = normalise_receipt(first)
    if code is not None:
        return ReportRef(receipt=code), args[1:]
    match = _REPORT_ID.match(first)
    if match:
        return ReportRef(report_id=int(match.group(1))), args[1:]
    return None, args


def parse_case_id(text: str) -> int | None:
    match = _CASE_ID.match(text.strip()) or _REPORT_ID.match(text.strip())
    return int(match.group(1)) if match else None


def split_target(args: list[str]) -> Target | None:
    """`C5` names a case; anything else a report."""
    if args and _CASE_ID.match(args[0].strip()):
        return Target(case_id=parse_case_id(args[0]))
    report, _ = split_report_ref(args)
    return Target(report=report) if report is not None else None


def _simple(word: str) -> str:
    return word.strip().lower().replace("-", "_")


REJECT_ALIASES = {
    "insuficiente": "insufficient",
    "informacion_insuficiente": "insufficient",
    "no_detencion": "not_detention",
    "falso": "false_report",
    "falsa": "false_report",
    "fuera_de_alcance": "out_of_scope",
    "fuera": "out_of_scope",
}

PLACE_ALIASES = {
    "helicoide": "helicoide",
    "el_helicoide": "helicoide",
    "zona_7": "zona7",
    "boleita": "zona7",
    "rodeo": "rodeo1",
    "rodeo_i": "rodeo1",
    "crisalida": "crisalida",
    "la_crisalida": "crisalida",
    "calabozos": "police_cells",
    "calabozo": "police_cells",
    "desconocido": "unknown",
    "desconocida": "unknown",
}


def reject_reason(word: str) -> str | None:
    simple = _simple(word)
    simple = REJECT_ALIASES.get(simple, simple)
    return simple if simple in codes(REJECT_REASONS) else None


@dataclass(frozen=True, slots=True)
class PlaceAnswer:
    """A place code, with the typed text when it is not one of the known places."""

    code: str
    other: str | None = None


def place(words: list[str]) -> PlaceAnswer | None:
    text = " ".join(words).strip()
    if not text:
        return None
    simple = _simple(text.replace(" ", "_"))
    simple = PLACE_ALIASES.get(simple, simple)
    if simple in codes(PLACES) and simple != "other":
        return PlaceAnswer(simple)
    return PlaceAnswer("other", text)


_EVERY = frozenset({"every", "each", "cada"})
_DAYS = frozenset({"day", "days", "día", "días", "dia", "dias"})
_NUMBER = re.compile(r"^[+-]?\d+$")

INTERVAL_NOT_A_NUMBER = N_(
    "The court presentation interval must be a whole number of days, like «every 15 "
    "days»; «{value}» is not."
)
INTERVAL_OUT_OF_RANGE = N_(
    "The court presentation interval must be from {low} to {high} days; «{value}» is not."
)
INTERVAL_WITHOUT_PRESENTATION = N_(
    "An interval of days («{value}») only applies to the condition court_presentation: "
    "add that condition, or leave the interval out."
)


@dataclass(frozen=True, slots=True)
class IntervalProblem:
    """Why the typed interval was refused: `reason` is an `N_` message with `{value}`,
    `{low}` and `{high}`; `value` is what the moderator typed (escape it to show it)."""

    reason: str
    value: str


def presentation_interval(words: list[str]) -> tuple[int | IntervalProblem | None, list[str]]:
    """A court-presentation interval at the start of `words`, and the words after it.

    `every 15 days`, `cada 15 días`, `every 15`, `15 days`; None (and `words` as they
    were) when they do not start with one. The number must be 1–90.
    """
    simple = [word.strip().strip(",.;").lower() for word in words]
    if (
        len(simple) >= 2
        and simple[0] in _EVERY
        and (_NUMBER.match(simple[1]) or (len(simple) >= 3 and simple[2] in _DAYS))
    ):
        used = 3 if len(simple) >= 3 and simple[2] in _DAYS else 2
        number = simple[1]
    elif len(simple) >= 2 and _NUMBER.match(simple[0]) and simple[1] in _DAYS:
        used, number = 2, simple[0]
    else:
        return None, words
    typed = " ".join(words[:used])
    if not _NUMBER.match(number):
        return IntervalProblem(INTERVAL_NOT_A_NUMBER, typed), words[used:]
    days = int(number)
    if not MIN_PRESENTATION_DAYS <= days <= MAX_PRESENTATION_DAYS:
        return IntervalProblem(INTERVAL_OUT_OF_RANGE, typed), words[used:]
    return days, words[used:]
