"""Venezuelan identity numbers (cédulas): accepted as families write them, stored one way.

`V-12.345.678`, `v 12345678`, `E-81234567` and bare digits all become `V12345678` /
`E81234567`, so the keyed hash of a cédula is the same however it was typed. Bare
digits are Venezuelan (`V`), as on most forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MIN_DIGITS = 6
MAX_DIGITS = 9
NATIONALITIES = ("V", "E")

_SHAPE = re.compile(r"^(?:(?P<letter>[A-Za-z])\s*[-.:/]?\s*)?(?P<number>[\d.\s,\-]+)$")


class CedulaProblem(StrEnum):
    """Why a text is not a cédula, each with its own explanation for the user."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    BAD_LETTER = "bad_letter"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class CedulaResult:
    value: str | None
    problem: CedulaProblem | None = None


def parse_cedula(text: str) -> CedulaResult:
    """Normalise a typed cédula, or say precisely what is wrong with it."""
    cleaned = text.strip()
    if not cleaned:
        return CedulaResult(None, CedulaProblem.EMPTY)
    match = _SHAPE.match(cleaned)
    if match is None:
        return CedulaResult(None, CedulaProblem.NOT_A_NUMBER)
    letter = (match.group("letter") or "V").upper()
    if letter not in NATIONALITIES:
        return CedulaResult(None, CedulaProblem.BAD_LETTER)
    digits = re.sub(r"\D", "", match.group("number")).lstrip("0")
    if len(digits) < MIN_DIGITS:
        return CedulaResult(None, CedulaProblem.TOO_SHORT)
    if len(digits) > MAX_DIGITS:
        return CedulaResult(None, CedulaProblem.TOO_LONG)
    return CedulaResult(f"{letter}{digits}")


def normalise_cedula(text: str) -> str | None:
    """`V-12.345.678` → `V12345678`; None when it is not a cédula."""
    return parse_cedula(text).value


def display_cedula(normalised: str) -> str:
    """`V12345678` → `V-12.345.678`, the way it is printed on the card."""
    letter, digits = normalised[0], normalised[1:]
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{letter}-{'.'.join(groups)}"
