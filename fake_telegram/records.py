"""Plain records the fake Bot API keeps, so tests can read what the bot did without PTB objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

BOT_ID = 100000001
BOT_USERNAME = "vigia_test_bot"
BOT_FIRST_NAME = "Vigía"


@dataclass(frozen=True, slots=True)
class FakeUser:
    """A Telegram user who talks to the bot; in a private chat, chat id = user id."""

    id: int
    first_name: str
    language_code: str | None = None
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    def to_dict(self) -> JSONDict:
        """The Bot API `User` object, with optional fields left out as Telegram does."""
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data


@dataclass(slots=True)
class Call:
    """One Bot API request, with parameters as plain python and uploads kept as bytes."""

    method: str
    params: JSONDict
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    error: JSONDict | None = None

    @property
    def ok(self) -> bool:
        """Whether the fake answered successfully (failed attempts are recorded too)."""
        return self.error is None

    @property
    def chat_id(self) -> int | str | None:
        """The target chat as an int where possible, so filters need not care about types."""
        return normalize_chat_id(self.params.get("chat_id"))


@dataclass(slots=True)
class StoredMessage:
    """A message as it currently stands in a chat (edits applied, deletion flagged)."""

    chat_id: int
    message_id: int
    from_user: JSONDict
    date: int
    text: str | None = None
    caption: str | None = None
    entities: list[JSONDict] | None = None
    reply_markup: JSONDict | None = None
    media_kind: str | None = None
    media: Any = None
    file_id: str | None = None
    protect_content: bool = False
    parse_mode: str | None = None
    deleted: bool = False
    edit_count: int = 0
    edit_date: int | None = None
    reply_to_message_id: int | None = None
    media_group_id: str | None = None
    forward_origin: JSONDict | None = None

    @property
    def from_bot(self) -> bool:
        """True for messages the bot sent (as opposed to the users' own)."""
        return self.from_user.get("id") == BOT_ID

    @property
    def body(self) -> str:
        """Text or caption as sent (HTML included), or "" for bare media."""
        if self.text is not None:
            return self.text
        return self.caption or ""


@dataclass(slots=True)
class StoredFile:
    """A file the fake knows by id; content is generated lazily for user uploads."""

    file_id: str
    file_unique_id: str
    kind: str
    size: int
    path: str
    content: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None

    def data(self) -> bytes:
        """The bytes a download returns; user uploads get deterministic filler of `size`."""
        if self.content is not None:
            return self.content
        seed = f"fake {self.kind} {self.file_unique_id}\n".encode()
        repeat = self.size // len(seed) + 1
        return (seed * repeat)[: self.size]


@dataclass(slots=True)
class FailureRule:
    """An injected failure, consumed by the next matching calls."""

    method: str
    error_code: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | str | None
    network: str | None

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        """Method "*" matches any call; a chat filter only matches calls to that chat."""
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass(slots=True)
class Outcome:
    """What the transport must answer: HTTP status and JSON body, or a network failure."""

    status: int
    body: JSONDict
    network: str | None = None


class ApiError(Exception):
    """Raised inside a method implementation to answer with a Bot API error."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The error JSON exactly as Telegram shapes it."""
        data: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            data["parameters"] = self.parameters
        return data


def normalize_chat_id(value: object) -> int | str | None:
    """Chat ids arrive as int (PTB in process) or str (HTTP forms); compare them as ints."""
    if value is None or isinstance(value, int):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return text
