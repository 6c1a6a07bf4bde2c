"""Safety and privacy: wipe the trail, forget me, consent, quarantine, backups.

`build_guards()` goes in group -10 (before every feature); `build_handlers()` in
group 0. Intake calls `offer_wipe_after_report` right after showing a receipt code.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from handlers.context import VigiaContext
from handlers.safety import forget, privacy, staff, wipe
from handlers.safety.expiry import schedule_expiry
from handlers.safety.guards import build_guards
from handlers.safety.wipe import offer_wipe_after_report, wipe_after_flow, wipe_chat

__all__ = [
    "build_guards",
    "build_handlers",
    "offer_wipe_after_report",
    "schedule_expiry",
    "wipe_after_flow",
    "wipe_chat",
]


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        *wipe.build_handlers(),
        *forget.build_handlers(),
        *privacy.build_handlers(),
        *staff.build_handlers(),
    ]
