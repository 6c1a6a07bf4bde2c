"""Reports made straight through intake's repository, so status tests need no intake chat."""

from __future__ import annotations

import datetime as dt
import secrets

from domain.receipts import format_receipt
from domain.vocabulary import ReportKind
from fake_telegram import FakeUser
from services import case_desk, desk
from storage.reports import Filed, NewReport
from tests.harness import BotHarness


async def file_report(
    harness: BotHarness,
    reporter: FakeUser,
    *,
    name: str = "Pedro Pérez",
    language: str = "es",
    contact: bool = True,
    whereabouts: str = "helicoide",
    full_news: bool = True,
) -> Filed:
    """A confirmed detention report filed by `reporter`'s private chat.

    `full_news`: the family chose notifications with content in /privacidad, so these
    tests read what the news says in the chat; `tests/owner` tests the default."""
    now = harness.clock.now()
    if full_news:
        await harness.services.gate.secrets.set_full_news(reporter.id, True)
    return await harness.services.reports.file(
        NewReport(
            kind=ReportKind.DETENTION,
            reporter_chat_id=reporter.id,
            reporter_language=language,
            draft_token=secrets.token_hex(8),
            person_name=name,
            detained_on=(now - dt.timedelta(days=2)).date(),
            federal_entity="miranda",
            detaining_body="sebin",
            whereabouts=whereabouts,
            contact_consent_at=now if contact else None,
        )
    )


def spaced(code: str) -> str:
    return format_receipt(code)


def texts_to(harness: BotHarness, chat_id: int) -> list[str]:
    """Every text the bot has in this chat now, oldest first."""
    return [message.body for message in harness.fake.bot_messages(chat_id)]


async def deliver(harness: BotHarness) -> None:
    """Let the outbox worker send everything due now (notifications, relays)."""
    await harness.services.outbox_worker.drain()


async def verify_then_act(
    harness: BotHarness,
    filed: Filed,
    request: case_desk.CaseRequest,
    *,
    wait: dt.timedelta = dt.timedelta(0),
) -> None:
    """The admin verifies the report, which opens its case; `wait` later, acts on that case."""
    admin_id = harness.people.admin.id
    verification = await desk.verify(harness.services, admin_id, filed.report.id, 0)
    assert verification.case_id is not None
    case = await harness.services.cases.get(verification.case_id)
    assert case is not None
    harness.clock.advance(wait)
    await case_desk.act_on_case(harness.services, admin_id, case.id, case.version, request)
