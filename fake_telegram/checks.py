"""The request checks Telegram makes, so the fake rejects what the real API would reject.

Only cheap checks with a real failure behind them: empty or overlong texts, HTML that
Telegram cannot parse in parse_mode=HTML (fake_telegram/telegram_html.py: e.g. an
unescaped "<" from user input) and oversized callback data.
"""

from __future__ import annotations

from typing import Any

from fake_telegram.records import ApiError, JSONDict
from fake_telegram.shapes import utf16_len
from fake_telegram.telegram_html import parse_html

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64


def check_text(text: Any, parse_mode: str | None) -> str:
    """A message text must parse, and be non-empty and at most 4096 characters once parsed."""
    if not isinstance(text, str):
        raise ApiError(400, "Bad Request: message text is empty")
    plain = parsed_plain(text, parse_mode)
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def check_caption(caption: Any, parse_mode: str | None) -> str | None:
    """Captions are optional, must parse, and are limited to 1024 characters once parsed."""
    if caption is None:
        return None
    text = str(caption)
    if utf16_len(parsed_plain(text, parse_mode)) > MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    return text


def parsed_plain(text: str, parse_mode: str | None) -> str:
    """The text a reader sees; raises Telegram's `can't parse entities` for broken HTML."""
    if parse_mode is None or parse_mode.upper() != "HTML":
        return text
    return parse_html(text).text


def check_reply_markup(markup: Any) -> JSONDict | None:
    """Inline buttons need an action, and callback data must fit in 64 bytes."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", ()):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: text must be non-empty")
            data = button.get("callback_data")
            if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if len(button) < 2:
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
    return markup
