"""What a site build reads, opened on the database the settings name: for the
`python -m bot site` command and for the site worker, which run apart from the bot
and so cannot borrow its stores (bot/site.py `sources_of` does, in the bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from domain.i18n import Catalogs
from services.settings import Settings
from services.site.build import Charts, SiteSources
from storage.announcements import Announcements
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.seal_upgrade import rows_are_bound
from storage.site import SiteStore


@asynccontextmanager
async def opened_sources(settings: Settings, charts: Charts) -> AsyncIterator[SiteSources]:
    """The sources on a connection of their own, closed afterwards."""
    if settings.encryption_key is None:
        raise ValueError("ENCRYPTION_KEY is required")
    zone = ZoneInfo(settings.timezone)
    cipher = FieldCipher(
        settings.encryption_key.get_secret_value(),
        tuple(key.get_secret_value() for key in settings.encryption_old_keys),
    )
    db = Database(settings.database_path)
    await db.connect()
    try:
        cipher.legacy = not await rows_are_bound(db)
        announcements = Announcements(db, cipher, Clock())
        yield SiteSources(
            figures=FiguresStore(db, announcements, zone),
            announcements=announcements,
            exports=CaseExports(db, cipher, zone),
            site=SiteStore(db),
            charts=charts,
            catalogs=Catalogs(settings.default_language, zone),
            methodology_folder=settings.database_path.parent,
            site_name=settings.site_name,
        )
    finally:
        await db.close()
