"""A demo session: the real Application, the fake Bot API, several people, one terminal.

Input goes in through the fake API's `Rig` exactly as Telegram would deliver it, and
what the bot sends comes back out of the fake's call log, routed to the chat of the
person it was sent to. After each input the session lets the outbox worker deliver
what is due (notifications, broadcasts), so a whole loop can be walked alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from bot.app import build_application
from bot.lifecycle import running
from demo.cast import Cast, Person
from demo.chat import BOT, Chat, InlineButton, toast_lines
from demo.commands import DemoCommand, parse_input
from demo.plaintext import html_to_text
from fake_telegram import Call, FakeRequest, FakeTelegram, Rig
from handlers.context import VigiaApp
from services.settings import Settings
from storage.clock import Clock, SettableClock

RECEIPT = re.compile(r"\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b")
SETTLE_PAUSE = 0.02
SETTLE_ROUNDS = 100
SAMPLE_LOCATION = (10.5061, -66.9146)  # Plaza Bolívar, Caracas
_CALLBACK_ANSWER = "answerCallbackQuery"


@dataclass(slots=True)
class Inbox:
    """What arrived for someone who is not typing now, shown when they take over."""

    lines: list[str] = field(default_factory=list)
    count: int = 0


class DemoSession:
    """Owns the running bot and the people's chats; `handle` takes one line of input."""

    def __init__(
        self,
        settings: Settings,
        *,
        cast: Cast | None = None,
        styled: bool = False,
        clock: Clock | None = None,
        pace: dt.timedelta | None = None,
    ) -> None:
        self.settings = settings
        self.pace = pace
        self.styled = styled
        self.fake = FakeTelegram()
        self.cast = cast or Cast.default()
        self.current: Person = self.cast.people["family"]
        self.finished = False
        self._clock = clock
        self._chats: dict[int, Chat] = {}
        self._inboxes: dict[str, Inbox] = {}
        self._receipts: dict[str, str] = {}
        self._cursor = 0
        self._app: VigiaApp | None = None
        self._rig: Rig | None = None
        self._running: AbstractAsyncContextManager[VigiaApp] | None = None

    # Lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        app = build_application(
            self.settings,
            request=FakeRequest(self.fake),
            updates_request=FakeRequest(self.fake),
            clock=self._clock,
        )
        self._running = running(app)
        await self._running.__aenter__()
        self._app = app
        self._rig = Rig(app, self.fake)
        for person in self.cast.people.values():
            self.fake.register_user(person.user)
        # Start-up calls (command menus) are nobody's chat.
        self._cursor = self.fake.call_count()

    async def stop(self) -> None:
        if self._running is not None:
            running_app, self._running = self._running, None
            await running_app.__aexit__(None, None, None)
        self._app = None
        self._rig = None

    async def __aenter__(self) -> DemoSession:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def app(self) -> VigiaApp:
        if self._app is None:
            raise RuntimeError("the demo is not running")
        return self._app

    @property
    def rig(self) -> Rig:
        if self._rig is None:
            raise RuntimeError("the demo is not running")
        return self._rig

    # Reading the state ------------------------------------------------------------

    def chat(self, person: Person) -> Chat:
        chat = self._chats.get(person.user.id)
        if chat is None:
            chat = self._chats[person.user.id] = Chat(person.user.id, styled=self.styled)
        return chat

    def unread(self) -> dict[str, int]:
        """New messages per person other than the one typing, in cast order."""
        return {
            name: inbox.count
            for name, inbox in self._inboxes.items()
            if inbox.count and name != self.current.name
        }

    def prompt(self) -> str:
        """`family › `, or `family · moderator (2 new) › ` when others have news."""
        others = ", ".join(f"{name} ({count} new)" for name, count in self.unread().items())
        return f"{self.current.name} · {others} › " if others else f"{self.current.name} › "

    def receipt(self, person: Person | None = None) -> str | None:
        """The last receipt code the bot showed this person (for `{receipt}` in scripts)."""
        return self._receipts.get((person or self.current).name)

    # Input ------------------------------------------------------------------------

    async def handle(self, line: str) -> list[str]:
        """Act on one line of input; the lines the current person's screen gains."""
        command = parse_input(line.strip())
        if command is None:
            return []
        if self.pace is not None and isinstance(self._clock, SettableClock):
            # A scripted person types at a human pace, not twenty messages a second.
            self._clock.advance(self.pace)
        if command.name == "quit":
            self.finished = True
            return []
        if command.name == "as":
            return self._switch(command)
        if command.name == "help":
            return DemoCommand.help_lines()
        lines: list[str] = []
        if command.name == "press":
            pressed = self._button(command)
            if pressed is None:
                await self.rig.send_text(self.current.user, self.expand(command.raw))
            else:
                message_id, button = pressed
                lines.append(f"  ▸ pressed «{button.label}»")
                if button.callback_data is None:
                    lines.append(f"  (a link: {button.url})")
                    return lines
                await self.rig.press(self.current.user, message_id, button.callback_data)
        else:
            await self._send(command)
        await self.settle()
        return lines + self.collect()

    async def _send(self, command: DemoCommand) -> None:
        user = self.current.user
        rig = self.rig
        if command.name == "photo":
            await rig.send_photo(user, caption=command.argument or None)
        elif command.name == "voice":
            await rig.send_voice(user)
        elif command.name == "document":
            await rig.send_document(user, file_name=command.argument or "acta.pdf")
        elif command.name == "location":
            await rig.send_location(user, *SAMPLE_LOCATION)
        elif command.name == "sticker":
            await rig.send_sticker(user)
        else:
            await rig.send_text(user, self.expand(command.argument))

    def expand(self, text: str) -> str:
        """`{receipt}`: the current person's last receipt code, once they were given one."""
        code = self.receipt()
        return text.replace("{receipt}", code) if code is not None else text

    def _button(self, command: DemoCommand) -> tuple[int, InlineButton] | None:
        chat = self.chat(self.current)
        if command.message_id is None:
            message = chat.latest_with_buttons()
        else:
            message = chat.message(command.message_id)
        if message is None:
            return None
        buttons = message.flat_buttons
        if not 1 <= command.number <= len(buttons):
            return None
        return message.message_id, buttons[command.number - 1]

    def _switch(self, command: DemoCommand) -> list[str]:
        words = command.argument.split()
        if not words:
            return ["  who? /as family | family2 | moderator | subscriber | any new name"]
        name = words[0].lower()
        person = self.cast.get(name)
        if person is None:
            person = self.cast.add(name, name.title(), words[1] if len(words) > 1 else "es")
            self.fake.register_user(person.user)
        elif len(words) > 1:
            person.speaking(words[1])
        self.current = person
        role = f", {person.role}" if person.role else ""
        lines = [f"── {person.name} ({person.language}{role}) ──"]
        inbox = self._inboxes.pop(person.name, None)
        if inbox is not None:
            lines += inbox.lines
        return lines

    # Output -----------------------------------------------------------------------

    async def settle(self) -> None:
        """Deliver what is due and wait until the bot has nothing more to say for now."""
        worker = self.app.bot_data.services.outbox_worker
        for _ in range(SETTLE_ROUNDS):
            before = self.fake.call_count()
            await worker.drain()
            await asyncio.sleep(SETTLE_PAUSE)
            if self.fake.call_count() == before:
                return

    def collect(self) -> list[str]:
        """Route new Bot API calls to the people's chats; the current person's lines."""
        calls = self.fake.calls_since(self._cursor)
        self._cursor += len(calls)
        mine: list[str] = []
        for call in calls:
            if not call.ok:
                continue
            person = self.current if call.method == _CALLBACK_ANSWER else None
            if person is None and isinstance(call.chat_id, int):
                person = self.cast.by_chat(call.chat_id)
            if person is None:
                continue
            if call.method == _CALLBACK_ANSWER:
                lines = toast_lines(call.params)
            else:
                lines = self.chat(person).apply(call.method, call.params, call.result)
                self._note_receipt(person, call)
            if not lines:
                continue
            if person is self.current:
                mine += lines
            else:
                inbox = self._inboxes.setdefault(person.name, Inbox())
                inbox.lines += lines
                inbox.count += sum(1 for line in lines if line.startswith(BOT))
        return mine

    def _note_receipt(self, person: Person, call: Call) -> None:
        text = call.params.get("text") or call.params.get("caption")
        if isinstance(text, str):
            found = RECEIPT.findall(html_to_text(text))
            if found:
                self._receipts[person.name] = found[-1]
