"""Names and cédulas never sit in plaintext on disk, nor in the logs."""

from __future__ import annotations

import logging

import pytest

from tests.harness import BotHarness
from tests.intake.helpers import RELATION, family, reach_question, reach_summary_en

NAME = "Pedro José Pérez"
CEDULA_DIGITS = "12345678"


def raw_database(harness: BotHarness) -> bytes:
    """The SQLite file and its write-ahead log, byte for byte."""
    path = harness.settings.database_path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def plaintexts() -> list[bytes]:
    values = [NAME, "Pérez", CEDULA_DIGITS, "They took him", "brother", "Sucre"]
    return [value.encode() for value in values] + [value.encode("utf-16-le") for value in values]


async def test_a_filed_report_leaves_no_plaintext_in_the_database_file(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 1
    await harness.stop()
    raw = raw_database(harness)
    for value in plaintexts():
        assert value not in raw


async def test_an_unfinished_draft_is_sealed_on_disk(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, RELATION)
    await harness.app.update_persistence()
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM persistence_user_data")
    assert row is not None and row[0] == 1
    await harness.stop()
    raw = raw_database(harness)
    for value in plaintexts()[:4]:
        assert value not in raw


async def test_the_logs_name_no_person(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "report_created" in logged
    for secret in (NAME, CEDULA_DIGITS, "brother", str(reporter.user.id)):
        assert secret not in logged
