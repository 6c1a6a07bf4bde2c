"""Writing the moderators' notices when the outbox worker sends them.

A notice alone is intake's new-report notice (`notify_moderators.notice_text`) with
the desk's buttons, its duplicate suggestions ranked now, off the family's path; in
the moderation group, only its number, kind, urgency and clock (the buttons stay: they
carry numbers, and answer the presser privately). When
the chat is behind (`services.outbox_staff`), one message stands for all that wait:
how many, which (#101–#112), how many are urgent and each urgent one's 48-hour clock,
and that every one is already in /queue. It names nobody, and stays far below
Telegram's 4,096 characters however many it stands for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from domain.clock48 import clock48
from domain.i18n import Translator
from handlers.intake.notify_moderators import group_notice_text, notice_rows, notice_text
from handlers.moderation.suggest import suggestions_for
from handlers.moderation.texts import clock_text, report_tag
from handlers.sending import keyboard_markup
from services.container import Services
from services.outbox_send import Message
from services.outbox_staff import StaffRenderer
from storage.outbox import OutboxRow

# Urgent reports listed one by one, each with its clock; the rest are counted.
MAX_URGENT_LISTED = 10
# Past this many characters the list of numbers becomes its first and last.
MAX_ID_LIST = 300


def staff_renderer(services: Services) -> StaffRenderer:
    """The outbox worker's writer of new-report notices, in each row's language."""

    async def render(rows: list[OutboxRow]) -> Message:
        t = services.catalogs.get(rows[0].language)
        if len(rows) == 1:
            return await _single(services, t, rows[0])
        return await _merged(services, t, rows)

    return render


async def _single(services: Services, t: Translator, row: OutboxRow) -> Message:
    report = await services.reports.by_id(row.report_id) if row.report_id else None
    if report is None:
        return Message(None)  # forgotten meanwhile: nothing left to announce
    suggestions = await suggestions_for(services, report)
    keyboard = keyboard_markup(notice_rows(t, report, suggestions))
    if row.chat_id == services.settings.moderation_chat_id:
        # The buttons name numbers only; what they answer goes to the presser privately.
        return Message(group_notice_text(t, report, services.clock.now()), keyboard)
    return Message(notice_text(t, report), keyboard)


async def _merged(services: Services, t: Translator, rows: list[OutboxRow]) -> Message:
    ids = sorted({row.report_id for row in rows if row.report_id is not None})
    urgent_ids = sorted({row.report_id for row in rows if row.urgent and row.report_id})
    clocks: list[tuple[int, dt.date | None]] = []
    for report_id in urgent_ids[:MAX_URGENT_LISTED]:
        report = await services.reports.by_id(report_id)
        if report is not None:
            clocks.append((report_id, report.detained_on))
    return Message(merged_text(t, ids, urgent_ids, clocks, services.clock.now()))


def merged_text(
    t: Translator,
    ids: list[int],
    urgent_ids: list[int],
    clocks: list[tuple[int, dt.date | None]],
    now: dt.datetime,
) -> str:
    """ "🆕 12 new reports (#101–#112), 3 urgent · /queue", each urgent one's clock."""
    count = len(ids)
    head = t.ngettext(
        "🆕 <b>{count} new report</b> ({ids})", "🆕 <b>{count} new reports</b> ({ids})", count
    ).format(count=t.number(count), ids=id_ranges(ids))
    if urgent_ids:
        urgent = t.ngettext("{count} urgent", "{count} urgent", len(urgent_ids)).format(
            count=t.number(len(urgent_ids))
        )
        head = f"{head}, 🚨 <b>{urgent}</b>"
    lines = [head + " · " + t.gettext("/queue")]
    if not urgent_ids:
        lines.append(t.gettext("None of them is urgent."))
    for report_id, detained_on in clocks:
        clock = clock48(detained_on, now, t.timezone)
        lines.append(f"🚨 {report_tag(report_id)} · {clock_text(t, clock)}")
    unlisted = len(urgent_ids) - len(clocks)
    if unlisted > 0:
        lines.append(
            t.ngettext(
                "…and {count} more urgent one", "…and {count} more urgent ones", unlisted
            ).format(count=t.number(unlisted))
        )
    lines.append(
        t.gettext(
            "They came in faster than this chat can be told one by one. Every one is "
            "already in /queue, the urgent ones first."
        )
    )
    return "\n".join(lines)


def id_ranges(ids: Iterable[int]) -> str:
    """`#101–#104, #107` for sorted numbers; first and last only if that gets long."""
    ordered = sorted(ids)
    if not ordered:
        return ""
    spans: list[tuple[int, int]] = []
    for number in ordered:
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    text = ", ".join(
        report_tag(low) if low == high else f"{report_tag(low)}–{report_tag(high)}"
        for low, high in spans
    )
    if len(text) > MAX_ID_LIST:
        return f"{report_tag(ordered[0])} … {report_tag(ordered[-1])}"
    return text
