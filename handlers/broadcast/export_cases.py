"""/export csv|json public|full (admins, private chat): the case list as a document.

`public`: a row for every verified case, so anyone can recompute the figures; the name
and the other public columns only where publication was consented
(`services.case_files`). `full`: every case, every column, decrypted, for the NGO's own
archive. Columns are documented in docs/EXPORTS.md. Each export leaves an audit event.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from handlers.broadcast.access import is_admin
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.replies import not_available
from services.case_files import render

logger = logging.getLogger(__name__)

FORMATS = ("csv", "json")
SCOPES = ("public", "full")


def _choice(args: Sequence[str]) -> tuple[str, str] | None:
    words = {arg.strip().lower() for arg in args}
    formats = words & set(FORMATS)
    scopes = words & set(SCOPES)
    if len(words) != 2 or len(formats) != 1 or len(scopes) != 1:
        return None
    return formats.pop(), scopes.pop()


async def export_cases(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    # Admins only, and only in a private chat: a case list never lands in a group.
    if chat.type != ChatType.PRIVATE or not await is_admin(context, user.id):
        await not_available(update, context)
        return
    t = await context.translator(update)
    choice = _choice(context.args or [])
    if choice is None:
        await message.reply_text(
            t.gettext(
                "Usage: <code>/export csv public</code>, <code>/export csv full</code>, "
                "<code>/export json public</code> or <code>/export json full</code>.\n"
                "public: every verified case, with the name only where publication was "
                "consented: anyone can recompute the figures from it. "
                "full: every case and column, decrypted, for the organisation's archive."
            )
        )
        return
    file_format, scope = choice
    services = context.services
    cases = await services.exports.cases(public=scope == "public")
    now = services.clock.now()
    data = render(
        cases, file_format=file_format, scope=scope, generated_at=services.clock.now_iso()
    )
    if scope == "public":
        named = sum(1 for case in cases if case.publish_consent)
        caption = t.gettext(
            "Public list: {count} verified cases, {named} with the name (publication "
            "consented). The figures can be recomputed from it."
        ).format(count=t.number(len(cases)), named=t.number(named))
    else:
        caption = t.gettext("Full archive: {count} cases, decrypted. Keep this file safe.").format(
            count=t.number(len(cases))
        )
    await context.bot.send_document(
        chat.id,
        document=data,
        filename=f"vigia-cases-{scope}-{now.strftime('%Y%m%d-%H%M')}.{file_format}",
        caption=caption,
        protect_content=True,
    )
    await services.audit.record(
        actor_id=user.id,
        action="cases_exported",
        target_type="cases",
        target_id=None,
        details={"scope": scope, "format": file_format, "cases": len(cases)},
    )
    logger.info("cases_exported scope=%s format=%s cases=%d", scope, file_format, len(cases))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, Any]]:
    return [CommandHandler(aliases("exportar", "export"), export_cases)]
