"""The bot's name, description and short description, per language, as Telegram keeps them.

`setMyName` (0 to 64 characters), `setMyDescription` (0 to 512) and
`setMyShortDescription` (0 to 120) store a text for one language, or the default one
without `language_code`; an empty text removes it. The getters answer the text for
that language, or the default one. Without a name set, the bot is called by its
BotFather name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_telegram.records import BOT_FIRST_NAME, ApiError, Call, JSONDict

if TYPE_CHECKING:
    from fake_telegram.state import FakeTelegram

Method = Callable[["FakeTelegram", Call], Any]

# field: (parameter and result key, longest text, what Telegram says when it is longer)
FIELDS: dict[str, tuple[str, int, str]] = {
    "name": ("name", 64, "Bad Request: bot name is too long"),
    "description": ("description", 512, "Bad Request: bot description is too long"),
    "short_description": (
        "short_description",
        120,
        "Bad Request: bot short description is too long",
    ),
}


def _language(call: Call) -> str | None:
    code = call.params.get("language_code")
    return str(code) if code else None


def _setter(field: str) -> Method:
    key, longest, too_long = FIELDS[field]

    def set_field(fake: FakeTelegram, call: Call) -> bool:
        text = str(call.params.get(key) or "")
        if len(text) > longest:
            raise ApiError(400, too_long)
        slot = (field, _language(call))
        if text:
            fake.profile[slot] = text
        else:
            fake.profile.pop(slot, None)
        return True

    return set_field


def _getter(field: str) -> Method:
    key = FIELDS[field][0]

    def get_field(fake: FakeTelegram, call: Call) -> JSONDict:
        found = fake.profile.get((field, _language(call))) or fake.profile.get((field, None))
        if found is None:
            found = BOT_FIRST_NAME if field == "name" else ""
        return {key: found}

    return get_field


METHODS: dict[str, Method] = {
    "setMyName": _setter("name"),
    "getMyName": _getter("name"),
    "setMyDescription": _setter("description"),
    "getMyDescription": _getter("description"),
    "setMyShortDescription": _setter("short_description"),
    "getMyShortDescription": _getter("short_description"),
}
