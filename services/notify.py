"""Telling a reporter that their report or its case changed: one message per change.

Moderation calls `notify_report_change` inside the transaction that changed the
state, so the outbox row and the change commit together: a crash before the commit
leaves neither, a crash after it leaves both, and the outbox worker delivers the row
once. What the reporter was last told is stored beside it (`report_notices`): a
second call for the same change, or a change that reads the same to the family (a
merge into a case in the same state), queues nothing.

What reaches the family's chat carries no content unless the family chose so in
/privacidad (issue 14): "there is news", and `/novedades` shows it after the PIN or a
receipt code. The moderators' questions follow the same rule (`services.followup`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.i18n import Translator
from services.container import Services
from services.status_texts import notification_text
from storage.report_status import (
    ReportStatus,
    last_notice,
    read_report_status,
    report_ids_of_case,
    save_notice,
)

logger = logging.getLogger(__name__)


async def notify_report_change(
    services: Services, conn: aiosqlite.Connection, report_id: int
) -> None:
    """Queue one localised message to the reporter if what they would read has changed.

    Only reporters who consented to contact and whose chat is still linked are written
    to; for the others the change is noted as told, so consenting later does not
    replay old news.
    """
    status = await read_report_status(conn, services.cipher, report_id)
    if status is None:
        return
    signature = status.signature()
    if signature == await last_notice(conn, report_id):
        return
    await save_notice(conn, report_id, signature, services.clock.now_iso())
    queued = await queue_for_reporter(
        services, conn, status, lambda t: notification_text(t, status, status.receipt_display)
    )
    if not queued:
        logger.info("notification_not_sent report_id=%d reason=no_contact", report_id)
        return
    logger.info("notification_queued report_id=%d", report_id)


async def queue_for_reporter(
    services: Services,
    conn: aiosqlite.Connection,
    status: ReportStatus,
    text: Callable[[Translator], str],
    keyboard: Callable[[Translator], InlineKeyboardMarkup] | None = None,
) -> bool:
    """Queue one message to the report's reporter, in their language, inside `conn`'s
    transaction; False (nothing queued) unless they consented to contact and their
    chat is still linked."""
    if not status.reachable or status.reporter_chat_id is None:
        return False
    t = services.catalogs.get(status.reporter_language)
    chat_id = status.reporter_chat_id
    if not await services.gate.secrets.full_news_in(conn, chat_id):
        # Content-free by default: the news waits for /novedades and the family's secret.
        text, keyboard = news_waiting_text, news_waiting_keyboard
    await services.outbox.add_notification(
        conn,
        chat_id=chat_id,
        language=t.language,
        text=text(t),
        reply_markup=keyboard(t).to_dict() if keyboard is not None else None,
    )
    # The worker's next read waits for this transaction's lock, so it sees the row
    # as soon as the caller commits (and nothing if the caller rolls back).
    services.outbox.wake()
    return True


def news_waiting_text(t: Translator) -> str:
    """What a family's chat shows of any news, unless it chose notifications with content:
    nothing that names a person, a code or a state."""
    return t.gettext("🔔 There is news. Send /news to see it.")


def news_waiting_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.gettext("🔑 Open"), callback_data="owner:open:news")]]
    )


async def notify_case_change(services: Services, conn: aiosqlite.Connection, case_id: int) -> None:
    """`notify_report_change` for every report on the case (and on cases merged into it)."""
    for report_id in await report_ids_of_case(conn, case_id):
        await notify_report_change(services, conn, report_id)
