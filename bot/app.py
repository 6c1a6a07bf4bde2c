"""Wiring: one function turns `Settings` into a ready `Application`.

Handler order matters. PTB runs at most one handler per group for each update, in
ascending group order:
- group -10: guards that see every update first (flood control, message tracking);
- group 0:   the features, conversations before plain commands, and last the
             fallbacks that answer whatever no feature claimed.
"""

from __future__ import annotations

import logging
from typing import cast
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.commands import publish_command_menus
from bot.context import VigiaApp, VigiaContext
from bot.errors import on_error
from bot.i18n import Catalogs
from bot.services import BotData, Services
from bot.settings import Settings
from bot.update_processor import PerChatUpdateProcessor
from handlers import (
    broadcast,
    common,
    fallback,
    figures,
    intake,
    moderation,
    safety,
    status,
)
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.roles import Roles
from storage.users import UserPrefs

logger = logging.getLogger(__name__)

# A token is only needed to reach Telegram; the demo and tests talk to a fake API.
OFFLINE_TOKEN = "1:offline"  # noqa: S105 - not a secret, it reaches no server


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Everything handlers need; the database opens later, in `on_startup`."""
    if settings.encryption_key is None:
        raise ValueError("ENCRYPTION_KEY is required")
    clock = clock or Clock()
    cipher = FieldCipher(
        settings.encryption_key.get_secret_value(),
        tuple(key.get_secret_value() for key in settings.encryption_old_keys),
    )
    db = Database(settings.database_path)
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        cipher=cipher,
        catalogs=Catalogs(settings.default_language, ZoneInfo(settings.timezone)),
        prefs=UserPrefs(db, cipher, clock),
        roles=Roles(db, cipher, clock, settings.admin_ids),
    )


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
) -> VigiaApp:
    """The real bot. Tests, the demo and benchmarks pass a fake `request`."""
    services = build_services(settings, clock)
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(ContextTypes(context=VigiaContext, bot_data=BotData))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                # Nothing the bot sends can be forwarded or saved from a seized phone.
                protect_content=True,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=ZoneInfo(settings.timezone),
            )
        )
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_rate_limit, max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    # The builder's generics cannot follow `context_types`; this is the one place we say it.
    application = cast(VigiaApp, builder.build())
    application.bot_data.attach(services)
    register_handlers(application)
    application.add_error_handler(on_error)
    return application


def register_handlers(application: VigiaApp) -> None:
    """Features first, fallbacks last (see the module docstring)."""
    application.add_handlers(intake.build_handlers(), group=0)
    application.add_handlers(broadcast.build_handlers(), group=0)
    application.add_handlers(moderation.build_handlers(), group=0)
    application.add_handlers(status.build_handlers(), group=0)
    application.add_handlers(figures.build_handlers(), group=0)
    application.add_handlers(safety.build_handlers(), group=0)
    application.add_handlers(common.build_handlers(), group=0)
    application.add_handlers(fallback.build_handlers(), group=0)


async def on_startup(application: VigiaApp) -> None:
    services = application.bot_data.services
    await services.db.connect()
    await publish_command_menus(application)
    logger.info("bot_started schema=%d", await services.db.schema_version())


async def on_shutdown(application: VigiaApp) -> None:
    await application.bot_data.services.db.close()
    logger.info("bot_stopped")
