"""Receipt codes: the reporter's only key to a report.

Sixteen random digits (about 53 bits, as GlobaLeaks uses) shown in groups of four,
`8306 1947 5521 0638`: easy to type on a phone keypad, and in a searched phone they
pass for an account or card number rather than a case code. Stored only as a keyed
hash for lookups (and sealed, so the filing chat can be shown its code again).
"""

from __future__ import annotations

import re
import secrets

RECEIPT_DIGITS = 16
RECEIPT_PURPOSE = "receipt"
# People paste codes with the spaces we print, with dashes, or with no-break spaces.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u00a0\u202f]+")
_DIGITS = re.compile(rf"^\d{{{RECEIPT_DIGITS}}}$")


def new_receipt_code() -> str:
    """A fresh code in canonical form (16 digits, no separators)."""
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def format_receipt(code: str) -> str:
    """`8306194755210638` → `8306 1947 5521 0638`."""
    return " ".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise_receipt(text: str | None) -> str | None:
    """The canonical code in `text`, accepting spaces and dashes; None if it is not one."""
    if text is None:
        return None
    compact = _SEPARATORS.sub("", text.strip())
    # Digits typed on some keyboards (Arabic-Indic, full-width) are still digits.
    if not compact.isdecimal():
        return None
    canonical = "".join(str(int(char)) for char in compact)
    return canonical if _DIGITS.match(canonical) else None
