"""/export csv|json public (admins, private chat): the public case list as a document.

`public`: a row for every verified case, so anyone can recompute the figures; the name
and the other public columns only where publication was consented
(`services.case_files`, which the site's open data shares). The full archive (every
case, every column, names and cédulas decrypted) is made only on the server, `python
-m bot export full FILE` (bot/export_command.py): a document sent here would rest in
Telegram's cloud and on the admin's phone, outside the encryption that protects the
database and its backups. `/export ... full` says so and sends nothing. Columns are
documented in docs/EXPORTS.md. Each export leaves an audit event.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import BaseHandler, CommandHandler

from handlers.broadcast.access import is_admin
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.replies import not_available, preparing
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
                "Usage: <code>/export csv public</code> or <code>/export json public</code>: "
                "every verified case, with the name only where publication was consented; "
                "anyone can recompute the figures from it.\n"
                "The full archive (every case and column, decrypted) is made on the server: "
                "<code>python -m bot export full FILE</code>."
            )
        )
        return
    file_format, scope = choice
    if scope == "full":
        await message.reply_text(
            t.gettext(
                "The full archive holds every name and cédula, decrypted, so it is never "
                "sent through Telegram: a document here stays in Telegram's cloud and on "
                "this phone. Make it on the server, where the database is: "
                "<code>python -m bot export full FILE</code> (add <code>--format json</code> "
                "for JSON)."
            )
        )
        logger.info("cases_export_refused scope=full")
        return
    services = context.services
    await preparing(context.bot, chat.id, ChatAction.UPLOAD_DOCUMENT)
    cases = await services.exports.cases(public=True)
    now = services.clock.now()
    data = render(
        cases, file_format=file_format, scope=scope, generated_at=services.clock.now_iso()
    )
    named = sum(1 for case in cases if case.publish_consent)
    caption = t.gettext(
        "Public list: {count} verified cases, {named} with the name (publication "
        "consented). The figures can be recomputed from it."
    ).format(count=t.number(len(cases)), named=t.number(named))
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
