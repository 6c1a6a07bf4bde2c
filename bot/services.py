"""The services every handler needs, opened at startup and shared through `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Catalogs
from bot.settings import Settings
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.roles import Roles
from storage.users import UserPrefs


@dataclass(slots=True)
class Services:
    """Built once per Application by `bot.app.build_services`; never a module global."""

    settings: Settings
    clock: Clock
    db: Database
    cipher: FieldCipher
    catalogs: Catalogs
    prefs: UserPrefs
    roles: Roles


class BotData:
    """`bot_data` of the Application: PTB instantiates it empty, `build_application` fills it."""

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are not attached to this Application")
        return self._services

    def attach(self, services: Services) -> None:
        self._services = services
