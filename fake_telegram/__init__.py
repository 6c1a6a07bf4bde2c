"""An in-process fake Telegram Bot API for the tests, the benchmarks and the terminal demo.

A development tool, not part of the bot: it imports nothing of Vigía.

`FakeTelegram` holds the state, `FakeRequest` plugs it into PTB in process,
`FakeTelegramServer` serves it over loopback HTTP, `Rig` plays the users.
"""

from fake_telegram.limits import RateLimits, TelegramLimits
from fake_telegram.member_updates import chat_member_update
from fake_telegram.records import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    ApiError,
    Call,
    FakeUser,
    JSONDict,
    StoredFile,
    StoredMessage,
)
from fake_telegram.request import FakeRequest
from fake_telegram.rig import Rig
from fake_telegram.server import FakeTelegramServer
from fake_telegram.state import FakeTelegram
from fake_telegram.updates import (
    callback_update,
    contact_update,
    document_update,
    location_update,
    photo_update,
    sticker_update,
    text_update,
    voice_update,
)

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_USERNAME",
    "ApiError",
    "Call",
    "FakeRequest",
    "FakeTelegram",
    "FakeTelegramServer",
    "FakeUser",
    "JSONDict",
    "RateLimits",
    "Rig",
    "StoredFile",
    "StoredMessage",
    "TelegramLimits",
    "callback_update",
    "chat_member_update",
    "contact_update",
    "document_update",
    "location_update",
    "photo_update",
    "sticker_update",
    "text_update",
    "voice_update",
]
