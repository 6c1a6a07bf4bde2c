"""Methods that do not create messages: identity, commands, chats, files, webhook, updates."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_telegram.records import ApiError, Call, JSONDict
from fake_telegram.shapes import GET_ME, full_chat

if TYPE_CHECKING:
    from fake_telegram.state import FakeTelegram

Method = Callable[["FakeTelegram", Call], Any]

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def get_me(fake: FakeTelegram, call: Call) -> JSONDict:
    """getMe: the fake bot's identity (PTB calls it on initialize)."""
    return dict(GET_ME)


def answer_callback_query(fake: FakeTelegram, call: Call) -> bool:
    """answerCallbackQuery: a query can be answered once; answering twice is an error."""
    query_id = call.params.get("callback_query_id")
    if not query_id:
        raise ApiError(400, "Bad Request: query_id is empty")
    if str(query_id) in fake.answered_queries:
        raise ApiError(400, QUERY_TOO_OLD)
    fake.answered_queries.add(str(query_id))
    return True


# The actions the Bot API knows (https://core.telegram.org/bots/api#sendchataction).
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip


def send_chat_action(fake: FakeTelegram, call: Call) -> bool:
    """sendChatAction: checks the chat (blocked chats already failed with 403) and that
    the action is one Telegram knows."""
    fake.resolve_chat(call.params.get("chat_id"))
    if call.params.get("action") not in CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")
    return True


def set_my_commands(fake: FakeTelegram, call: Call) -> bool:
    """setMyCommands: one list per (scope, language), as Telegram keeps them."""
    commands = call.params.get("commands")
    if not isinstance(commands, list):
        raise ApiError(400, "Bad Request: commands must be an array")
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
    fake.commands[_command_key(call.params)] = commands
    return True


def get_my_commands(fake: FakeTelegram, call: Call) -> list[JSONDict]:
    """getMyCommands: the list stored for that scope and language, or none."""
    return list(fake.commands.get(_command_key(call.params), []))


def delete_my_commands(fake: FakeTelegram, call: Call) -> bool:
    """deleteMyCommands: forget the list for that scope and language."""
    fake.commands.pop(_command_key(call.params), None)
    return True


def set_chat_menu_button(fake: FakeTelegram, call: Call) -> bool:
    """setChatMenuButton: per chat, or the default one without chat_id."""
    button = call.params.get("menu_button") or {"type": "default"}
    chat_id = call.params.get("chat_id")
    fake.menu_buttons[fake.resolve_chat(chat_id) if chat_id is not None else None] = button
    return True


def get_chat_menu_button(fake: FakeTelegram, call: Call) -> JSONDict:
    """getChatMenuButton: what was set, falling back to the default button."""
    chat_id = call.params.get("chat_id")
    key = fake.resolve_chat(chat_id) if chat_id is not None else None
    return dict(fake.menu_buttons.get(key) or fake.menu_buttons.get(None) or {"type": "commands"})


def get_chat(fake: FakeTelegram, call: Call) -> JSONDict:
    """getChat: a ChatFullInfo with the fields PTB requires."""
    return full_chat(fake.chat(fake.resolve_chat(call.params.get("chat_id"))))


def get_file(fake: FakeTelegram, call: Call) -> JSONDict:
    """getFile: a relative file_path that the transports serve under /file/bot<token>/."""
    stored = fake.file(str(call.params.get("file_id", "")))
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.path,
    }


def set_webhook(fake: FakeTelegram, call: Call) -> bool:
    """setWebhook: remembered; getUpdates then conflicts, as in Telegram."""
    params = call.params
    fake.webhook = {"url": str(params.get("url") or "")}
    if params.get("allowed_updates") is not None:
        fake.webhook["allowed_updates"] = params["allowed_updates"]
    if params.get("drop_pending_updates"):
        fake.updates.clear()
    return True


def delete_webhook(fake: FakeTelegram, call: Call) -> bool:
    """deleteWebhook: back to getUpdates, optionally dropping pending updates."""
    fake.webhook = {"url": ""}
    if call.params.get("drop_pending_updates"):
        fake.updates.clear()
    return True


def get_webhook_info(fake: FakeTelegram, call: Call) -> JSONDict:
    """getWebhookInfo: the url (empty when polling) and the pending update count."""
    return {
        **fake.webhook,
        "has_custom_certificate": False,
        "pending_update_count": len(fake.updates),
    }


def get_updates(fake: FakeTelegram, call: Call) -> list[JSONDict]:
    """getUpdates: offset confirms older updates; the transport already did the long-poll."""
    if fake.webhook.get("url"):
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = call.params.get("offset")
    limit = int(call.params.get("limit") or 100)
    return fake.updates.take(int(offset) if offset is not None else None, max(1, min(limit, 100)))


def _true(fake: FakeTelegram, call: Call) -> bool:
    """A method whose only answer is True (close, logOut)."""
    return True


def _command_key(params: JSONDict) -> tuple[str, str | None]:
    scope = params.get("scope") or {"type": "default"}
    language = params.get("language_code") or None
    return json.dumps(scope, sort_keys=True), language


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
    "getFile": get_file,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "getUpdates": get_updates,
    "close": _true,
    "logOut": _true,
}
