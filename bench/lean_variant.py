"""The raw `sendMessage` that `handlers/lean_send.py` shipped, kept to be measured.

It posted the same request through `Bot.do_api_request` (same rate limiter, same
errors) but built the keyboard as JSON and read only the new message's id from
Telegram's echo, instead of building PTB objects and parsing the echo into a
`Message`. `bench/bypasses.py` swaps it in for some families and compares.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Iterator
from typing import Any

from telegram import Bot
from telegram.ext import Defaults, ExtBot
from telegram.warnings import PTBUserWarning

from handlers import sending
from handlers.sending import Rows

JSONDict = dict[str, Any]
# PTB nudges callers of do_api_request towards the typed method; here the raw answer
# is the point.
_TYPED_METHOD_NUDGE = r"Please use 'Bot\.sendMessage' instead of 'Bot\.do_api_request"


def keyboard_json(rows: Rows) -> JSONDict:
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in rows if row
        ]
    }


async def lean_send_text(bot: Bot, chat_id: int, text: str, *, rows: Rows | None = None) -> int:
    defaults = bot.defaults if isinstance(bot, ExtBot) else None
    payload: JSONDict = {**_default_fields(defaults), "chat_id": chat_id, "text": text}
    if rows:
        payload["reply_markup"] = keyboard_json(rows)
    result = await bot.do_api_request("sendMessage", api_kwargs=payload)
    return int(result["message_id"])


@functools.lru_cache(maxsize=4)
def _default_fields(defaults: Defaults | None) -> JSONDict:
    """What `send_message` would add from the application's `Defaults`."""
    if defaults is None:
        return {}
    fields: JSONDict = {}
    if defaults.parse_mode is not None:
        fields["parse_mode"] = defaults.parse_mode
    if defaults.protect_content is not None:
        fields["protect_content"] = defaults.protect_content
    if defaults.disable_notification is not None:
        fields["disable_notification"] = defaults.disable_notification
    if defaults.link_preview_options is not None:
        fields["link_preview_options"] = defaults.link_preview_options.to_dict()
    return fields


@contextlib.contextmanager
def lean_sending() -> Iterator[None]:
    """Every handler module that sends through `handlers.sending.send_text` sends lean."""
    shipped = sending.send_text
    users = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("handlers") and getattr(module, "send_text", None) is shipped
    ]
    if not any(module.__name__.startswith("handlers.intake") for module in users):
        raise RuntimeError("no intake module sends through handlers.sending.send_text")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_TYPED_METHOD_NUDGE, category=PTBUserWarning)
        for module in users:
            module.send_text = lean_send_text  # type: ignore[attr-defined]
        try:
            yield
        finally:
            for module in users:
                module.send_text = shipped  # type: ignore[attr-defined]
