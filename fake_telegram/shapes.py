"""Bot API JSON shapes (messages, media, chats), kept in one place so both paths agree."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Reversible
from typing import Any

from fake_telegram.records import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    ApiError,
    JSONDict,
    StoredMessage,
)
from fake_telegram.telegram_html import parse_html

BOT_USER: JSONDict = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": BOT_FIRST_NAME,
    "username": BOT_USERNAME,
}

GET_ME: JSONDict = {
    **BOT_USER,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}

# The first letters of real file ids tell the kind of file; keep them recognisable.
FILE_ID_PREFIX = {
    "photo": "AgACAgEAAxkBAAI",
    "document": "BQACAgEAAxkBAAI",
    "voice": "AwACAgEAAxkBAAI",
    "audio": "CQACAgEAAxkBAAI",
    "video": "BAACAgEAAxkBAAI",
    "sticker": "CAACAgEAAxkBAAI",
    "animation": "CgACAgEAAxkBAAI",
    "video_note": "DQACAgEAAxkBAAI",
}
FILE_DIRS = {
    "photo": ("photos", ".jpg"),
    "document": ("documents", ""),
    "voice": ("voice", ".oga"),
    "audio": ("music", ".mp3"),
    "video": ("videos", ".mp4"),
    "sticker": ("stickers", ".webp"),
    "animation": ("animations", ".mp4"),
    "video_note": ("video_notes", ".mp4"),
}
MEDIA_KINDS = frozenset(FILE_ID_PREFIX)

_TAG = re.compile(r"<[^>]*>")


def plain_text(text: str, parse_mode: str | None) -> str:
    """What a reader sees: the text as Telegram parses it (HTML that Telegram would refuse,
    which never reaches a chat, is shown with its tags stripped)."""
    if parse_mode is None or parse_mode.upper() != "HTML":
        return text
    try:
        return parse_html(text).text
    except ApiError:
        return html.unescape(_TAG.sub("", text))


def html_entities(text: str, parse_mode: str | None) -> list[JSONDict] | None:
    """The entities Telegram derives from an HTML text (None when it has none)."""
    if parse_mode is None or parse_mode.upper() != "HTML":
        return None
    try:
        entities = parse_html(text).entity_dicts()
    except ApiError:
        return None
    return entities or None


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units, like Telegram does."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def private_chat(user: JSONDict) -> JSONDict:
    """The private `Chat` with a user: same id, the user's names."""
    chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    return chat


def placeholder_chat(chat_id: int) -> JSONDict:
    """A chat never introduced: private for positive ids, a supergroup for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "User"}
    return group_chat(chat_id, f"Group {-chat_id}")


def group_chat(chat_id: int, title: str, chat_type: str = "supergroup") -> JSONDict:
    """A group `Chat`; negative ids are groups in Telegram."""
    return {"id": chat_id, "type": chat_type, "title": title}


def full_chat(chat: JSONDict) -> JSONDict:
    """`ChatFullInfo` for getChat: the chat plus the fields PTB requires."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def media_object(kind: str, file_id: str, unique_id: str, size: int, extra: JSONDict) -> Any:
    """The object Telegram puts under `message[kind]` for a file of that kind."""
    base: JSONDict = {"file_id": file_id, "file_unique_id": unique_id, "file_size": size}
    if kind == "photo":
        thumb = {
            "file_id": f"{file_id}_m",
            "file_unique_id": f"{unique_id}_m",
            "file_size": max(size // 20, 1),
            "width": 90,
            "height": 68,
        }
        return [thumb, {**base, "width": 1280, "height": 960}]
    if kind == "document":
        base["file_name"] = extra.get("file_name", "document.bin")
        base["mime_type"] = extra.get("mime_type", "application/octet-stream")
    elif kind == "voice":
        base.update(duration=extra.get("duration", 5), mime_type="audio/ogg")
    elif kind == "audio":
        base.update(duration=extra.get("duration", 180), mime_type="audio/mpeg")
        if "file_name" in extra:
            base["file_name"] = extra["file_name"]
    elif kind in ("video", "animation"):
        base.update(width=640, height=360, duration=extra.get("duration", 10))
    elif kind == "video_note":
        base.update(length=240, duration=extra.get("duration", 10))
    elif kind == "sticker":
        base.update(
            width=512,
            height=512,
            type="regular",
            is_animated=False,
            is_video=False,
            emoji=extra.get("emoji", "👍"),
        )
    return base


def render_message(
    message: StoredMessage, chat: JSONDict, reply_to: JSONDict | None = None
) -> JSONDict:
    """The `Message` JSON Telegram returns; reply keyboards never appear in it, as in Telegram."""
    data: JSONDict = {
        "message_id": message.message_id,
        "from": message.from_user,
        "chat": chat,
        "date": message.date,
    }
    if message.text is not None:
        data["text"] = plain_text(message.text, message.parse_mode)
        entities = message.entities or html_entities(message.text, message.parse_mode)
        if entities:
            data["entities"] = entities
    if message.media_kind is not None:
        data[message.media_kind] = message.media
    if message.caption is not None:
        data["caption"] = plain_text(message.caption, message.parse_mode)
        caption_entities = html_entities(message.caption, message.parse_mode)
        if caption_entities:
            data["caption_entities"] = caption_entities
    markup = message.reply_markup
    if markup is not None and "inline_keyboard" in markup:
        data["reply_markup"] = markup
    if message.protect_content:
        data["has_protected_content"] = True
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.media_group_id is not None:
        data["media_group_id"] = message.media_group_id
    if message.forward_origin is not None:
        data["forward_origin"] = message.forward_origin
    if reply_to is not None:
        data["reply_to_message"] = reply_to
    return data


def button_rows(markup: JSONDict | None) -> list[list[tuple[str, str | None]]]:
    """Inline buttons as (label, callback_data or url) rows; other markups give no rows."""
    if not markup:
        return []
    rows: list[list[tuple[str, str | None]]] = []
    for row in markup.get("inline_keyboard", ()):
        rows.append([(button.get("text", ""), _button_target(button)) for button in row])
    return rows


def _button_target(button: JSONDict) -> str | None:
    for key in ("callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat"):
        value = button.get(key)
        if isinstance(value, str):
            return value
    web_app = button.get("web_app")
    if isinstance(web_app, dict) and isinstance(web_app.get("url"), str):
        return str(web_app["url"])
    return None


def reply_keyboard_rows(messages: Reversible[StoredMessage]) -> list[list[JSONDict]] | None:
    """The reply keyboard on screen: the newest bot message that set or removed one decides
    (deleting that message does not hide the keyboard, as in Telegram)."""
    for message in reversed(messages):
        markup = message.reply_markup if message.from_bot else None
        if markup is None:
            continue
        if "keyboard" in markup:
            return [_as_buttons(row) for row in markup["keyboard"]]
        if "remove_keyboard" in markup:
            return None
    return None


def _as_buttons(row: Iterable[Any]) -> list[JSONDict]:
    return [b if isinstance(b, dict) else {"text": str(b)} for b in row]
