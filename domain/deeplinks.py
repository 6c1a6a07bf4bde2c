"""Parsing `/start PAYLOAD` deep links (`https://t.me/<bot>?start=status_CODE`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAYLOAD = re.compile(r"^(?P<kind>[a-z]+)_(?P<value>[A-Za-z0-9_-]{1,48})$")


@dataclass(frozen=True, slots=True)
class DeepLink:
    kind: str
    value: str


def parse_start_payload(args: list[str] | None) -> DeepLink | None:
    """`["status_8306194755210638"]` → DeepLink("status", "8306194755210638")."""
    if not args:
        return None
    match = _PAYLOAD.match(args[0])
    if match is None:
        return None
    return DeepLink(match.group("kind"), match.group("value"))
