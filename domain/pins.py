"""The family PIN: 4 to 8 digits, typed on a phone keypad, never an obvious one.

A PIN guards the owner views of a chat (its reports, their details, its news) against
whoever holds the phone; a guessable one (`0000`, `1234`, `9876`) would not.
"""

from __future__ import annotations

import itertools
import re
from enum import StrEnum

PIN_MIN = 4
PIN_MAX = 8
_SEPARATORS = re.compile(r"[\s\-.\u00a0\u202f]+")


class PinProblem(StrEnum):
    SHAPE = "shape"  # not 4 to 8 digits
    OBVIOUS = "obvious"  # one digit repeated, or a run up or down the keypad


def normalise_pin(text: str | None) -> str | None:
    """The digits of a PIN as typed (spaces and dashes ignored); None unless 4 to 8."""
    if text is None:
        return None
    compact = _SEPARATORS.sub("", text.strip())
    if not compact.isdecimal():
        return None
    digits = "".join(str(int(char)) for char in compact)
    return digits if PIN_MIN <= len(digits) <= PIN_MAX else None


def pin_problem(text: str) -> PinProblem | None:
    """Why `text` cannot be a new PIN, or None when it can."""
    pin = normalise_pin(text)
    if pin is None:
        return PinProblem.SHAPE
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {9}):
        return PinProblem.OBVIOUS
    return None
