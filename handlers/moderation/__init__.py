"""The moderation desk: roles, queue, case view, actions, buttons, digest, group guard.

`build_guards()` goes in group -5 (after the safety guards, before every feature),
`build_member_watch()` in group -4; `build_handlers()` in group 0. `on_startup` calls
`schedule_digest` and `publish_staff_menus`. Intake puts `notice_rows` under each
new-report notice.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.context import VigiaContext
from handlers.moderation import (
    buttons,
    case_actions,
    case_view,
    corrections,
    queue,
    report_actions,
    roles,
)
from handlers.moderation.access import DESK, not_available
from handlers.moderation.digest import schedule_digest, send_digest
from handlers.moderation.guard import build_guards
from handlers.moderation.keyboards import notice_rows
from handlers.moderation.members import build_member_watch
from handlers.moderation.menu import publish_staff_menus

__all__ = [
    "build_guards",
    "build_handlers",
    "build_member_watch",
    "notice_rows",
    "publish_staff_menus",
    "schedule_digest",
    "send_digest",
]


async def stale_desk_button(update: Update, context: VigiaContext) -> None:
    """A `mod:` button no handler understands (an old layout): kind, and nothing done."""
    query = update.callback_query
    if query is None:
        return
    t = await context.translator(update)
    if not await context.services.roles.has_any(query.from_user.id, *DESK):
        await not_available(update, t)
        return
    await query.answer(t.gettext("This button is no longer active."), show_alert=True)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        *roles.build_handlers(),
        *queue.build_handlers(),
        *case_view.build_handlers(),
        *report_actions.build_handlers(),
        *case_actions.build_handlers(),
        *corrections.build_handlers(),
        *buttons.build_handlers(),
        CallbackQueryHandler(stale_desk_button, pattern=r"^mod:"),
    ]
