"""One person's private chat as the terminal shows it, rebuilt from Bot API calls.

The fake Bot API records every request the bot makes. Each call that changes what a
person would see in Telegram (a new message, an edit, a deletion, a toast after a
button) becomes a short block of terminal lines; the chat also remembers the buttons
of every message so that typing `1` presses the same button a thumb would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from demo.plaintext import html_to_text

BOT = "🤖"
INDENT = "   "
_ATTACHMENTS = {
    "photo": "🖼 photo",
    "document": "📄 document",
    "voice": "🎤 voice message",
    "audio": "🎵 audio",
    "video": "🎬 video",
    "animation": "🎞 animation",
    "sticker": "🏷 sticker",
    "location": "📍 location",
    "venue": "📍 venue",
    "contact": "👤 contact",
}
_SEND_METHODS = {
    "sendmessage": None,
    "sendphoto": "photo",
    "senddocument": "document",
    "sendvoice": "voice",
    "sendaudio": "audio",
    "sendvideo": "video",
    "sendanimation": "animation",
    "sendsticker": "sticker",
    "sendlocation": "location",
    "sendvenue": "venue",
    "sendcontact": "contact",
    "copymessage": "copy",
    "forwardmessage": "forward",
}


@dataclass(frozen=True, slots=True)
class InlineButton:
    label: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(slots=True)
class ShownMessage:
    """A bot message as it currently stands in the chat."""

    message_id: int
    text: str
    attachment: str | None = None
    buttons: list[list[InlineButton]] = field(default_factory=list)
    deleted: bool = False

    @property
    def flat_buttons(self) -> list[InlineButton]:
        return [button for row in self.buttons for button in row]


@dataclass(slots=True)
class Chat:
    """What one person's Telegram would show; the renderer's state for that chat."""

    chat_id: int
    styled: bool = False
    messages: dict[int, ShownMessage] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)
    reply_keyboard: list[list[str]] = field(default_factory=list)

    # Reading ----------------------------------------------------------------------

    def latest_with_buttons(self) -> ShownMessage | None:
        """The message whose buttons `1`, `2`… press: the newest one still showing some."""
        for message_id in reversed(self.order):
            message = self.messages[message_id]
            if not message.deleted and message.flat_buttons:
                return message
        return None

    def message(self, message_id: int) -> ShownMessage | None:
        message = self.messages.get(message_id)
        return None if message is None or message.deleted else message

    # Applying calls ---------------------------------------------------------------

    def apply(self, method: str, params: Mapping[str, Any], result: object) -> list[str]:
        """Update the chat for one Bot API call; the lines to print (may be none)."""
        name = method.lower()
        if name in _SEND_METHODS:
            return self._sent(_SEND_METHODS[name], params, result)
        if name == "sendmediagroup":
            return self._media_group(params, result)
        if name in ("editmessagetext", "editmessagecaption"):
            return self._edited_text(params)
        if name == "editmessagereplymarkup":
            return self._edited_markup(params)
        if name == "deletemessage":
            return self._deleted([params.get("message_id")])
        if name == "deletemessages":
            return self._deleted(list(_as_list(params.get("message_ids"))))
        return []

    def _sent(self, kind: str | None, params: Mapping[str, Any], result: object) -> list[str]:
        message_id = _message_id(result)
        if kind is None:
            text = str(params.get("text", ""))
            attachment = None
        elif kind in ("copy", "forward"):
            text = ""
            attachment = "↪ a copy of an earlier message"
        else:
            text = str(params.get("caption") or "")
            attachment = _attachment_line(kind, params)
        message = ShownMessage(message_id or 0, text, attachment)
        self._take_markup(message, params.get("reply_markup"))
        if message_id is not None:
            self.messages[message_id] = message
            self.order.append(message_id)
        return self._render(message, marker=None)

    def _media_group(self, params: Mapping[str, Any], result: object) -> list[str]:
        lines: list[str] = []
        media = list(_as_list(params.get("media")))
        results = list(_as_list(result))
        for index, item in enumerate(media):
            item = _as_mapping(item)
            kind = str(item.get("type", "document"))
            message_id = _message_id(results[index]) if index < len(results) else None
            message = ShownMessage(
                message_id or 0, str(item.get("caption") or ""), _attachment_line(kind, item)
            )
            if message_id is not None:
                self.messages[message_id] = message
                self.order.append(message_id)
            lines += self._render(message, marker=None)
        return lines

    def _edited_text(self, params: Mapping[str, Any]) -> list[str]:
        message = self._known(params.get("message_id"))
        if message is None:
            return []
        message.text = str(params.get("text", params.get("caption", message.text)) or "")
        message.buttons = []
        self._take_markup(message, params.get("reply_markup"))
        return self._render(message, marker="✎ edited")

    def _edited_markup(self, params: Mapping[str, Any]) -> list[str]:
        message = self._known(params.get("message_id"))
        if message is None:
            return []
        had_buttons = bool(message.buttons)
        message.buttons = []
        self._take_markup(message, params.get("reply_markup"))
        # Only the keyboard changed: name the message instead of printing it again.
        preview = _preview(html_to_text(message.text) or message.attachment or "")
        if not message.buttons:
            return [f"{BOT} (✎ buttons removed from «{preview}»)"] if had_buttons else []
        return [f"{BOT} (✎ new buttons on «{preview}»)", *self.button_lines(message)]

    def _deleted(self, message_ids: list[object]) -> list[str]:
        lines = []
        theirs = 0
        for message_id in message_ids:
            message = self._known(message_id)
            if message is None:
                # Not one of the bot's: a message the person sent (a wipe takes both).
                theirs += isinstance(message_id, int)
                continue
            message.deleted = True
            preview = _preview(html_to_text(message.text) or message.attachment or "")
            lines.append(f"{BOT} 🗑 deleted: «{preview}»")
        if theirs:
            lines.append(f"{BOT} 🗑 deleted: {theirs} of your own messages")
        return lines

    def _known(self, message_id: object) -> ShownMessage | None:
        if not isinstance(message_id, int):
            return None
        return self.message(message_id)

    def _take_markup(self, message: ShownMessage, markup: object) -> None:
        markup = _as_mapping(markup)
        if "inline_keyboard" in markup:
            message.buttons = [
                [_inline_button(_as_mapping(button)) for button in _as_list(row)]
                for row in _as_list(markup["inline_keyboard"])
            ]
        elif "keyboard" in markup:
            self.reply_keyboard = [
                [_reply_label(button) for button in _as_list(row)]
                for row in _as_list(markup["keyboard"])
            ]
        elif markup.get("remove_keyboard"):
            self.reply_keyboard = []

    # Rendering --------------------------------------------------------------------

    def _render(self, message: ShownMessage, marker: str | None) -> list[str]:
        head = f"{BOT} ({marker}) " if marker else f"{BOT} "
        body = html_to_text(message.text, styled=self.styled).strip("\n")
        lines: list[str] = []
        if message.attachment:
            lines.append(f"{head}[{message.attachment}]")
            head = INDENT
        if body:
            text_lines = body.split("\n")
            lines.append(head + text_lines[0])
            lines += [INDENT + line if line else "" for line in text_lines[1:]]
        elif not lines:
            lines.append(head.rstrip())
        lines += self.button_lines(message)
        if self.reply_keyboard and not marker and message is self._newest():
            lines.append(
                INDENT
                + "⌨ "
                + "  ".join(f"«{label}»" for row in self.reply_keyboard for label in row)
            )
        return lines

    def button_lines(self, message: ShownMessage) -> list[str]:
        """`[1] Confirmar  [2] Editar`, one line per keyboard row, numbered across rows."""
        lines = []
        number = 0
        for row in message.buttons:
            cells = []
            for button in row:
                number += 1
                suffix = " ↗" if button.url else ""
                cells.append(f"[{number}] {button.label}{suffix}")
            lines.append(INDENT + "  ".join(cells))
        if lines and message.message_id:
            lines[-1] += f"   · msg {message.message_id}"
        return lines

    def _newest(self) -> ShownMessage | None:
        return self.messages[self.order[-1]] if self.order else None


def toast_lines(params: Mapping[str, Any]) -> list[str]:
    """An answered button: Telegram shows the text as a toast, or an alert to dismiss."""
    text = params.get("text")
    if not text:
        return []
    icon = "⚠" if params.get("show_alert") else "💬"
    return [f"{BOT} {icon} {html_to_text(str(text))}"]


def _inline_button(data: Mapping[str, Any]) -> InlineButton:
    url = data.get("url")
    callback = data.get("callback_data")
    return InlineButton(
        label=str(data.get("text", "")),
        callback_data=str(callback) if callback is not None else None,
        url=str(url) if url is not None else None,
    )


def _reply_label(button: object) -> str:
    if isinstance(button, str):
        return button
    return str(_as_mapping(button).get("text", ""))


def _attachment_line(kind: str, params: Mapping[str, Any]) -> str:
    label = _ATTACHMENTS.get(kind, kind)
    name = _file_name(params.get(kind))
    return f"{label}: {name}" if name else label


def _file_name(value: object) -> str | None:
    """An uploaded file's name (`InputFile`), or nothing for a file id or a URL."""
    filename = getattr(value, "filename", None)
    if isinstance(filename, str) and filename:
        return filename
    mapping = _as_mapping(value)
    for key in ("filename", "file_name", "name"):
        if isinstance(mapping.get(key), str):
            return str(mapping[key])
    return None


def _message_id(result: object) -> int | None:
    value = _as_mapping(result).get("message_id")
    return value if isinstance(value, int) else None


def _as_mapping(value: object) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and value.startswith("{"):
        try:
            loaded = json.loads(value)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        loaded = to_dict()
        return loaded if isinstance(loaded, dict) else {}
    return {}


def _as_list(value: object) -> list[Any]:
    if isinstance(value, str) and value.startswith("["):
        try:
            loaded = json.loads(value)
        except ValueError:
            return []
        return loaded if isinstance(loaded, list) else []
    if isinstance(value, list | tuple):
        return list(value)
    return []


def _preview(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
