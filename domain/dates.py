"""Dates as families type them: `15/01/2026`, `5/1/26`, "ayer", "el lunes".

A small, strict parser rather than a general one: a misread detention date is worse
than a question asked twice. Day comes before month (as in Venezuela); weekday names
mean the last such day before today ("hoy" is today); dates in the future or before
2014 (when Vigía's records begin) are refused, each with its own reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

EARLIEST_DATE = dt.date(2014, 1, 1)

_RELATIVE_DAYS = {
    "hoy": 0,
    "today": 0,
    "ayer": 1,
    "yesterday": 1,
    "anteayer": 2,
    "antier": 2,
    "antes de ayer": 2,
    "antes de anoche": 2,
    "day before yesterday": 2,
    "the day before yesterday": 2,
}

_WEEKDAYS = {
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "domingo": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# "el lunes", "el lunes pasado", "last monday", "on monday", "this monday".
_WEEKDAY_PHRASE = re.compile(
    r"^(?:(?:el|este|on|last|this|past)\s+)?(?P<day>[a-z]+)(?:\s+(?:pasado|last|past))?$"
)
_NUMERIC = re.compile(
    r"^(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2}))?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


class DateProblem(StrEnum):
    """Why a text is not an acceptable date; each has its own message for the user."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    IMPOSSIBLE = "impossible"
    FUTURE = "future"
    TOO_OLD = "too_old"


@dataclass(frozen=True, slots=True)
class DateResult:
    value: dt.date | None
    problem: DateProblem | None = None


def local_today(now: dt.datetime, timezone: dt.tzinfo) -> dt.date:
    """ "Today" where the families are (settings.timezone), not in UTC."""
    return now.astimezone(timezone).date()


def parse_past_date(text: str, today: dt.date, *, earliest: dt.date = EARLIEST_DATE) -> DateResult:
    """A date on or before `today` and not before `earliest`, or the reason it is not."""
    words = _simplify(text)
    if not words:
        return DateResult(None, DateProblem.EMPTY)
    result = _read(words, today)
    if result.value is None:
        return result
    if result.value > today:
        return DateResult(None, DateProblem.FUTURE)
    if result.value < earliest:
        return DateResult(None, DateProblem.TOO_OLD)
    return result


def _read(words: str, today: dt.date) -> DateResult:
    if words in _RELATIVE_DAYS:
        return DateResult(today - dt.timedelta(days=_RELATIVE_DAYS[words]))
    weekday = _WEEKDAY_PHRASE.match(words)
    if weekday is not None and weekday.group("day") in _WEEKDAYS:
        wanted = _WEEKDAYS[weekday.group("day")]
        back = (today.weekday() - wanted) % 7 or 7
        return DateResult(today - dt.timedelta(days=back))
    numeric = _NUMERIC.match(words) or _ISO.match(words)
    if numeric is None:
        return DateResult(None, DateProblem.UNREADABLE)
    day, month = int(numeric.group("d")), int(numeric.group("m"))
    year_text = numeric.group("y")
    if year_text is None:
        return _without_year(day, month, today)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        return DateResult(dt.date(year, month, day))
    except ValueError:
        return DateResult(None, DateProblem.IMPOSSIBLE)


def _without_year(day: int, month: int, today: dt.date) -> DateResult:
    """`15/1` means the last 15 January on or before today (29/2: the last leap day)."""
    for year in range(today.year, today.year - 5, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return DateResult(candidate)
    return DateResult(None, DateProblem.IMPOSSIBLE)


def _simplify(text: str) -> str:
    """Lower case, no accents, single spaces, no trailing punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().strip(" \t\n.,;:!?¡¿").split())
