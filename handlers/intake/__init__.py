"""Family intake: report a detention, a release or news, in a guided conversation.

One persistent ConversationHandler per flow (detention, release, news), named
states = the questions; then the plain handlers for /reportar outside a report and
for intake buttons no conversation claims. `schedule_draft_cleanup` goes in startup.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.intake import callbacks, entry
from handlers.intake.cleanup import purge_stale_drafts, schedule_draft_cleanup
from handlers.intake.draft import EDIT, SUMMARY
from handlers.intake.engine import cancel, flow_bound, on_timeout, repeat_question
from handlers.intake.flows import FLOWS, Flow
from handlers.intake.notify_moderators import notice_rows, notice_text, notify_moderators

__all__ = [
    "MENU_CALLBACKS",
    "build_handlers",
    "notice_rows",
    "notice_text",
    "notify_moderators",
    "purge_stale_drafts",
    "schedule_draft_cleanup",
]

CONVERSATION_TIMEOUT = dt.timedelta(minutes=30)
# The main-menu entries (handlers/menu.py) that open each flow.
MENU_CALLBACKS = {"det": "menu:report", "rel": "menu:release", "upd": "menu:news"}

IntakeHandler = BaseHandler[Update, VigiaContext, Any]


def build_handlers() -> list[IntakeHandler]:
    private = filters.ChatType.PRIVATE
    handlers: list[IntakeHandler] = [conversation(flow) for flow in FLOWS.values()]
    handlers += [
        CommandHandler(aliases("reportar", "report"), entry.report_command, filters=private),
        CallbackQueryHandler(entry.discard, pattern=r"^intake:rm:"),
        CallbackQueryHandler(entry.old_button, pattern=r"^intake:"),
    ]
    return handlers


def conversation(flow: Flow) -> ConversationHandler[VigiaContext]:
    private = filters.ChatType.PRIVATE
    message, button = flow_bound(flow)
    answers: list[IntakeHandler] = [
        CallbackQueryHandler(button, pattern=r"^intake:"),
        MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.COMMAND, message),
    ]
    states: dict[object, list[IntakeHandler]] = {
        key: answers for key in (*(step.key for step in flow.steps), SUMMARY, EDIT)
    }
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, on_timeout)]

    async def again(update: Update, context: VigiaContext) -> object:
        return await repeat_question(update, context, flow)

    entry_pattern = rf"^({callbacks.start(flow.code)}|{MENU_CALLBACKS[flow.code]})$"
    with warnings.catch_warnings():
        # Buttons are tracked per chat on purpose (the draft token tells old ones apart),
        # so PTB's advice to track them per message does not apply.
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CallbackQueryHandler(entry.starter(flow), pattern=entry_pattern),
                CallbackQueryHandler(entry.resumer(flow), pattern=rf"^intake:re:{flow.code}:"),
            ],
            states=states,
            fallbacks=[
                CommandHandler(aliases("cancelar", "cancel"), cancel, filters=private),
                CommandHandler(aliases("reportar", "report"), again, filters=private),
            ],
            name=flow.conversation_name,
            persistent=True,
            # PTB's own timer: each answer replaces the conversation's job, and the
            # TIMEOUT handlers run after thirty quiet minutes (jobs live in memory, so a
            # conversation resumed after a restart starts its timer at its next answer).
            conversation_timeout=CONVERSATION_TIMEOUT,
        )
