"""Wiring: one function turns `Settings` into a ready `Application`.

Handler order matters. PTB runs at most one handler per group for each update, in
ascending group order:
- group -10: guards that see every update first (flood control, message tracking);
- group -5:  the moderation desk's guard: nothing runs in groups other than the
             moderation group, and a moderator's reply to a desk prompt is read;
- group -2:  a PIN or receipt code typed to open an owner view, or a PIN being set
             (`handlers.owner`): read, deleted from the chat, and stopped here;
- group -1:  a chat's answer to a question the bot asked it (a receipt code, a
             follow-up answer), read before any feature claims the text;
- group 0:   the features, conversations before plain commands, and last the
             fallbacks that answer whatever no feature claimed.
"""

from __future__ import annotations

import logging
from typing import cast
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.errors import on_error
from bot.health import start_heartbeat
from bot.persistence import SQLitePersistence
from bot.privacy_logs import install_log_redaction
from bot.rate_limiter import TrackingRateLimiter
from bot.site import finish_site, schedule_site
from bot.update_processor import PerChatUpdateProcessor
from domain.i18n import Catalogs
from handlers import (
    broadcast,
    common,
    fallback,
    figures,
    intake,
    moderation,
    owner,
    safety,
    status,
)
from handlers.commands import publish_command_menus
from handlers.context import VigiaApp, VigiaContext
from handlers.profile import publish_profile
from handlers.retention import schedule_retention
from services.chart import ChartRenderer
from services.container import BotData, Services
from services.duplicates import DuplicateIndex
from services.expiry import ChatExpiry
from services.flood import FloodGate
from services.outbox_worker import OutboxWorker
from services.owner_gate import OwnerGate
from services.send_budget import Budgets, SendBudget
from services.settings import Settings
from services.tracking import MessageTracker
from storage.announcements import Announcements
from storage.audit import AuditLog
from storage.blocks import Blocks
from storage.broadcasts import Broadcasts
from storage.case_import import CaseImport
from storage.cases import Cases
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.exports import CaseExports
from storage.figures import FiguresStore
from storage.followups import FollowUps
from storage.group_members import GroupMembers
from storage.outbox import Outbox
from storage.privacy import Privacy
from storage.prompts import ChatPrompts
from storage.reports import Reports
from storage.review import Review
from storage.roles import Roles
from storage.seal_upgrade import bind_rows
from storage.secrets import ChatSecrets
from storage.subscribers import Subscribers
from storage.throttle import GuessThrottle
from storage.tracked_chats import TrackedChats
from storage.tracking import TrackingStore
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
    started = clock

    async def bind_sealed_rows(opened: Database) -> None:
        # Before persistence or anyone reads: values from before row binding become
        # version 2 once, then version 1 is no longer read (storage/seal_upgrade.py).
        await bind_rows(opened, cipher, started, settings.admin_ids)

    db = Database(settings.database_path, on_open=bind_sealed_rows)
    outbox = Outbox(db, cipher, clock)
    broadcasts = Broadcasts(db, cipher, clock, outbox)
    announcements = Announcements(db, cipher, clock)
    roles = Roles(db, cipher, clock, settings.admin_ids)
    tracker = MessageTracker(TrackingStore(db, cipher, clock), clock)
    send_budget = SendBudget(Budgets.shipped(settings.telegram_rate_limit))
    reports = Reports(db, cipher, clock)
    throttle = GuessThrottle(db, cipher, clock)
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        cipher=cipher,
        catalogs=Catalogs(settings.default_language, ZoneInfo(settings.timezone)),
        prefs=UserPrefs(db, cipher, clock),
        roles=roles,
        members=GroupMembers(db, cipher, clock),
        tracker=tracker,
        expiry=ChatExpiry(
            tracker,
            TrackedChats(db, cipher, clock),
            roles,
            clock,
            family_minutes=settings.chat_expiry_minutes,
            staff_minutes=settings.staff_chat_expiry_minutes,
            rate_limit=settings.telegram_rate_limit,
        ),
        flood=FloodGate(),
        blocks=Blocks(db, cipher, clock, ZoneInfo(settings.timezone), settings.daily_report_cap),
        privacy=Privacy(db, cipher, clock),
        reports=reports,
        subscribers=Subscribers(db, cipher, clock),
        followups=FollowUps(db, cipher, clock),
        throttle=throttle,
        prompts=ChatPrompts(db, cipher, clock),
        gate=OwnerGate(ChatSecrets(db, cipher, clock), reports, throttle, clock),
        cases=Cases(db, cipher, clock),
        review=Review(db, cipher, clock),
        audit=AuditLog(db, cipher, clock),
        outbox=outbox,
        broadcasts=broadcasts,
        send_budget=send_budget,
        outbox_worker=OutboxWorker(
            outbox, broadcasts, clock, rate=settings.broadcast_rate, budget=send_budget
        ),
        exports=CaseExports(db, cipher, ZoneInfo(settings.timezone)),
        case_import=CaseImport(db, cipher, clock, AuditLog(db, cipher, clock)),
        figures=FiguresStore(db, announcements, ZoneInfo(settings.timezone)),
        announcements=announcements,
        charts=ChartRenderer(),
        duplicates=DuplicateIndex(cipher),
    )


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
) -> VigiaApp:
    """The real bot. Tests, the demo and benchmarks pass a fake `request`."""
    install_log_redaction()
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
                # What the bot sends cannot be forwarded or saved from the chat (official
                # apps also block screenshots). It does not hide anything from whoever
                # holds the unlocked phone: the chat expiry (services/expiry.py) does that.
                protect_content=True,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=ZoneInfo(settings.timezone),
            )
        )
        # Also notes every message the bot sends in a private chat, for /wipe.
        .rate_limiter(TrackingRateLimiter(services.tracker, services.send_budget, max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor())
        # Conversations and drafts survive a restart; sealed in the same database.
        .persistence(SQLitePersistence(services.db, services.cipher, services.clock))
        .post_init(on_startup)
        .post_stop(on_stop)
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
    application.add_handlers(safety.build_guards(), group=-10)
    application.add_handlers(moderation.build_guards(), group=-5)
    application.add_handlers(moderation.build_member_watch(), group=-4)
    application.add_handlers(owner.build_prompt_handlers(), group=-2)
    application.add_handlers(status.build_prompt_handlers(), group=-1)
    application.add_handlers(intake.build_handlers(), group=0)
    application.add_handlers(broadcast.build_handlers(), group=0)
    application.add_handlers(moderation.build_handlers(), group=0)
    application.add_handlers(status.build_handlers(), group=0)
    application.add_handlers(figures.build_handlers(), group=0)
    application.add_handlers(safety.build_handlers(), group=0)
    application.add_handlers(owner.build_handlers(), group=0)
    application.add_handlers(common.build_handlers(), group=0)
    application.add_handlers(fallback.build_handlers(), group=0)


async def on_startup(application: VigiaApp) -> None:
    services = application.bot_data.services
    await services.db.connect()
    # Every case name is decrypted once, here, for the duplicate suggestions.
    await services.duplicates.build(services.figures.case_identities())
    schedule_retention(application)
    safety.schedule_expiry(application)
    intake.schedule_draft_cleanup(application)
    await publish_command_menus(application)
    await publish_profile(application)
    moderation.schedule_digest(application)
    await moderation.publish_staff_menus(application)
    await broadcast.start_worker(application)
    await start_heartbeat(application)
    schedule_site(application)
    logger.info("bot_started schema=%d", await services.db.schema_version())


async def on_stop(application: VigiaApp) -> None:
    # Before the bot's HTTP client closes: sends in flight finish and their results are saved.
    await broadcast.stop_worker(application)


async def on_shutdown(application: VigiaApp) -> None:
    await broadcast.stop_worker(application)
    await application.bot_data.services.tracker.flush()
    await finish_site(application)
    await application.bot_data.services.charts.close()
    await application.bot_data.services.db.close()
    logger.info("bot_stopped")
