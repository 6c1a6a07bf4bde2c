"""An in-process fake Telegram Bot API for the tests, the benchmarks and the terminal demo.

`FakeTelegram` holds the state, `FakeRequest` plugs it into PTB in process,
`FakeTelegramServer` serves it over loopback HTTP, `Rig` plays the users.
"""

from bot.fakeapi.records import (
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
from bot.fakeapi.request import FakeRequest
from bot.fakeapi.rig import Rig
from bot.fakeapi.server import FakeTelegramServer
from bot.fakeapi.state import FakeTelegram
from bot.fakeapi.updates import (
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
    "Rig",
    "StoredFile",
    "StoredMessage",
    "callback_update",
    "contact_update",
    "document_update",
    "location_update",
    "photo_update",
    "sticker_update",
    "text_update",
    "voice_update",
]
