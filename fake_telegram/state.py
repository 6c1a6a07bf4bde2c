"""`FakeTelegram`: the chats, messages, files and call log of one fake Telegram.

Transports (in-process `FakeRequest`, loopback `FakeTelegramServer`) only decode requests and
hand them to `record` + `execute`; everything Telegram would decide is decided here, under one
lock, so the HTTP server's threads and the test's thread see the same consistent state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fake_telegram import api_edit, api_misc, api_send, deletion, profile
from fake_telegram.failures import Failures
from fake_telegram.inspection import Inspection
from fake_telegram.limits import RateLimits, TelegramLimits
from fake_telegram.records import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    ApiError,
    Call,
    FakeUser,
    JSONDict,
    Outcome,
    StoredFile,
    StoredMessage,
    normalize_chat_id,
)
from fake_telegram.shapes import (
    BOT_USER,
    group_chat,
    placeholder_chat,
    private_chat,
    render_message,
)
from fake_telegram.store import ChatLog, FileStore, UpdateQueue

Handler = Callable[["FakeTelegram", Call], Any]

_METHODS: dict[str, Handler] = {
    **api_send.METHODS,
    **api_edit.METHODS,
    **deletion.METHODS,
    **profile.METHODS,
    **api_misc.METHODS,
}
# Telegram method names are case-insensitive; calls are recorded under the canonical spelling.
_CANONICAL = {name.lower(): name for name in _METHODS}
_BLOCKABLE = frozenset(name for name in _METHODS if name.startswith(("send", "copy", "forward")))


class FakeTelegram(Inspection):
    """Everything a fake Telegram knows; tests read it through `Inspection`'s helpers."""

    bot_id = BOT_ID
    bot_username = BOT_USERNAME
    bot_first_name = BOT_FIRST_NAME

    def __init__(
        self, clock: Callable[[], float] = time.time, *, limits: TelegramLimits | None = None
    ) -> None:
        self.clock = clock
        # Telegram's flood limits (fake_telegram/limits.py): off unless asked for.
        self.rate_limits = RateLimits(limits) if limits is not None else None
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._calls: list[Call] = []
        self._calls_by_method: dict[str, list[Call]] = {}
        self._chats: dict[int, ChatLog] = {}
        self._usernames: dict[str, int] = {}
        self._blocked: dict[int, str] = {}
        self.failures = Failures()
        self.files = FileStore()
        self._callback_counter = 0
        self.answered_queries: set[str] = set()
        self.updates = UpdateQueue()
        self._update_listeners: list[Callable[[], object]] = []
        self.commands: dict[tuple[str, str | None], list[JSONDict]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        # (field, language or None) -> text of setMyName/Description/ShortDescription
        self.profile: dict[tuple[str, str | None], str] = {}
        self.webhook: JSONDict = {"url": ""}

    # --- chats and users -------------------------------------------------------------------

    def register_user(self, user: FakeUser | JSONDict) -> None:
        """Remember a user so their private chat carries their real first name."""
        data = user.to_dict() if isinstance(user, FakeUser) else user
        with self.lock:
            log = self._log(int(data["id"]))
            log.chat = private_chat(data)

    def register_chat(
        self,
        chat_id: int,
        *,
        title: str,
        chat_type: str = "supergroup",
        username: str | None = None,
    ) -> None:
        """Name a group (and optionally its @username, so sends to "@name" resolve)."""
        with self.lock:
            chat = group_chat(chat_id, title, chat_type)
            if username:
                chat["username"] = username
                self._usernames[username.lower().lstrip("@")] = chat_id
            self._log(chat_id).chat = chat

    def chat(self, chat_id: int) -> JSONDict:
        """The `Chat` object for an id (a placeholder name for chats never introduced)."""
        with self.lock:
            return self._log(chat_id).chat

    def resolve_chat(self, value: object) -> int:
        """A chat id from a request parameter; "@username" of a registered group works too."""
        chat_id = normalize_chat_id(value)
        if isinstance(chat_id, int):
            return chat_id
        if isinstance(chat_id, str) and chat_id.lower().lstrip("@") in self._usernames:
            return self._usernames[chat_id.lower().lstrip("@")]
        raise ApiError(400, "Bad Request: chat not found")

    def block_chat(self, chat_id: int, *, description: str | None = None) -> None:
        """Make sends to this chat fail with 403, as after the user blocks the bot."""
        if description is None:
            description = (
                "Forbidden: bot was blocked by the user"
                if chat_id > 0
                else "Forbidden: bot was kicked from the supergroup chat"
            )
        with self.lock:
            self._blocked[chat_id] = description

    def unblock_chat(self, chat_id: int) -> None:
        """Undo `block_chat`."""
        with self.lock:
            self._blocked.pop(chat_id, None)

    def _log(self, chat_id: int) -> ChatLog:
        log = self._chats.get(chat_id)
        if log is None:
            log = self._chats[chat_id] = ChatLog(placeholder_chat(chat_id))
        return log

    # --- failure injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
        network: bool = False,
        timed_out: bool = False,
    ) -> None:
        """Make the next `times` calls of `method` ("*" = any), optionally to one chat, fail.

        429 answers carry `parameters.retry_after` (default 1 s) so PTB raises RetryAfter;
        5xx answers become NetworkError. `network=True` drops the connection instead
        (NetworkError) and `timed_out=True` makes PTB raise TimedOut.
        """
        kind = "timeout" if timed_out else "network" if network else None
        with self.lock:
            self.failures.add(
                method,
                error_code=error_code,
                description=description,
                retry_after=retry_after,
                times=times,
                chat_id=chat_id,
                network=kind,
            )

    def limit(
        self, limits: TelegramLimits | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Enforce Telegram's flood limits from now on (fresh budgets), or None to stop.

        `clock` (monotonic seconds) lets a test move time by hand.
        """
        with self.lock:
            self.rate_limits = RateLimits(limits, clock) if limits is not None else None

    # --- the request path ------------------------------------------------------------------

    def record(self, method: str, params: JSONDict, files: dict[str, bytes] | None = None) -> Call:
        """Log a request as it arrives (before any long-poll wait), in canonical spelling."""
        name = _CANONICAL.get(method.lower(), method)
        call = Call(name, params, files if files is not None else {})
        with self.changed:
            self._calls.append(call)
            same = self._calls_by_method.get(name.lower())
            if same is None:
                same = self._calls_by_method[name.lower()] = []
            same.append(call)
            self.changed.notify_all()
        return call

    def execute(self, call: Call) -> Outcome:
        """Answer a recorded call like Telegram: injected failure, 429 over the flood limits
        (when on), 403 if blocked, or the result."""
        with self.lock:
            outcome = self.failures.take(call) if self.failures else None
            if outcome is not None:
                call.error = outcome.body
                return outcome
            flooded = self.rate_limits.check(call) if self.rate_limits is not None else None
            if flooded is not None:
                call.error = flooded.body()
                return Outcome(flooded.code, call.error)
            try:
                if self._blocked and call.method in _BLOCKABLE:
                    self._check_blocked(call.params.get("chat_id"))
                handler = _METHODS.get(call.method)
                result = handler(self, call) if handler is not None else True
            except ApiError as error:
                call.error = error.body()
                return Outcome(error.code, call.error)
            except (KeyError, TypeError, ValueError) as error:
                # Malformed parameters: Telegram answers 400 rather than dropping the request.
                call.error = ApiError(400, f"Bad Request: invalid parameters: {error!r}").body()
                return Outcome(400, call.error)
            call.result = result
            return Outcome(200, {"ok": True, "result": result})

    def handle(
        self, method: str, params: JSONDict, files: dict[str, bytes] | None = None
    ) -> Outcome:
        """`record` then `execute`: one whole request, for transports without long polls."""
        return self.execute(self.record(method, params, files))

    def _check_blocked(self, value: object) -> None:
        chat_id = normalize_chat_id(value)
        if isinstance(chat_id, int) and chat_id in self._blocked:
            raise ApiError(403, self._blocked[chat_id])

    # --- messages and files (used by the method implementations and update builders) -------

    def add_message(self, chat_id: int, from_user: JSONDict, **fields: Any) -> StoredMessage:
        """Store a new message with the chat's next id (users and the bot share the counter)."""
        with self.lock:
            log = self._log(chat_id)
            message_id = log.next_id
            log.next_id += 1
            message = StoredMessage(chat_id, message_id, from_user, int(self.clock()), **fields)
            log.messages[message_id] = message
            return message

    def add_bot_message(self, chat_id: int, **fields: Any) -> StoredMessage:
        """Store a message sent by the bot."""
        return self.add_message(chat_id, BOT_USER, **fields)

    def render(self, message: StoredMessage, *, with_reply: bool = True) -> JSONDict:
        """The message as Telegram would return it, including the one it replies to."""
        with self.lock:
            log = self._log(message.chat_id)
            reply: JSONDict | None = None
            if with_reply and message.reply_to_message_id is not None:
                target = log.messages.get(message.reply_to_message_id)
                if target is not None and not target.deleted:
                    reply = self.render(target, with_reply=False)
            return render_message(message, log.chat, reply)

    def new_file(
        self,
        kind: str,
        *,
        size: int,
        content: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_id: str | None = None,
    ) -> StoredFile:
        """A new file with a realistic, unique file id (unless given) and a download path."""
        with self.lock:
            return self.files.new(kind, size, content, file_name, mime_type, file_id)

    def file(self, file_id: str) -> StoredFile | None:
        """A known file by id (uploads and files users sent)."""
        with self.lock:
            return self.files.by_id.get(file_id)

    def file_at(self, path: str) -> StoredFile | None:
        """A known file by its download path (what getFile handed out)."""
        with self.lock:
            return self.files.by_path.get(path)

    def next_callback_id(self) -> str:
        """A unique callback query id, as a numeric string like Telegram's."""
        with self.lock:
            self._callback_counter += 1
            return f"{4_200_000_000_000_000 + self._callback_counter}"

    # --- updates ---------------------------------------------------------------------------

    def next_update_id(self) -> int:
        """Update ids increase across every update the fake ever builds."""
        with self.lock:
            return self.updates.next_id()

    def enqueue_update(self, update: JSONDict) -> None:
        """Queue an update for getUpdates (gives it an update_id if it has none)."""
        with self.changed:
            if "update_id" not in update:
                update["update_id"] = self.updates.next_id()
            self.updates.put(update)
            self.changed.notify_all()
            for listener in self._update_listeners:
                listener()

    @contextmanager
    def update_listener(self, listener: Callable[[], object]) -> Iterator[None]:
        """Call `listener` on every enqueued update while inside (async long polls use it)."""
        with self.lock:
            self._update_listeners.append(listener)
        try:
            yield
        finally:
            with self.lock:
                self._update_listeners.remove(listener)

    def wait_for_updates(
        self, offset: int | None, timeout: float, stop: Callable[[], bool] | None = None
    ) -> bool:
        """Block (server thread) until updates at or after `offset` are pending, `stop()` turns
        true (checked on `wake_waiters`), or the timeout passes."""
        with self.changed:
            return self.changed.wait_for(
                lambda: self.updates.has(offset) or (stop is not None and stop()), timeout
            )

    def has_updates(self, offset: int | None) -> bool:
        """Whether getUpdates with this offset would return something now."""
        with self.lock:
            return self.updates.has(offset)

    def wake_waiters(self) -> None:
        """Let blocked long polls and call waiters re-check (e.g. when a server stops)."""
        with self.changed:
            self.changed.notify_all()
