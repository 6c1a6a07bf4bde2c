"""The request checks Telegram makes, so the fake rejects what the real API would reject.

Only cheap checks with a real failure behind them: empty or overlong texts, broken HTML in
parse_mode=HTML (e.g. an unescaped "<" from user input) and oversized callback data.
HTML entities are not checked: Telegram leaves unknown ones as literal text.
"""

from __future__ import annotations

import re
from typing import Any

from fake_telegram.records import ApiError, JSONDict
from fake_telegram.shapes import plain_text, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

_ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)?[^<>]*(>?)")


def check_text(text: Any, parse_mode: str | None) -> str:
    """A message text must be a non-empty string of at most 4096 characters once parsed."""
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    check_markup_text(text, parse_mode)
    if utf16_len(plain_text(text, parse_mode)) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def check_caption(caption: Any, parse_mode: str | None) -> str | None:
    """Captions are optional and limited to 1024 characters once parsed."""
    if caption is None:
        return None
    text = str(caption)
    check_markup_text(text, parse_mode)
    if utf16_len(plain_text(text, parse_mode)) > MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    return text


def check_markup_text(text: str, parse_mode: str | None) -> None:
    """Reject HTML that Telegram cannot parse: a bare "<", unknown or unbalanced tags."""
    if parse_mode is None or parse_mode.upper() != "HTML" or "<" not in text:
        return
    open_tags: list[str] = []
    for match in _TAG.finditer(text):
        closing, name, closed = match.groups()
        if not name or not closed:
            raise _parse_error('Unsupported start tag ""', text, match.start())
        tag = name.lower()
        if tag not in _ALLOWED_TAGS:
            kind = "end" if closing else "start"
            raise _parse_error(f'Unsupported {kind} tag "{tag}"', text, match.start())
        if not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            raise _parse_error(f'Unexpected end tag "{tag}"', text, match.start())
    if open_tags:
        reason = f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"'
        raise _parse_error(reason, text, len(text))


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


def _parse_error(reason: str, text: str, index: int) -> ApiError:
    offset = len(text[:index].encode())
    return ApiError(400, f"Bad Request: can't parse entities: {reason} at byte offset {offset}")
