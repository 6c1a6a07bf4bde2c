"""A family member at the keyboard: types, taps, and reads what the bot answered."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from fake_telegram import Call, FakeUser, StoredMessage
from tests.harness import BotHarness

PACE = dt.timedelta(seconds=1)

# One complete detention report, answer by answer, in each language.
DETENTION_EN: list[tuple[str, str]] = [
    ("tap", "📝 A detention"),
    ("say", "Pedro José Pérez"),
    ("say", "V-12.345.678"),
    ("tap", "Man"),
    ("say", "34"),
    ("tap", "Civilian"),
    ("say", "yesterday"),
    ("tap", "More ▶️"),
    ("tap", "Miranda"),
    ("say", "Sucre"),
    ("tap", "SEBIN"),
    ("tap", "El Helicoide"),
    ("say", "They took him from his home at night."),
    ("tap", "✅ Done"),
    ("say", "brother"),
    ("tap", "✅ Yes"),
    ("tap", "✅ Yes"),
]
DETENTION_ES: list[tuple[str, str]] = [
    ("tap", "📝 Una detención"),
    ("say", "María Fernanda Gómez"),
    ("say", "E-81234567"),
    ("tap", "Mujer"),
    ("tap", "Menor de 18"),
    ("tap", "Civil"),
    ("say", "anteayer"),
    ("tap", "Carabobo"),
    ("tap", "⏭"),
    ("tap", "PNB"),
    ("tap", "Desconocido"),
    ("tap", "⏭"),
    ("tap", "✅ Listo"),
    ("say", "madre"),
    ("tap", "✅ Sí"),
    ("tap", "No"),
]

# Index in DETENTION_EN of the answer to each question (for `reach_question`).
NAME, CEDULA, SEX, AGE, AFFILIATION, DATE, ENTITY, TOWN = 1, 2, 3, 4, 5, 6, 7, 9
WHERE, STORY, FILES, RELATION = 11, 12, 13, 14


@dataclass
class Family:
    """One reporter talking to the bot through the fake Bot API."""

    harness: BotHarness
    user: FakeUser

    async def say(self, text: str) -> list[Call]:
        self.pace()
        return await self.harness.rig.send_text(self.user, text)

    def pace(self) -> None:
        """A person takes a moment per answer (and the flood gate counts per 10 s)."""
        self.harness.clock.advance(PACE)

    async def tap(self, label: str) -> list[Call]:
        """Tap the newest button whose label is `label` or contains it (e.g. "⏭")."""
        self.pace()
        return await self.harness.rig.press_button(
            self.user, lambda text: text == label or (_is_icon(label) and label in text)
        )

    async def act(self, steps: list[tuple[str, str]], *, interleave: bool = False) -> None:
        """Give each answer in turn; `interleave` lets other chats' updates run in between."""
        for kind, value in steps:
            if kind == "say":
                await self.say(value)
            else:
                await self.tap(value)
            if interleave:
                await asyncio.sleep(0)

    async def start_report(self, kind: str, command: str = "/report") -> None:
        """The command, then the button of the kind of report (e.g. "🔓 A release")."""
        await self.say(command)
        await self.tap(kind)

    async def start_detention(self, command: str = "/report") -> None:
        label = "📝 A detention" if self.user.language_code == "en" else "📝 Una detención"
        await self.start_report(label, command)

    @property
    def last(self) -> str:
        return self.harness.fake.last_text(self.user.id)

    @property
    def last_message(self) -> StoredMessage:
        return self.harness.fake.last_bot_message(self.user.id)

    def labels(self, message: StoredMessage | None = None) -> list[str]:
        target = message or self.last_message
        return [text for row in self.harness.fake.buttons(target) for text, _ in row]

    def texts(self) -> list[str]:
        return [message.body for message in self.harness.fake.bot_messages(self.user.id)]


def _is_icon(label: str) -> bool:
    return len(label) <= 2 and not any(char.isalnum() for char in label)


def family(harness: BotHarness, user: FakeUser | None = None) -> Family:
    return Family(harness, user or harness.people.family_en)


async def reach_question(
    reporter: Family,
    question: int,
    answers: list[tuple[str, str]] = DETENTION_EN,
    command: str = "/report",
) -> None:
    """A detention report given every answer before `answers[question]`: that one is asked now."""
    await reporter.say(command)
    await reporter.act(answers[:question])


async def reach_summary_en(reporter: Family) -> None:
    """A whole English detention report up to the summary (not confirmed)."""
    await reach_question(reporter, len(DETENTION_EN))


async def reach_summary_es(reporter: Family) -> None:
    """A whole Spanish detention report up to the summary (not confirmed)."""
    await reach_question(reporter, len(DETENTION_ES), DETENTION_ES, "/reportar")


async def reach_release_conditions(reporter: Family) -> None:
    """A release without a code (name given, cédula skipped, today) up to its conditions."""
    await reporter.start_report("🔓 A release")
    await reporter.tap("I don't have a code")
    await reporter.say("Carla Díaz")
    await reporter.tap("Skip ⏭")
    await reporter.say("today")


def sent_to(calls: list[Call], chat_id: int) -> list[str]:
    return [
        str(call.params.get("text"))
        for call in calls
        if call.method == "sendMessage" and call.chat_id == chat_id
    ]
