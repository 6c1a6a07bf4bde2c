"""Queueing the moderators' notice of a new report: durable, and never in a family's way.

The notice goes into the outbox's staff lane inside the very transaction that files the
report (`also_notify`), so a report and its notice commit together: a kill -9 at any
moment leaves both or neither, and the outbox worker delivers what is queued after a
restart. Confirm answers the family as soon as that commit is done; the worker sends
the notice when the moderation group's (or each moderator's) budget has room, merged
with others when it is behind. Where notices go is `services.followup.relays`: the
moderation group, else each moderator and admin privately in their language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import aiosqlite

from domain.i18n import Translator
from services.container import Services
from services.followup import Relay, relays
from storage.outbox import Lane
from storage.report_filing import AlsoWrite
from storage.reports import Report

logger = logging.getLogger(__name__)


async def queue_notice(
    services: Services, conn: aiosqlite.Connection, report: Report, targets: list[Relay]
) -> int:
    """One staff-lane row per target inside `conn`'s transaction; none if quarantined."""
    if report.quarantined:
        return 0
    for target in targets:
        await services.outbox.add_notification(
            conn,
            chat_id=target.chat_id,
            language=target.translator.language,
            text=None,
            lane=Lane.STAFF,
            report=(report.id, report.urgent),
        )
    return len(targets)


async def also_notify(services: Services) -> AlsoWrite:
    """For `Reports.file`: queue the notice of the report it creates, in its transaction.

    Where it goes is read now, before the filing transaction takes the write lock.
    """
    targets = await relays(services)

    async def write(conn: aiosqlite.Connection, report: Report) -> None:
        await queue_notice(services, conn, report, targets)

    return write


async def queue_staff_texts(
    services: Services,
    targets: Sequence[tuple[int, Translator]],
    text: Callable[[int, Translator], str],
) -> None:
    """One staff-lane message per (chat, language) target, `text` worded for each, in
    one transaction; then the worker is woken (a digest, an alert to the admins)."""
    async with services.db.transaction() as conn:
        for chat_id, t in targets:
            await services.outbox.add_notification(
                conn, chat_id=chat_id, language=t.language, text=text(chat_id, t), lane=Lane.STAFF
            )
    services.outbox.wake()


async def notify_staff(services: Services, report: Report) -> None:
    """Queue the notice of an already stored report in its own transaction."""
    targets = await relays(services)
    async with services.db.transaction() as conn:
        queued = await queue_notice(services, conn, report, targets)
    if queued:
        services.outbox.wake()
        logger.info("staff_notice_queued report_id=%d rows=%d", report.id, queued)
