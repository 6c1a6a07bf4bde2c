"""Shared steps of the safety tests: filing reports as intake does, reading the database."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from domain.vocabulary import ReportKind
from fake_telegram import FakeUser
from storage.reports import Filed, NewReport, Reports
from storage.roles import Role
from tests.harness import BotHarness
from tests.roles import grant


def reports_of(harness: BotHarness) -> Reports:
    services = harness.services
    return Reports(services.db, services.cipher, services.clock)


async def file_report(
    harness: BotHarness,
    user: FakeUser,
    *,
    name: str = "Pedro Pérez",
    cedula: str | None = "V12345678",
    publish: bool = True,
    contact: bool = True,
) -> Filed:
    """A confirmed detention report from `user`, stored by the intake repository as
    Confirm stores it (with the daily cap's screen)."""
    now = harness.clock.now()
    return await reports_of(harness).file(
        NewReport(
            kind=ReportKind.DETENTION,
            reporter_chat_id=user.id,
            reporter_language="es",
            draft_token=secrets.token_hex(8),
            person_name=name,
            cedula=cedula,
            detained_on=now.date() - dt.timedelta(days=1),
            federal_entity="distrito_capital",
            whereabouts="unknown",
            contact_consent_at=now if contact else None,
            publish_consent_at=now if publish else None,
        ),
        harness.services.blocks.screen(user.id),
    )


async def report_row(harness: BotHarness, report_id: int) -> dict[str, Any]:
    row = await harness.services.db.fetch_one("SELECT * FROM reports WHERE id = ?", (report_id,))
    assert row is not None
    return dict(row)


async def count(harness: BotHarness, sql: str, params: tuple[Any, ...] = ()) -> int:
    row = await harness.services.db.fetch_one(sql, params)
    assert row is not None
    return int(row[0])


def visible_ids(harness: BotHarness, chat_id: int) -> list[int]:
    return [m.message_id for m in harness.fake.messages(chat_id) if not m.deleted]


RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


async def report_through_intake(
    harness: BotHarness,
    user: FakeUser,
    *,
    name: str = "Pedro Pérez",
    cedula: str = "V-12.345.678",
    story: str = "They took him from home at night",
    relation: str = "His sister",
    publish: bool = True,
) -> str:
    """A whole detention report as an English-speaking family types it; returns the code."""
    steps: list[tuple[str, str]] = [
        ("text", "/report"),
        ("press", "📝 A detention"),
        ("text", name),
        ("text", cedula),
        ("press", "Man"),
        ("press", "Skip ⏭"),
        ("press", "Skip ⏭"),
        ("text", "yesterday"),
        ("press", "Aragua"),
        ("text", "Maracay"),
        ("press", "SEBIN"),
        ("press", "El Helicoide"),
        ("text", story),
        ("press", "✅ Done"),
        ("text", relation),
        ("press", "✅ Yes"),
        ("press", "✅ Yes" if publish else "No"),
        ("press", "✅ Confirm and send"),
    ]
    for kind, value in steps:
        # A human pace: one answer a second, well under the flood gate's limit.
        harness.clock.advance(dt.timedelta(seconds=1))
        if kind == "text":
            await harness.rig.send_text(user, value)
        else:
            await harness.rig.press_button(user, value)
    return receipt_in_chat(harness, user.id)


def receipt_in_chat(harness: BotHarness, chat_id: int) -> str:
    for message in reversed(harness.fake.messages(chat_id)):
        found = RECEIPT.search(message.body)
        if message.from_bot and "receipt code" in message.body and found:
            return found.group(0)
    raise AssertionError("no receipt code was shown")


async def verify_as_moderator(harness: BotHarness, code: str) -> None:
    """A moderator verifies the report: it becomes a case."""
    moderator = harness.people.moderator
    await grant_moderator(harness)
    await harness.rig.send_text(moderator, f"/verify {code.replace(' ', '')}")


async def grant_moderator(harness: BotHarness) -> None:
    await grant(harness, harness.people.moderator, Role.MODERATOR)


async def open_privacy(harness: BotHarness, user: FakeUser, code: str) -> None:
    """/privacidad as the family: its reports show after one of its receipt codes."""
    await harness.rig.send_text(user, "/privacidad")
    label = "🔑 Show my reports" if user.language_code == "en" else "🔑 Mostrar mis reportes"
    await harness.rig.press_button(user, label)
    await harness.rig.send_text(user, code)
