"""Methods that put new messages into chats: send*, sendMediaGroup, copy and forward."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_telegram.checks import check_caption, check_reply_markup, check_text
from fake_telegram.records import ApiError, Call, JSONDict, StoredFile, StoredMessage
from fake_telegram.shapes import media_object
from fake_telegram.uploads import ATTACH, is_upload

if TYPE_CHECKING:
    from fake_telegram.state import FakeTelegram

Method = Callable[["FakeTelegram", Call], Any]


def send_message(fake: FakeTelegram, call: Call) -> JSONDict:
    """sendMessage: text (parse mode kept as sent), keyboard, protection, reply."""
    params = call.params
    chat_id = _chat(fake, params)
    parse_mode = params.get("parse_mode")
    message = fake.add_bot_message(
        chat_id,
        text=check_text(params.get("text"), parse_mode),
        entities=params.get("entities"),
        parse_mode=parse_mode,
        **_common(fake, chat_id, params),
    )
    return fake.render(message)


def _send_media(kind: str) -> Method:
    def send(fake: FakeTelegram, call: Call) -> JSONDict:
        params = call.params
        chat_id = _chat(fake, params)
        stored = file_for(fake, call, kind, params.get(kind), kind)
        parse_mode = params.get("parse_mode")
        message = fake.add_bot_message(
            chat_id,
            caption=check_caption(params.get("caption"), parse_mode),
            parse_mode=parse_mode,
            media_kind=kind,
            media=_media(kind, stored, params),
            file_id=stored.file_id,
            **_common(fake, chat_id, params),
        )
        return fake.render(message)

    send.__doc__ = f"send{kind.title()}: a {kind} from an upload, a known file id or a URL."
    return send


def _send_plain(kind: str, build: Callable[[JSONDict], JSONDict]) -> Method:
    def send(fake: FakeTelegram, call: Call) -> JSONDict:
        chat_id = _chat(fake, call.params)
        try:
            media = build(call.params)
        except (KeyError, TypeError, ValueError) as error:
            raise ApiError(400, f"Bad Request: {kind} is invalid: {error}") from error
        message = fake.add_bot_message(
            chat_id, media_kind=kind, media=media, **_common(fake, chat_id, call.params)
        )
        return fake.render(message)

    send.__doc__ = f"A {kind} message (no file behind it)."
    return send


def send_media_group(fake: FakeTelegram, call: Call) -> list[JSONDict]:
    """sendMediaGroup: one message per item, sharing a media_group_id, as Telegram does."""
    params = call.params
    chat_id = _chat(fake, params)
    items = params.get("media")
    if not isinstance(items, list) or not items:
        raise ApiError(400, "Bad Request: media is empty")
    if len(items) > 10:
        raise ApiError(400, "Bad Request: too many messages to send as an album")
    common = _common(fake, chat_id, params)
    prepared = []  # check every item before storing any: an album is sent whole or not at all
    for index, item in enumerate(items):
        kind = str(item.get("type", "photo"))
        parse_mode = item.get("parse_mode", params.get("parse_mode"))
        caption = check_caption(item.get("caption"), parse_mode)
        stored = file_for(fake, call, kind, item.get("media"), f"media #{index}")
        prepared.append((kind, stored, caption, parse_mode, _media(kind, stored, item)))
    group_id = f"1{fake.call_count():017d}"
    messages: list[JSONDict] = []
    for kind, stored, caption, parse_mode, media in prepared:
        message = fake.add_bot_message(
            chat_id,
            caption=caption,
            parse_mode=parse_mode,
            media_kind=kind,
            media=media,
            file_id=stored.file_id,
            media_group_id=group_id,
            **common,
        )
        messages.append(fake.render(message))
    return messages


def copy_message(fake: FakeTelegram, call: Call) -> JSONDict:
    """copyMessage: the same content without a link to the original; returns a MessageId."""
    params = call.params
    chat_id = _chat(fake, params)
    source = _source(fake, params, "copy")
    caption = source.caption
    parse_mode = source.parse_mode
    if "caption" in params:
        parse_mode = params.get("parse_mode")
        caption = check_caption(params["caption"], parse_mode)
    message = fake.add_bot_message(
        chat_id,
        text=source.text,
        entities=source.entities,
        caption=caption if source.text is None else None,
        parse_mode=parse_mode,
        media_kind=source.media_kind,
        media=source.media,
        file_id=source.file_id,
        **_common(fake, chat_id, params),
    )
    return {"message_id": message.message_id}


def forward_message(fake: FakeTelegram, call: Call) -> JSONDict:
    """forwardMessage: the same content, marked with where it came from."""
    params = call.params
    chat_id = _chat(fake, params)
    source = _source(fake, params, "forward")
    origin: JSONDict = {"type": "user", "date": source.date, "sender_user": source.from_user}
    message = fake.add_bot_message(
        chat_id,
        text=source.text,
        entities=source.entities,
        caption=source.caption,
        parse_mode=source.parse_mode,
        media_kind=source.media_kind,
        media=source.media,
        file_id=source.file_id,
        forward_origin=origin,
        protect_content=bool(params.get("protect_content", False)),
    )
    return fake.render(message)


def copy_messages(fake: FakeTelegram, call: Call) -> list[JSONDict]:
    """copyMessages: copyMessage for each id, skipping ones that are gone."""
    results: list[JSONDict] = []
    for message_id in call.params.get("message_ids") or []:
        single = Call("copyMessage", {**call.params, "message_id": message_id})
        try:
            results.append(copy_message(fake, single))
        except ApiError:
            continue
    return results


def file_for(fake: FakeTelegram, call: Call, kind: str, value: Any, part: str) -> StoredFile:
    """The file a send refers to: a new upload, a file id the fake knows, or a URL."""
    if is_upload(value):
        content = call.files.get(value.get("attach") or part, b"")
        return fake.new_file(
            kind,
            size=len(content),
            content=content,
            file_name=value.get("filename"),
            mime_type=value.get("mime_type"),
        )
    if not isinstance(value, str) or not value or value.startswith(ATTACH):
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    known = fake.file(value)
    if known is not None:
        return known
    if value.startswith(("http://", "https://")):
        return fake.new_file(kind, size=48_000, file_name=value.rsplit("/", 1)[-1] or None)
    # Lenient on purpose: a file id the fake never issued is accepted as if Telegram knew it.
    return fake.new_file(kind, size=48_000, file_id=value)


def _media(kind: str, stored: StoredFile, params: JSONDict) -> Any:
    extra: JSONDict = {}
    if stored.file_name:
        extra["file_name"] = stored.file_name
    if stored.mime_type:
        extra["mime_type"] = stored.mime_type
    if "duration" in params:
        extra["duration"] = params["duration"]
    return media_object(kind, stored.file_id, stored.file_unique_id, stored.size, extra)


def _chat(fake: FakeTelegram, params: JSONDict) -> int:
    if params.get("chat_id") is None:
        raise ApiError(400, "Bad Request: chat_id is empty")
    return fake.resolve_chat(params["chat_id"])


def _common(fake: FakeTelegram, chat_id: int, params: JSONDict) -> dict[str, Any]:
    """Keyboard, protection and reply target: the same for every kind of send."""
    return {
        "reply_markup": check_reply_markup(params.get("reply_markup")),
        "protect_content": bool(params.get("protect_content", False)),
        "reply_to_message_id": _reply_target(fake, chat_id, params),
    }


def _reply_target(fake: FakeTelegram, chat_id: int, params: JSONDict) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):
        target, allow = reply.get("message_id"), bool(reply.get("allow_sending_without_reply"))
    elif params.get("reply_to_message_id") is not None:
        target = params["reply_to_message_id"]
        allow = bool(params.get("allow_sending_without_reply"))
    else:
        return None
    message = fake.message(chat_id, int(target)) if target is not None else None
    if message is None or message.deleted:
        if allow:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")
    return message.message_id


def _source(fake: FakeTelegram, params: JSONDict, verb: str) -> StoredMessage:
    from_chat = fake.resolve_chat(params.get("from_chat_id"))
    message_id = params.get("message_id")
    source = fake.message(from_chat, int(message_id)) if message_id is not None else None
    if source is None or source.deleted:
        raise ApiError(400, f"Bad Request: message to {verb} not found")
    if source.protect_content:
        raise ApiError(400, "Bad Request: message has protected content and can't be forwarded")
    return source


def _contact(params: JSONDict) -> JSONDict:
    contact: JSONDict = {k: params[k] for k in ("last_name", "vcard", "user_id") if k in params}
    contact.update(phone_number=str(params["phone_number"]), first_name=str(params["first_name"]))
    return contact


METHODS: dict[str, Method] = {
    "sendMessage": send_message,
    "sendMediaGroup": send_media_group,
    "copyMessage": copy_message,
    "copyMessages": copy_messages,
    "forwardMessage": forward_message,
    "sendLocation": _send_plain(
        "location",
        lambda p: {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])},
    ),
    "sendContact": _send_plain("contact", _contact),
    "sendVenue": _send_plain(
        "venue",
        lambda p: {
            "location": {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])},
            "title": str(p["title"]),
            "address": str(p["address"]),
        },
    ),
}
for _kind in ("photo", "document", "voice", "audio", "video", "animation", "sticker"):
    METHODS[f"send{_kind.title()}"] = _send_media(_kind)
METHODS["sendVideoNote"] = _send_media("video_note")
