"""Raw update dicts as Telegram sends them, each registering the user's message in the fake.

Shared by the in-process `Rig` and by tests feeding `FakeTelegramServer.enqueue_update`, so
both paths see identical updates and identical message ids.
"""

from __future__ import annotations

from typing import Any

from fake_telegram.records import FakeUser, JSONDict
from fake_telegram.shapes import media_object, utf16_len
from fake_telegram.state import FakeTelegram


def text_update(
    fake: FakeTelegram, user: FakeUser, text: str, *, chat_id: int | None = None
) -> JSONDict:
    """A text message; a leading "/command" gets the bot_command entity PTB matches on."""
    entities: list[JSONDict] | None = None
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0] if text.strip() else text
        entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
    return _message_update(fake, user, chat_id, text=text, entities=entities)


def photo_update(
    fake: FakeTelegram, user: FakeUser, *, caption: str | None = None, chat_id: int | None = None
) -> JSONDict:
    """A photo (two sizes, like Telegram) with an optional caption."""
    return _file_update(fake, user, chat_id, "photo", 84_213, {}, caption)


def document_update(
    fake: FakeTelegram,
    user: FakeUser,
    *,
    file_name: str = "doc.pdf",
    mime_type: str = "application/pdf",
    file_size: int = 24_576,
    caption: str | None = None,
    chat_id: int | None = None,
) -> JSONDict:
    """A document with its name, MIME type and size."""
    extra = {"file_name": file_name, "mime_type": mime_type}
    return _file_update(fake, user, chat_id, "document", file_size, extra, caption)


def voice_update(
    fake: FakeTelegram, user: FakeUser, *, duration: int = 5, chat_id: int | None = None
) -> JSONDict:
    """A voice note of `duration` seconds."""
    size = 2_000 * max(duration, 1)
    return _file_update(fake, user, chat_id, "voice", size, {"duration": duration}, None)


def sticker_update(
    fake: FakeTelegram, user: FakeUser, *, emoji: str = "👍", chat_id: int | None = None
) -> JSONDict:
    """A regular (static) sticker."""
    return _file_update(fake, user, chat_id, "sticker", 21_000, {"emoji": emoji}, None)


def location_update(
    fake: FakeTelegram,
    user: FakeUser,
    latitude: float,
    longitude: float,
    *,
    chat_id: int | None = None,
) -> JSONDict:
    """A shared location."""
    location = {"latitude": latitude, "longitude": longitude}
    return _message_update(fake, user, chat_id, media_kind="location", media=location)


def contact_update(
    fake: FakeTelegram,
    user: FakeUser,
    *,
    phone_number: str = "+584120000000",
    first_name: str | None = None,
    last_name: str | None = None,
    user_id: int | None = None,
    chat_id: int | None = None,
) -> JSONDict:
    """A shared contact (by default the sender's own, with their user id)."""
    contact: JSONDict = {
        "phone_number": phone_number,
        "first_name": first_name if first_name is not None else user.first_name,
    }
    if last_name is not None:
        contact["last_name"] = last_name
    contact["user_id"] = user_id if user_id is not None else user.id
    return _message_update(fake, user, chat_id, media_kind="contact", media=contact)


def callback_update(
    fake: FakeTelegram, user: FakeUser, message_id: int, data: str, *, chat_id: int | None = None
) -> JSONDict:
    """A button press on a stored message, carrying that message as the fake holds it now."""
    target_chat = user.id if chat_id is None else chat_id
    message = fake.message(target_chat, message_id)
    if message is None or message.deleted:
        raise AssertionError(f"no visible message {message_id} in chat {target_chat} to press")
    fake.register_user(user)
    query: JSONDict = {
        "id": fake.next_callback_id(),
        "from": user.to_dict(),
        "message": fake.render(message),
        "chat_instance": str(abs(target_chat) * 7919 + 1),
        "data": data,
    }
    return {"update_id": fake.next_update_id(), "callback_query": query}


def _file_update(
    fake: FakeTelegram,
    user: FakeUser,
    chat_id: int | None,
    kind: str,
    size: int,
    extra: JSONDict,
    caption: str | None,
) -> JSONDict:
    stored = fake.new_file(
        kind, size=size, file_name=extra.get("file_name"), mime_type=extra.get("mime_type")
    )
    media = media_object(kind, stored.file_id, stored.file_unique_id, size, extra)
    return _message_update(
        fake,
        user,
        chat_id,
        caption=caption,
        media_kind=kind,
        media=media,
        file_id=stored.file_id,
    )


def _message_update(
    fake: FakeTelegram, user: FakeUser, chat_id: int | None, **fields: Any
) -> JSONDict:
    fake.register_user(user)
    message = fake.add_message(user.id if chat_id is None else chat_id, user.to_dict(), **fields)
    return {"update_id": fake.next_update_id(), "message": fake.render(message)}
