"""What a line typed in the demo means: text for the bot, a button, or a demo command.

Demo commands are words the bot itself never uses (`/as`, `/photo`…), so everything
else, bot commands included, reaches the bot unchanged. A bare number presses that
button of the newest message with buttons (`12.1`: button 1 of message 12); when no
such button exists the number is sent as text, and `/say 2` always sends text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRESS = re.compile(r"^(?:(\d+)\.)?(\d{1,2})$")
_DEMO_COMMANDS = frozenset(
    {"as", "photo", "voice", "document", "location", "sticker", "say", "quit", "exit", "demo"}
)
HELP = (
    "Demo commands (everything else goes to the bot as typed):",
    "  1, 2, …        press that button of the newest message with buttons",
    "  12.1           press button 1 of message 12 (the number after «msg»)",
    "  /as NAME [es|en]  type as someone else: family, family2, moderator, subscriber…",
    "  /photo [caption], /voice, /document [name], /location, /sticker",
    "  /say TEXT      send TEXT as is (e.g. a number that is not a button)",
    "  /demo          this help        /quit  leave",
    "In a script, {receipt} stands for the last receipt code the person was given.",
)


@dataclass(frozen=True, slots=True)
class DemoCommand:
    """One parsed line: `name` is `text`, `press` or a demo command."""

    name: str
    argument: str = ""
    raw: str = ""
    number: int = 0
    message_id: int | None = None

    @staticmethod
    def help_lines() -> list[str]:
        return list(HELP)


def parse_input(line: str) -> DemoCommand | None:
    if not line:
        return None
    press = _PRESS.match(line)
    if press:
        message_id = int(press.group(1)) if press.group(1) else None
        return DemoCommand("press", raw=line, number=int(press.group(2)), message_id=message_id)
    if line.startswith("/"):
        word, _, rest = line[1:].partition(" ")
        word = word.lower()
        if word in _DEMO_COMMANDS:
            if word == "say":
                return DemoCommand("text", rest, raw=line)
            if word == "exit":
                word = "quit"
            elif word == "demo":
                word = "help"
            return DemoCommand(word, rest.strip(), raw=line)
    return DemoCommand("text", line, raw=line)
