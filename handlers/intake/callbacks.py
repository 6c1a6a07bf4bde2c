"""Callback data of intake buttons (all under `intake:`, at most 64 bytes).

- `intake:go:<flow>`              start a flow (det, rel, upd)
- `intake:re:<flow>:<token>`      continue the draft with this token
- `intake:rm:<token>`             discard the draft with this token
- `intake:q:<token>:<step>:<value>` answer a question; `value` may be a navigation
  word (`!back`, `!skip`, `!cancel`, `!pg:N`) or the question's own choice

The draft token and the step in every question button let a press on an old message,
or on a message of an earlier draft, be recognised and answered kindly.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "intake"
BACK = "!back"
SKIP = "!skip"
CANCEL = "!cancel"
DONE = "!done"
PAGE = "!pg:"
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Press:
    """A parsed intake button press."""

    action: str  # "go", "re", "rm", "q"
    flow: str = ""
    token: str = ""
    step: str = ""
    value: str = ""


def start(flow: str) -> str:
    return f"{PREFIX}:go:{flow}"


def resume(flow: str, token: str) -> str:
    return f"{PREFIX}:re:{flow}:{token}"


def discard(token: str) -> str:
    return f"{PREFIX}:rm:{token}"


def question(token: str, step: str, value: str) -> str:
    data = f"{PREFIX}:q:{token}:{step}:{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long for step {step}")
    return data


def parse(data: str | None) -> Press | None:
    if not data or not data.startswith(PREFIX + ":"):
        return None
    parts = data.split(":", 4)
    action = parts[1] if len(parts) > 1 else ""
    if action == "go" and len(parts) == 3:
        return Press("go", flow=parts[2])
    if action == "re" and len(parts) == 4:
        return Press("re", flow=parts[2], token=parts[3])
    if action == "rm" and len(parts) == 3:
        return Press("rm", token=parts[2])
    if action == "q" and len(parts) == 5:
        return Press("q", token=parts[2], step=parts[3], value=parts[4])
    return None
