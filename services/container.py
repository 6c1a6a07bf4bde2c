"""The services every handler needs, opened at startup and shared through `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.i18n import Catalogs
from services.chart import ChartRenderer
from services.duplicates import DuplicateIndex
from services.expiry import ChatExpiry
from services.flood import FloodGate
from services.outbox_worker import OutboxWorker
from services.owner_gate import OwnerGate
from services.send_budget import SendBudget
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
from storage.subscribers import Subscribers
from storage.throttle import GuessThrottle
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
    # Role-less people seen in the moderation group (handlers/moderation/members.py).
    members: GroupMembers
    tracker: MessageTracker
    # The rolling chat expiry (handlers/safety/expiry.py) and its per-chat choices.
    expiry: ChatExpiry
    flood: FloodGate
    blocks: Blocks
    privacy: Privacy
    # Reports made by intake (handlers/intake), read by every other feature.
    reports: Reports
    # Status, follow-up and subscriptions (handlers/status).
    subscribers: Subscribers
    followups: FollowUps
    throttle: GuessThrottle
    prompts: ChatPrompts
    # The family PIN and who has proved to be the family (handlers/owner).
    gate: OwnerGate
    # Moderation desk (handlers/moderation, bot/desk.py).
    cases: Cases
    review: Review
    audit: AuditLog
    # The outbox every queued message goes through, and broadcasts (handlers/broadcast).
    outbox: Outbox
    broadcasts: Broadcasts
    outbox_worker: OutboxWorker
    # Telegram's budgets, spent by the rate limiter and consulted by the outbox worker.
    send_budget: SendBudget
    exports: CaseExports
    case_import: CaseImport
    # Verified figures, official announcements, chart and duplicate index (figures area).
    figures: FiguresStore
    announcements: Announcements
    charts: ChartRenderer
    duplicates: DuplicateIndex


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
