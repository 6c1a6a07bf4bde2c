"""Staff notices in the outbox: alone while their chat keeps up, merged when it is behind.

A new-report notice is queued as the report it announces (`Outbox.add_notification`
with `report=`), so the text is written when the notice goes. When a chat's backlog of
notices is more than its budget sends in a minute (20 for a group, about 60 for a
private chat), the next notice to go stands for every one waiting there ("12 new
reports (#101–#112), 3 urgent · /queue"); the rows it stands for are recorded as
sent, `merged`. What the notices say is the staff renderer's business (handlers); when
to merge is decided here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from services.outbox_send import Message
from services.send_budget import Budgets
from storage.outbox import Lane, Outbox, OutboxRow

# One merged notice stands for at most this many reports; the rest merge into the next.
MAX_MERGED = 1000

# Writes the notice for `rows` (one report, or many waiting for the same chat, oldest
# first) in the chat's language; a report gone meanwhile is left out.
StaffRenderer = Callable[[list[OutboxRow]], Awaitable[Message]]


def is_report_notice(row: OutboxRow) -> bool:
    return row.lane is Lane.STAFF and row.report_id is not None


async def notices_for(outbox: Outbox, budgets: Budgets, lead: OutboxRow) -> list[OutboxRow]:
    """The rows `lead`'s message stands for: itself, or every notice its chat is behind on."""
    per_minute = budgets.per_minute(lead.chat_id)
    if per_minute <= 0:
        return [lead]
    backlog = await outbox.staff_backlog(lead.chat_key, MAX_MERGED)
    if len(backlog) <= per_minute or all(row.id != lead.id for row in backlog):
        return [lead]
    return backlog
