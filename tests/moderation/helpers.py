"""Reports, cases and staff for moderation tests, made through the repositories.

Reports are filed with intake's `Reports.file` (the same write the intake
conversation ends with), so these tests do not depend on the conversation itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from domain.vocabulary import ReportKind
from fake_telegram import Call, FakeUser
from storage.reports import Evidence, NewReport, Report
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.roles import make_staff

_tokens = itertools.count(1)


async def file_report(
    harness: BotHarness,
    *,
    reporter: FakeUser | None = None,
    name: str = "José Pérez",
    kind: ReportKind = ReportKind.DETENTION,
    whereabouts: str | None = "helicoide",
    detained_on: dt.date | None = dt.date(2026, 1, 10),
    contact: bool = True,
    full_news: bool = True,
    **fields: Any,
) -> Report:
    """A confirmed report, as intake stores it (urgent when the whereabouts are unknown).

    `full_news`: the family chose notifications with content (/privacidad), so these
    tests read in the chat what moderation told it; the default is in `tests/owner`."""
    reporter = reporter or harness.people.family_es
    now = harness.clock.now()
    if full_news:
        await harness.services.gate.secrets.set_full_news(reporter.id, True)
    new = NewReport(
        kind=kind,
        reporter_chat_id=reporter.id,
        reporter_language=reporter.language_code or "es",
        draft_token=f"test-draft-{next(_tokens)}",
        person_name=name,
        detained_on=detained_on,
        whereabouts=whereabouts,
        contact_consent_at=now if contact else None,
        priority=1 if whereabouts in (None, "unknown") and kind is ReportKind.DETENTION else 0,
        **fields,
    )
    filed = await harness.services.reports.file(new)
    return filed.report


def texts(calls: list[Call], chat_id: int | None = None) -> str:
    """Every text and caption the bot sent in these calls (to `chat_id` if given), joined.

    Give the chat: the outbox worker may deliver a reporter's notification meanwhile.
    """
    parts = []
    for call in calls:
        if chat_id is not None and call.chat_id != chat_id:
            continue
        for key in ("text", "caption"):
            value = call.params.get(key)
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


async def say(
    harness: BotHarness, user: FakeUser, text: str, *, chat_id: int | None = None
) -> str:
    """`user` sends `text` a second after the last action; what the bot answered there."""
    harness.clock.advance(dt.timedelta(seconds=1))
    calls = await harness.rig.send_text(user, text, chat_id=chat_id)
    return texts(calls, user.id if chat_id is None else chat_id)


def sent_to(calls: list[Call], chat_id: int) -> list[Call]:
    return [call for call in calls if call.chat_id == chat_id]


def evidence(file_id: str, media_type: str) -> Evidence:
    return Evidence(file_id=file_id, media_type=media_type, file_size=1000)


__all__ = [
    "MODERATION_CHAT_ID",
    "evidence",
    "file_report",
    "make_staff",
    "say",
    "sent_to",
    "texts",
]
