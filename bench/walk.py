"""One family's whole detention report, step by step, as the benchmarks replay it.

The walk answers every question of the intake conversation the way a family would:
typed answers, buttons, a photo as evidence, consent, confirmation. Buttons are found
by their English label on the newest message that shows them, as a thumb would.
Each family reports a different person, so no report looks like a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update

from fake_telegram import FakeTelegram, FakeUser, JSONDict, updates

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")
_SYLLABLES = ("ka", "lo", "mi", "ra", "su", "te", "no", "vi", "da", "ne", "ro", "sa")


@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # "text", "press" or "photo"
    value: str = ""


def person_name(index: int) -> str:
    """A distinct, letters-only name for family `index` (names may not contain digits)."""
    parts = []
    number = index
    for _ in range(4):
        number, digit = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    given = "".join(parts[:2]).title()
    surname = "".join(parts[2:]).title()
    return f"{given} {surname} Pérez"


def detention_walk(index: int) -> tuple[Step, ...]:
    return (
        Step("text", "/report"),
        Step("press", "📝 A detention"),
        Step("text", person_name(index)),
        Step("text", f"V-{20_000_000 + index}"),
        Step("press", "Man"),
        Step("text", "34"),
        Step("press", "Civilian"),
        Step("text", "yesterday"),
        Step("press", "Carabobo"),
        Step("text", "Petare"),
        Step("press", "SEBIN"),
        Step("press", "El Helicoide"),
        Step("text", "They took him from home at dawn; neighbours saw two trucks."),
        Step("photo"),
        Step("press", "✅ Done"),
        Step("text", "brother"),
        Step("press", "✅ Yes"),
        Step("press", "✅ Yes"),
        Step("press", "✅ Confirm and send"),
    )


WALK_LENGTH = len(detention_walk(0))


class WalkError(AssertionError):
    """The bot did not offer what the walk expected: the conversation changed shape."""


def step_update(fake: FakeTelegram, user: FakeUser, step: Step) -> JSONDict:
    """The raw update for one step, as Telegram would deliver it."""
    if step.kind == "text":
        return updates.text_update(fake, user, step.value)
    if step.kind == "photo":
        return updates.photo_update(fake, user)
    message_id, data = find_button(fake, user.id, step.value)
    return updates.callback_update(fake, user, message_id, data)


def find_button(fake: FakeTelegram, chat_id: int, label: str) -> tuple[int, str]:
    """(message id, callback data) of the newest button whose label starts with `label`."""
    for message in reversed(fake.bot_messages(chat_id)):
        for row in (message.reply_markup or {}).get("inline_keyboard", ()):
            for button in row:
                if str(button.get("text", "")).startswith(label) and "callback_data" in button:
                    return message.message_id, str(button["callback_data"])
    offered = [
        text for message in fake.bot_messages(chat_id)[-2:] for row in fake.buttons(message)
        for text, _ in row
    ]  # fmt: skip
    raise WalkError(f"no button {label!r}; the last messages offer {offered}")


def parse(data: JSONDict, bot: object) -> Update:
    return Update.de_json(data, bot)  # type: ignore[arg-type]


def receipt_of(fake: FakeTelegram, chat_id: int) -> str | None:
    """The receipt code the bot gave this family, if it did."""
    for message in reversed(fake.bot_messages(chat_id)):
        found = RECEIPT.search(message.body)
        if found:
            return found.group(0)
    return None
