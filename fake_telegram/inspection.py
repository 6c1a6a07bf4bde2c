"""What tests read of a fake Telegram: the call log, the chats' messages, keyboards.

A mixin of `FakeTelegram` (fake_telegram/state.py), kept apart so the state's own
module holds only what Telegram decides.
"""

from __future__ import annotations

import threading
import time

from fake_telegram.records import Call, JSONDict, StoredMessage, normalize_chat_id
from fake_telegram.shapes import button_rows, plain_text, reply_keyboard_rows
from fake_telegram.store import ChatLog


class Inspection:
    """Reading helpers for tests, over the state `FakeTelegram` keeps."""

    lock: threading.RLock
    changed: threading.Condition
    _calls: list[Call]
    _calls_by_method: dict[str, list[Call]]
    _chats: dict[int, ChatLog]

    def calls(self, method: str | None = None, chat_id: int | str | None = None) -> list[Call]:
        """Recorded calls in order, optionally of one method (any case) and/or one chat."""
        chat = normalize_chat_id(chat_id)
        with self.lock:
            pool = self._calls if method is None else self._calls_by_method.get(method.lower(), [])
            if chat is None:
                return list(pool)
            return [call for call in pool if call.chat_id == chat]

    def call_count(self) -> int:
        """How many calls were recorded so far (a cursor for `calls_since`)."""
        with self.lock:
            return len(self._calls)

    def calls_since(self, index: int) -> list[Call]:
        """Calls recorded after the cursor `index` returned by `call_count`."""
        with self.lock:
            return self._calls[index:]

    def clear_calls(self) -> None:
        """Forget the call log (messages and chats stay)."""
        with self.lock:
            self._calls.clear()
            self._calls_by_method.clear()

    def wait_for_call(self, method: str, timeout: float = 10.0, *, since: int = 0) -> Call | None:
        """Block until a call of `method` was recorded (at or after cursor `since`)."""
        wanted = method.lower()
        deadline = time.monotonic() + timeout
        position = since
        with self.changed:
            while True:
                for call in self._calls[position:]:
                    if call.method.lower() == wanted:
                        return call
                position = max(position, len(self._calls))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.changed.wait(remaining)

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """One message by id (deleted ones too: check `.deleted`)."""
        with self.lock:
            log = self._chats.get(chat_id)
            return log.messages.get(message_id) if log is not None else None

    def messages(self, chat_id: int) -> list[StoredMessage]:
        """Every message in the chat, users' and bot's, deleted ones flagged."""
        with self.lock:
            log = self._chats.get(chat_id)
            return list(log.messages.values()) if log is not None else []

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages as they stand now: edits applied, deleted ones gone."""
        return [m for m in self.messages(chat_id) if m.from_bot and not m.deleted]

    def last_bot_message(self, chat_id: int) -> StoredMessage:
        """The newest visible bot message in the chat; fails the test if there is none."""
        with self.lock:
            log = self._chats.get(chat_id)
            if log is not None:
                for message in reversed(log.messages.values()):
                    if message.from_bot and not message.deleted:
                        return message
        raise AssertionError(f"the bot has no visible message in chat {chat_id}")

    def last_text(self, chat_id: int, *, plain: bool = False) -> str:
        """Text (or caption) of the newest bot message, as sent or with HTML stripped."""
        message = self.last_bot_message(chat_id)
        return plain_text(message.body, message.parse_mode) if plain else message.body

    def reply_keyboard(self, chat_id: int) -> list[list[JSONDict]] | None:
        """The reply keyboard the user sees now: the newest bot message that set or removed one
        decides (deleting that message does not hide the keyboard, as in Telegram)."""
        with self.lock:
            log = self._chats.get(chat_id)
            return reply_keyboard_rows(log.messages.values()) if log is not None else None

    def buttons(self, message: StoredMessage | JSONDict) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows of (label, callback_data or url) for a stored or JSON message."""
        markup = message.reply_markup if isinstance(message, StoredMessage) else None
        if isinstance(message, dict):
            markup = message.get("reply_markup")
        return button_rows(markup)
