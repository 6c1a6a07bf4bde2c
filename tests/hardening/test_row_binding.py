"""Whoever can write the database file cannot move a sealed value to another row: a
name copied from one report to another, or a chat id from one subscriber to another,
no longer opens there."""

from __future__ import annotations

import pytest

from fake_telegram import FakeUser
from storage.crypto import DecryptionError
from tests.harness import BotHarness
from tests.safety.helpers import (
    file_report,
    report_through_intake,
    reports_of,
    verify_as_moderator,
)

OTHER = FakeUser(id=2102, first_name="Rosa", language_code="en")


async def copy_cell(
    harness: BotHarness, table: str, column: str, key: str, src: object, dst: object
) -> None:
    """What an attacker with the file does: one UPDATE, no key needed."""
    db = harness.services.db
    await db.execute(
        f'UPDATE "{table}" SET "{column}" = (SELECT "{column}" FROM "{table}" WHERE "{key}" = ?)'  # noqa: S608
        f' WHERE "{key}" = ?',
        (src, dst),
    )


async def test_a_name_moved_to_another_report_does_not_open(harness: BotHarness) -> None:
    first = await file_report(harness, harness.people.family_es, name="Pedro Pérez")
    second = await file_report(
        harness, harness.people.family_en, name="Luisa Gómez", cedula="V22222222"
    )
    reports = harness.services.reports
    await copy_cell(harness, "reports", "person_name_enc", "id", first.report.id, second.report.id)
    with pytest.raises(DecryptionError):
        await reports.by_id(second.report.id)
    opened = await reports.by_id(first.report.id)
    assert opened is not None and opened.person_name == "Pedro Pérez"


async def test_a_reporter_link_moved_to_another_report_does_not_open(
    harness: BotHarness,
) -> None:
    first = await file_report(harness, harness.people.family_es)
    second = await file_report(harness, harness.people.family_en, cedula="V22222222")
    await copy_cell(
        harness, "reports", "reporter_chat_enc", "id", first.report.id, second.report.id
    )
    with pytest.raises(DecryptionError):
        await harness.services.reports.reporter_chat(second.report.id)


async def test_a_case_name_moved_to_another_case_does_not_open(harness: BotHarness) -> None:
    for user, name, cedula in (
        (harness.people.family_en, "Pedro Pérez", "V-11.111.111"),
        (OTHER, "Luisa Gómez", "V-22.222.222"),
    ):
        code = await report_through_intake(harness, user, name=name, cedula=cedula)
        await verify_as_moderator(harness, code)
    await copy_cell(harness, "cases", "person_name_enc", "id", 1, 2)
    with pytest.raises(DecryptionError):
        await harness.services.cases.get(2)
    case = await harness.services.cases.get(1)
    assert case is not None and case.person_name == "Pedro Pérez"


async def test_a_chat_id_moved_to_another_subscriber_does_not_open(harness: BotHarness) -> None:
    for user in (harness.people.family_es, harness.people.family_en):
        await harness.rig.send_text(user, "/subscribe")
    keys = [str(row[0]) for row in await harness.services.db.fetch_all(
        "SELECT chat_key FROM subscribers ORDER BY rowid"
    )]  # fmt: skip
    await copy_cell(harness, "subscribers", "chat_id_enc", "chat_key", keys[0], keys[1])
    # The subscriber whose id was overwritten cannot be written to: it is skipped, and
    # nobody gets a broadcast twice.
    assert [s.chat_id for s in await harness.services.subscribers.all()] == [
        harness.people.family_es.id
    ]
    assert await reports_of(harness).for_reporter(harness.people.family_en.id) == []
