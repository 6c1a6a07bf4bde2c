"""Methods that change or remove messages, with Telegram's "not found"/"not modified" errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_telegram.api_send import file_for
from fake_telegram.checks import check_caption, check_reply_markup, check_text
from fake_telegram.records import ApiError, Call, JSONDict, StoredMessage
from fake_telegram.shapes import media_object

if TYPE_CHECKING:
    from fake_telegram.state import FakeTelegram

Method = Callable[["FakeTelegram", Call], Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def edit_message_text(fake: FakeTelegram, call: Call) -> JSONDict | bool:
    """editMessageText: leaving out reply_markup removes the inline keyboard, as in Telegram."""
    params = call.params
    message = _target(fake, params)
    if message is None:
        return True
    parse_mode = params.get("parse_mode")
    text = check_text(params.get("text"), parse_mode)
    markup = check_reply_markup(params.get("reply_markup"))
    if message.text is None:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    if (text, parse_mode, markup) == (message.text, message.parse_mode, _inline(message)):
        raise ApiError(400, NOT_MODIFIED)
    message.text = text
    message.parse_mode = parse_mode
    message.entities = params.get("entities")
    message.reply_markup = markup
    return _edited(fake, message)


def edit_message_caption(fake: FakeTelegram, call: Call) -> JSONDict | bool:
    """editMessageCaption: only messages with media have a caption to edit."""
    params = call.params
    message = _target(fake, params)
    if message is None:
        return True
    if message.media_kind is None or message.text is not None:
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    parse_mode = params.get("parse_mode")
    caption = check_caption(params.get("caption"), parse_mode)
    markup = check_reply_markup(params.get("reply_markup"))
    if (caption, parse_mode, markup) == (message.caption, message.parse_mode, _inline(message)):
        raise ApiError(400, NOT_MODIFIED)
    message.caption = caption
    message.parse_mode = parse_mode
    message.reply_markup = markup
    return _edited(fake, message)


def edit_message_reply_markup(fake: FakeTelegram, call: Call) -> JSONDict | bool:
    """editMessageReplyMarkup: the same keyboard again is "not modified"."""
    message = _target(fake, call.params)
    if message is None:
        return True
    markup = check_reply_markup(call.params.get("reply_markup"))
    if markup == _inline(message):
        raise ApiError(400, NOT_MODIFIED)
    message.reply_markup = markup
    return _edited(fake, message)


def edit_message_media(fake: FakeTelegram, call: Call) -> JSONDict | bool:
    """editMessageMedia: swap the file (and caption) of a media message."""
    message = _target(fake, call.params)
    if message is None:
        return True
    media = call.params.get("media")
    if not isinstance(media, dict):
        raise ApiError(400, "Bad Request: media is empty")
    kind = str(media.get("type", "photo"))
    stored = file_for(fake, call, kind, media.get("media"), "media")
    parse_mode = media.get("parse_mode")
    message.text = None
    message.media_kind = kind
    message.media = media_object(kind, stored.file_id, stored.file_unique_id, stored.size, {})
    message.file_id = stored.file_id
    message.caption = check_caption(media.get("caption"), parse_mode)
    message.parse_mode = parse_mode
    message.reply_markup = check_reply_markup(call.params.get("reply_markup"))
    return _edited(fake, message)


def find_message(fake: FakeTelegram, params: JSONDict, message_id: Any) -> StoredMessage | None:
    if params.get("chat_id") is None:
        raise ApiError(400, "Bad Request: chat_id is empty")
    if message_id is None:
        raise ApiError(400, "Bad Request: message identifier is not specified")
    return fake.message(fake.resolve_chat(params["chat_id"]), int(message_id))


def _target(fake: FakeTelegram, params: JSONDict) -> StoredMessage | None:
    """The bot message an edit refers to; None for inline messages (answered with True)."""
    if params.get("inline_message_id"):
        return None
    message = find_message(fake, params, params.get("message_id"))
    if message is None or message.deleted:
        raise ApiError(400, "Bad Request: message to edit not found")
    if not message.from_bot:
        raise ApiError(400, "Bad Request: message can't be edited")
    return message


def _inline(message: StoredMessage) -> JSONDict | None:
    markup = message.reply_markup
    return markup if markup is not None and "inline_keyboard" in markup else None


def _edited(fake: FakeTelegram, message: StoredMessage) -> JSONDict:
    message.edit_count += 1
    message.edit_date = int(fake.clock())
    return fake.render(message)


METHODS: dict[str, Method] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "editMessageMedia": edit_message_media,
}
