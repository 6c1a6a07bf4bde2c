"""The test harness: the real Application, a real SQLite file, a fake Bot API.

Nothing of Vigía's own is mocked: updates go in through `Application.process_update`
and every request the bot makes lands in `FakeTelegram`, where tests read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.lifecycle import running
from fake_telegram import FakeRequest, FakeTelegram, FakeUser, Rig, StoredMessage
from handlers.context import VigiaApp
from services.container import Services
from services.settings import Settings
from storage.clock import SettableClock

# A generated key (python -m bot genkey), as settings require.
TEST_KEY = "8YlvPDKHB4tuW-nG63XRbQYDGjm1uxpB5G8L7vRB4k8"
NEW_KEY = "qHwu8fXtbHsPMpKUDt8a1Gu5uxi1tDOqMknj05--U3I"
OTHER_KEY = "tT6jOtGWm3M1NiFrQXrX6EqM7eG2fi6Ji2kqWQo87Sg"
PROCESS_KEY = "hA2Ka72tYNMRPONtBz5JIGyw611jEpkh1AXzcfgdexQ"
ADMIN_ID = 900001
MODERATION_CHAT_ID = -100555

# Monday noon in Caracas: far from midnight, so "today" and "yesterday" are stable.
START_TIME = dt.datetime(2026, 1, 12, 16, 0, tzinfo=dt.UTC)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_path": tmp_path / "vigia.db",
        "encryption_key": TEST_KEY,
        "admin_ids": (ADMIN_ID,),
        "default_language": "es",
        "telegram_rate_limit": 0,
        "telegram_base_url": "http://127.0.0.1:9/bot",
        "telegram_base_file_url": "http://127.0.0.1:9/file/bot",
    }
    values.update(overrides)
    return Settings.model_validate(values)


@dataclass
class People:
    """The cast of every test; private chat id = user id, as in Telegram."""

    family_es: FakeUser = field(
        default_factory=lambda: FakeUser(id=2001, first_name="Ana", language_code="es")
    )
    family_en: FakeUser = field(
        default_factory=lambda: FakeUser(id=2002, first_name="John", language_code="en")
    )
    family_other: FakeUser = field(
        default_factory=lambda: FakeUser(id=2003, first_name="Zé", language_code="pt-br")
    )
    admin: FakeUser = field(
        default_factory=lambda: FakeUser(id=ADMIN_ID, first_name="Admin", language_code="es")
    )
    moderator: FakeUser = field(
        default_factory=lambda: FakeUser(id=900002, first_name="Mod", language_code="es")
    )
    moderator2: FakeUser = field(
        default_factory=lambda: FakeUser(id=900003, first_name="Mod2", language_code="en")
    )
    broadcaster: FakeUser = field(
        default_factory=lambda: FakeUser(id=900004, first_name="Cast", language_code="es")
    )
    stranger: FakeUser = field(
        default_factory=lambda: FakeUser(id=2999, first_name="X", language_code="es")
    )


class BotHarness:
    """Starts, stops and restarts the real bot on one database and one fake API."""

    def __init__(
        self,
        settings: Settings,
        clock: SettableClock | None = None,
        *,
        request: Callable[[FakeTelegram], FakeRequest] = FakeRequest,
    ) -> None:
        """`request` makes the bot's Bot API transport on the fake (a test may slow it)."""
        self.settings = settings
        self.clock = clock or SettableClock(START_TIME)
        self._request = request
        # Telegram's clock is the bot's: message dates (and the 48 hours in which a bot
        # may delete a message) move when a test moves time.
        self.fake = FakeTelegram(clock=lambda: self.clock.now().timestamp())
        self.people = People()
        self._app: VigiaApp | None = None
        self._rig: Rig | None = None
        self._running: Any = None

    @property
    def app(self) -> VigiaApp:
        assert self._app is not None, "bot is not running"
        return self._app

    @property
    def rig(self) -> Rig:
        assert self._rig is not None, "bot is not running"
        return self._rig

    @property
    def services(self) -> Services:
        return self.app.bot_data.services

    async def start(self) -> None:
        app = build_application(
            self.settings,
            request=self._request(self.fake),
            updates_request=FakeRequest(self.fake),
            clock=self.clock,
        )
        self._running = running(app)
        await self._running.__aenter__()
        self._app = app
        self._rig = Rig(app, self.fake)

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.__aexit__(None, None, None)
        self._running = None
        self._app = None
        self._rig = None

    async def restart(self) -> None:
        """A new Application on the same database, as after a crash and redeploy."""
        await self.stop()
        await self.start()

    async def run_jobs(self) -> None:
        """Run every scheduled job once now, in order (daily jobs, outbox workers)."""
        job_queue = self.app.job_queue
        assert job_queue is not None
        for job in job_queue.jobs():
            await job.run(self.app)

    def button_data(self, message: StoredMessage, label: str) -> str:
        """The callback data of `message`'s button labelled `label`, to press it again later."""
        data = next(
            data for row in self.fake.buttons(message) for text, data in row if text == label
        )
        assert data is not None
        return data
