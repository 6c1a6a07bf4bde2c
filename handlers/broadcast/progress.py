"""What the sender of a broadcast sees: one progress message, edited, then a final report.

The outbox worker decides when (at most every 2 seconds, and once at the end); this
module only words it, in the sender's language, with babel numbers and durations.
"""

from __future__ import annotations

import datetime as dt
import logging

from babel.dates import format_timedelta
from telegram import Bot
from telegram.error import BadRequest, TelegramError

from domain.i18n import Catalogs, Translator
from storage.broadcasts import Broadcast
from storage.clock import Clock, from_iso
from storage.outbox import DeliveryCounts

logger = logging.getLogger(__name__)


def progress_text(
    t: Translator, broadcast_id: int, counts: DeliveryCounts, seconds_left: float | None
) -> str:
    _ = t.gettext
    lines = [
        _("📣 <b>Broadcast #{number}</b> is being sent").format(number=broadcast_id),
        _("Sent: {sent} · Failed: {failed} · Remaining: {remaining}").format(
            sent=t.number(counts.sent),
            failed=t.number(counts.failed + counts.blocked),
            remaining=t.number(counts.remaining),
        ),
    ]
    if seconds_left is not None and counts.remaining:
        lines.append(_("Time left: about {duration}").format(duration=duration(t, seconds_left)))
    return "\n".join(lines)


def final_text(t: Translator, broadcast: Broadcast, counts: DeliveryCounts, clock: Clock) -> str:
    _ = t.gettext
    lines = [
        _("✅ <b>Broadcast #{number} finished</b>").format(number=broadcast.id),
        _("Delivered: {sent} of {total}").format(
            sent=t.number(counts.sent), total=t.number(counts.total)
        ),
    ]
    if counts.blocked:
        lines.append(
            _("Blocked the bot or deleted their account (unsubscribed): {count}").format(
                count=t.number(counts.blocked)
            )
        )
    if counts.failed:
        lines.append(_("Could not be delivered: {count}").format(count=t.number(counts.failed)))
    if counts.unconfirmed:
        lines.append(
            _(
                "Interrupted by a restart while being sent, not sent again "
                "(probably delivered): {count}"
            ).format(count=t.number(counts.unconfirmed))
        )
    if broadcast.started_at:
        took = (clock.now() - from_iso(broadcast.started_at)).total_seconds()
        lines.append(_("Time taken: {duration}").format(duration=duration(t, took)))
    return "\n".join(lines)


def duration(t: Translator, seconds: float) -> str:
    return format_timedelta(
        dt.timedelta(seconds=max(1.0, seconds)), threshold=1.5, locale=t.locale
    )


class ProgressMessages:
    """The outbox worker's `DeliveryObserver`: edits and reports through the bot."""

    def __init__(self, catalogs: Catalogs, clock: Clock) -> None:
        self._catalogs = catalogs
        self._clock = clock

    async def progress(
        self, bot: Bot, broadcast: Broadcast, counts: DeliveryCounts, seconds_left: float | None
    ) -> None:
        t = self._catalogs.get(broadcast.sender_language)
        await self._edit(bot, broadcast, progress_text(t, broadcast.id, counts, seconds_left))

    async def finished(self, bot: Bot, broadcast: Broadcast, counts: DeliveryCounts) -> None:
        t = self._catalogs.get(broadcast.sender_language)
        await self._edit(bot, broadcast, progress_text(t, broadcast.id, counts, None))
        if broadcast.sender_chat_id is None:
            return
        try:
            await bot.send_message(
                broadcast.sender_chat_id, final_text(t, broadcast, counts, self._clock)
            )
        except TelegramError as exc:
            logger.warning("broadcast_report_not_sent error=%s", type(exc).__name__)

    async def _edit(self, bot: Bot, broadcast: Broadcast, text: str) -> None:
        if broadcast.sender_chat_id is None or broadcast.progress_message_id is None:
            return
        try:
            await bot.edit_message_text(
                text, chat_id=broadcast.sender_chat_id, message_id=broadcast.progress_message_id
            )
        except BadRequest as exc:
            # "message is not modified" or deleted by a wipe: nothing to do.
            logger.info("broadcast_progress_not_edited error=%s", type(exc).__name__)
        except TelegramError as exc:
            logger.warning("broadcast_progress_not_edited error=%s", type(exc).__name__)
