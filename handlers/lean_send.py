"""Sending a message without turning Telegram's echo of it into PTB objects.

`Bot.send_message` parses the message Telegram sends back (its text, entities and
whole inline keyboard) into a `Message`, after building the keyboard's objects and
serialising them again. The intake conversation never reads that echo: with keyboards
of up to 26 buttons, building and parsing objects was about half of what each question
cost (profiled in `python -m bench --profile throughput`).

`send_text` posts the very same `sendMessage` request through `Bot.do_api_request`,
so it passes the same rate limiter (flood control, retries on 429, the /wipe tracking
in `services.tracking`) and raises the same errors, and answers only the new message's id.
Keyboards are plain rows of (label, callback data), turned into JSON once.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject
from telegram.ext import Defaults, ExtBot
from telegram.warnings import PTBUserWarning

# (label, callback data) of one inline button.
Button = tuple[str, str]
Rows = Sequence[Sequence[Button]]
JSONDict = dict[str, Any]

SEND_MESSAGE = "sendMessage"
# PTB nudges callers of do_api_request towards the typed method; here the raw answer
# is the point.
_TYPED_METHOD_NUDGE = r"Please use 'Bot\.sendMessage' instead of 'Bot\.do_api_request"


def quiet_typed_method_nudge() -> None:
    """Silence PTB's nudge for `sendMessage` only (idempotent: filters do not pile up)."""
    warnings.filterwarnings("ignore", message=_TYPED_METHOD_NUDGE, category=PTBUserWarning)


def keyboard_json(rows: Rows) -> JSONDict:
    """The `reply_markup` of an inline keyboard, as Telegram reads it."""
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in rows if row
        ]
    }


def keyboard_markup(rows: Rows) -> InlineKeyboardMarkup:
    """The same keyboard as PTB objects, for the typed calls (edits) that need them."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in rows
            if row
        ]
    )


async def send_text(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    *,
    rows: Rows | None = None,
    markup: TelegramObject | None = None,
) -> int:
    """Send `text` with the bot's defaults and an inline keyboard; the new message's id."""
    payload: JSONDict = {**_default_fields(bot.defaults), "chat_id": chat_id, "text": text}
    if rows:
        payload["reply_markup"] = keyboard_json(rows)
    elif markup is not None:
        payload["reply_markup"] = markup.to_dict()
    result = await bot.do_api_request(SEND_MESSAGE, api_kwargs=payload)
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
