"""deleteMessage and deleteMessages, with Telegram's 48-hour rule.

A bot may delete a message in a private chat (its own or the user's) while it is at
most 48 hours old, by the message's date. Older, Telegram answers 400 "Bad Request:
message can't be deleted". deleteMessages takes 1 to 100 ids, skips ids that do not
exist (or are already deleted), and is refused as a whole, deleting nothing, when one
of the messages it names can no longer be deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_telegram.api_edit import find_message
from fake_telegram.records import ApiError, Call, StoredMessage

if TYPE_CHECKING:
    from fake_telegram.state import FakeTelegram

Method = Callable[["FakeTelegram", Call], Any]

DELETE_WINDOW_SECONDS = 48 * 3600
MAX_IDS = 100
CANT_DELETE = "Bad Request: message can't be deleted"
NOT_FOUND = "Bad Request: message to delete not found"


def too_old(fake: FakeTelegram, message: StoredMessage) -> bool:
    """Past the 48 hours in which a bot may delete a message, by the fake's clock."""
    return int(fake.clock()) - message.date > DELETE_WINDOW_SECONDS


def delete_message(fake: FakeTelegram, call: Call) -> bool:
    """deleteMessage: a message that is gone (or never was) cannot be deleted again."""
    message = find_message(fake, call.params, call.params.get("message_id"))
    if message is None or message.deleted:
        raise ApiError(400, NOT_FOUND)
    if too_old(fake, message):
        raise ApiError(400, CANT_DELETE)
    message.deleted = True
    return True


def delete_messages(fake: FakeTelegram, call: Call) -> bool:
    """deleteMessages: all of what exists, or nothing if one of them is too old."""
    ids = _message_ids(call.params.get("message_ids"))
    if call.params.get("chat_id") is None:
        raise ApiError(400, "Bad Request: chat_id is empty")
    found = [find_message(fake, call.params, message_id) for message_id in ids]
    present = [message for message in found if message is not None and not message.deleted]
    if any(too_old(fake, message) for message in present):
        raise ApiError(400, CANT_DELETE)
    for message in present:
        message.deleted = True
    return True


def _message_ids(value: object) -> list[int]:
    if value is None or value == []:
        raise ApiError(400, "Bad Request: message identifiers are not specified")
    if not isinstance(value, list):
        raise ApiError(400, "Bad Request: expected an Array of message identifiers")
    if len(value) > MAX_IDS:
        raise ApiError(400, "Bad Request: too many message identifiers specified")
    ids = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise ApiError(400, "Bad Request: invalid message identifier specified")
        try:
            number = int(item)
        except ValueError:
            raise ApiError(400, "Bad Request: invalid message identifier specified") from None
        if number <= 0:
            raise ApiError(400, "Bad Request: invalid message identifier specified")
        ids.append(number)
    return ids


METHODS: dict[str, Method] = {
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
}
