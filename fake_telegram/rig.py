"""`Rig`: plays the users. Builds each update, feeds it to the real Application, and returns
the Bot API calls the bot made while handling it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application

from fake_telegram import updates
from fake_telegram.records import Call, FakeUser, JSONDict
from fake_telegram.state import FakeTelegram

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class Rig:
    """Drives `application.process_update` with realistic updates from `FakeUser`s."""

    def __init__(self, application: AnyApplication, fake: FakeTelegram) -> None:
        self.application = application
        self.fake = fake

    async def feed(self, data: JSONDict) -> list[Call]:
        """Process one raw update dict; return the calls made meanwhile (in order)."""
        start = self.fake.call_count()
        update = Update.de_json(data, self.application.bot)
        await self.application.process_update(update)
        return self.fake.calls_since(start)

    async def send_text(
        self, user: FakeUser, text: str, *, chat_id: int | None = None
    ) -> list[Call]:
        """The user types `text` (commands included) in private, or in group `chat_id`."""
        return await self.feed(updates.text_update(self.fake, user, text, chat_id=chat_id))

    async def send_photo(
        self, user: FakeUser, *, caption: str | None = None, chat_id: int | None = None
    ) -> list[Call]:
        """The user sends a photo."""
        return await self.feed(
            updates.photo_update(self.fake, user, caption=caption, chat_id=chat_id)
        )

    async def send_document(
        self,
        user: FakeUser,
        *,
        file_name: str = "doc.pdf",
        mime_type: str = "application/pdf",
        file_size: int = 24_576,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> list[Call]:
        """The user sends a file."""
        data = updates.document_update(
            self.fake,
            user,
            file_name=file_name,
            mime_type=mime_type,
            file_size=file_size,
            caption=caption,
            chat_id=chat_id,
        )
        return await self.feed(data)

    async def send_voice(
        self, user: FakeUser, *, duration: int = 5, chat_id: int | None = None
    ) -> list[Call]:
        """The user records a voice note."""
        return await self.feed(
            updates.voice_update(self.fake, user, duration=duration, chat_id=chat_id)
        )

    async def send_sticker(
        self, user: FakeUser, *, emoji: str = "👍", chat_id: int | None = None
    ) -> list[Call]:
        """The user sends a sticker."""
        return await self.feed(
            updates.sticker_update(self.fake, user, emoji=emoji, chat_id=chat_id)
        )

    async def send_location(
        self, user: FakeUser, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> list[Call]:
        """The user shares a location."""
        return await self.feed(
            updates.location_update(self.fake, user, latitude, longitude, chat_id=chat_id)
        )

    async def send_contact(
        self,
        user: FakeUser,
        *,
        phone_number: str = "+584120000000",
        first_name: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
        chat_id: int | None = None,
    ) -> list[Call]:
        """The user shares a contact (their own unless told otherwise)."""
        data = updates.contact_update(
            self.fake,
            user,
            phone_number=phone_number,
            first_name=first_name,
            last_name=last_name,
            user_id=user_id,
            chat_id=chat_id,
        )
        return await self.feed(data)

    async def press(
        self, user: FakeUser, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> list[Call]:
        """The user taps a button carrying `callback_data` under bot message `message_id`."""
        data = updates.callback_update(self.fake, user, message_id, callback_data, chat_id=chat_id)
        return await self.feed(data)

    async def press_button(
        self,
        user: FakeUser,
        label: str | Callable[[str], bool],
        *,
        chat_id: int | None = None,
    ) -> list[Call]:
        """Tap the button with this label (or whose label satisfies the predicate).

        Inline buttons come first, newest bot message first, as a person scrolling up would
        find them; then the reply keyboard on screen, whose buttons send their text (or the
        user's contact / a location). Fails listing every button on offer.
        """
        target_chat = user.id if chat_id is None else chat_id
        matches: Callable[[str], bool] = label if callable(label) else (lambda t: t == label)
        offered: list[str] = []
        for message in reversed(self.fake.bot_messages(target_chat)):
            for row in (message.reply_markup or {}).get("inline_keyboard", ()):
                for button in row:
                    text = str(button.get("text", ""))
                    offered.append(f"{text!r} (message {message.message_id})")
                    if not matches(text):
                        continue
                    data = button.get("callback_data")
                    if not isinstance(data, str):
                        raise AssertionError(f"button {text!r} is not a callback button: {button}")
                    return await self.press(user, message.message_id, data, chat_id=chat_id)
        for row in self.fake.reply_keyboard(target_chat) or []:
            for button in row:
                text = str(button.get("text", ""))
                offered.append(f"{text!r} (reply keyboard)")
                if matches(text):
                    return await self._tap_reply_button(user, button, chat_id)
        raise AssertionError(
            f"no button {label!r} in chat {target_chat}; buttons on offer: "
            + (", ".join(offered) or "none")
        )

    async def _tap_reply_button(
        self, user: FakeUser, button: JSONDict, chat_id: int | None
    ) -> list[Call]:
        if button.get("request_contact"):
            return await self.send_contact(user, chat_id=chat_id)
        if button.get("request_location"):
            return await self.send_location(user, 10.4806, -66.9036, chat_id=chat_id)
        return await self.send_text(user, str(button.get("text", "")), chat_id=chat_id)
