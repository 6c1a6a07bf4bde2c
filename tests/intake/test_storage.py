"""The reports repository and the conversation persistence, on a real database file."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite
import pytest

from bot.persistence import SQLitePersistence
from domain.receipts import format_receipt
from domain.vocabulary import ReportKind
from storage.blocks import Blocks, OverDailyCap, Standing
from storage.clock import SettableClock
from storage.crypto import FieldCipher
from storage.database import Database
from storage.reports import Evidence, Filed, FileOutcome, NewReport, Reports
from tests.harness import START_TIME, TEST_KEY

CHAT = 4242
DAILY_CAP = 1


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "vigia.db")
    await database.connect()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(TEST_KEY)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START_TIME)


@pytest.fixture
def reports(db: Database, cipher: FieldCipher, clock: SettableClock) -> Reports:
    return Reports(db, cipher, clock)


@pytest.fixture
def blocks(db: Database, cipher: FieldCipher, clock: SettableClock) -> Blocks:
    return Blocks(db, cipher, clock, ZoneInfo("America/Caracas"), DAILY_CAP)


def detention(**overrides: object) -> NewReport:
    values: dict[str, object] = {
        "kind": ReportKind.DETENTION,
        "reporter_chat_id": CHAT,
        "reporter_language": "es",
        "draft_token": secrets.token_hex(8),
        "person_name": "Ana Pérez",
        "cedula": "V12345678",
        "detained_on": dt.date(2026, 1, 10),
        "whereabouts": "helicoide",
    }
    values.update(overrides)
    return NewReport(**values)  # type: ignore[arg-type]


async def test_the_same_draft_filed_twice_is_one_report(reports: Reports) -> None:
    new = detention()
    first = await reports.file(new)
    second = await reports.file(new)
    assert first.outcome is FileOutcome.CREATED
    assert second.outcome is FileOutcome.ALREADY_FILED
    assert second.report.id == first.report.id and second.receipt_code == first.receipt_code
    assert len(await reports.for_reporter(CHAT)) == 1


async def test_the_same_cedula_from_the_same_chat_within_a_day_is_not_repeated(
    reports: Reports, clock: SettableClock
) -> None:
    first = await reports.file(detention())
    clock.advance(dt.timedelta(hours=23))
    again = await reports.file(detention())
    assert again.outcome is FileOutcome.SAME_PERSON and again.report.id == first.report.id
    clock.advance(dt.timedelta(hours=2))
    assert (await reports.file(detention())).outcome is FileOutcome.CREATED


@pytest.mark.parametrize("cedula", ["V12345678", None], ids=["with cedula", "without"])
async def test_another_familys_draft_with_the_same_token_is_a_report_of_its_own(
    reports: Reports, cedula: str | None
) -> None:
    token = "abc123"  # drafts made before tokens grew to 64 bits were this short
    theirs = await reports.file(detention(draft_token=token, cedula=cedula))
    ours = await reports.file(
        detention(draft_token=token, cedula=cedula, reporter_chat_id=CHAT + 1)
    )
    assert ours.outcome is FileOutcome.CREATED
    assert ours.report.id != theirs.report.id and ours.receipt_code != theirs.receipt_code
    again = await reports.file(
        detention(draft_token=token, cedula=cedula, reporter_chat_id=CHAT + 1)
    )
    assert again.outcome is FileOutcome.ALREADY_FILED and again.report.id == ours.report.id


async def test_a_receipt_collision_is_retried_with_a_new_code(
    reports: Reports, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = (await reports.file(detention(cedula=None))).receipt_code
    fresh = "0034567812345678"
    codes: Iterator[int] = iter((int(taken), int(fresh)))
    monkeypatch.setattr("domain.receipts.secrets.randbelow", lambda _: next(codes))
    filed = await reports.file(detention(cedula=None))
    assert filed.outcome is FileOutcome.CREATED and filed.receipt_code == fresh


async def test_receipt_codes_are_found_with_spaces_or_dashes(reports: Reports) -> None:
    filed = await reports.file(detention())
    spaced = format_receipt(filed.receipt_code)
    for typed in (filed.receipt_code, spaced, spaced.replace(" ", "-")):
        found = await reports.by_receipt(typed)
        assert found is not None and found.id == filed.report.id
    assert await reports.by_receipt("0000 0000 0000 0000") is None
    assert await reports.by_receipt("not a code") is None


async def test_evidence_is_stored_in_the_same_transaction(reports: Reports) -> None:
    bad = Evidence(file_id="file-2", media_type=None)  # type: ignore[arg-type]
    with pytest.raises(aiosqlite.IntegrityError):
        await reports.file(detention(evidence=(Evidence("file-1", "photo", 10), bad)))
    assert await reports.for_reporter(CHAT) == []


async def test_filing_queues_its_statements_in_order_inside_one_transaction(
    db: Database, reports: Reports, blocks: Blocks
) -> None:
    """BEGIN travels with the reads and the evidence with its report: order is all."""
    executed: list[str] = []
    await db.connection.set_trace_callback(executed.append)
    photos = (Evidence("file-1", "photo", 10), Evidence("file-2", "photo", 20))
    filed = await reports.file(detention(evidence=photos), blocks.screen(CHAT))
    filing = list(executed)
    assert [" ".join(sql.split()[:3]) for sql in filing] == [
        "BEGIN IMMEDIATE",
        "SELECT (SELECT id",
        "SELECT (SELECT COALESCE(MAX(id),",
        "SELECT (SELECT MAX((SELECT",
        "INSERT INTO reports",
        "INSERT INTO report_evidence",
        "INSERT INTO report_evidence",
        "INSERT INTO report_counts",
        "COMMIT",
    ]
    stored = await reports.by_id(filed.report.id)
    assert stored is not None and stored.evidence == filed.report.evidence
    assert [item.file_id for item in stored.evidence] == ["file-1", "file-2"]
    assert filed.standing == Standing(reports_today=0, blocked=False, auto_wipe=False)


async def test_two_confirms_at_once_cannot_both_pass_the_daily_cap(
    reports: Reports, blocks: Blocks
) -> None:
    """The cap is read inside the filing transaction, not before it."""
    filings = await asyncio.gather(
        reports.file(detention(cedula="V1"), blocks.screen(CHAT)),
        reports.file(detention(cedula="V2"), blocks.screen(CHAT)),
        return_exceptions=True,
    )
    assert sum(isinstance(result, Filed) for result in filings) == DAILY_CAP
    assert sum(isinstance(result, OverDailyCap) for result in filings) == 1
    assert len(await reports.for_reporter(CHAT)) == DAILY_CAP


async def test_a_screened_filing_of_a_blocked_chat_is_quarantined(
    reports: Reports, blocks: Blocks
) -> None:
    await blocks.block(CHAT, blocked_by=1)
    filed = await reports.file(detention(), blocks.screen(CHAT))
    assert filed.report.quarantined and filed.standing is not None and filed.standing.blocked
    assert not (await reports.file(detention(reporter_chat_id=CHAT + 1))).report.quarantined


async def test_only_the_filing_chat_is_the_reporter(reports: Reports) -> None:
    filed = await reports.file(detention())
    assert await reports.is_reporter(filed.report.id, CHAT)
    assert not await reports.is_reporter(filed.report.id, CHAT + 1)
    assert await reports.reporter_chat(filed.report.id) == CHAT
    assert await reports.filed_from_draft(detention().draft_token, CHAT) is False


async def test_a_news_report_names_the_person_of_its_parent(reports: Reports) -> None:
    parent = await reports.file(detention())
    news = await reports.file(
        detention(
            kind=ReportKind.UPDATE,
            person_name=None,
            cedula=None,
            parent_report_id=parent.report.id,
            details={"news_kind": "health", "text": "Needs medicine"},
        )
    )
    assert news.report.person_name == "Ana Pérez" and news.report.cedula == "V12345678"
    assert news.report.details["text"] == "Needs medicine"


async def test_persistence_round_trips_sealed_conversations_and_user_data(
    db: Database, cipher: FieldCipher, clock: SettableClock, tmp_path: Path
) -> None:
    writer = SQLitePersistence(db, cipher, clock)
    await writer.update_user_data(7, {"intake_draft": {"person_name": "Ana Pérez"}})
    await writer.update_conversation("intake_detention", (7, 7), "state_xyz")
    await writer.flush()
    reader = SQLitePersistence(db, cipher, clock)
    assert await reader.get_user_data() == {7: {"intake_draft": {"person_name": "Ana Pérez"}}}
    assert await reader.get_conversations("intake_detention") == {(7, 7): "state_xyz"}
    assert await reader.get_conversations("intake_release") == {}
    raw = (tmp_path / "vigia.db").read_bytes()
    wal = tmp_path / "vigia.db-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert "Ana Pérez".encode() not in raw and b"state_xyz" not in raw


async def test_persistence_forgets_ended_conversations_and_dropped_users(
    db: Database, cipher: FieldCipher, clock: SettableClock
) -> None:
    persistence = SQLitePersistence(db, cipher, clock)
    await persistence.update_user_data(7, {"x": 1})
    await persistence.update_conversation("intake_detention", (7, 7), "name")
    await persistence.flush()
    await persistence.drop_user_data(7)
    await persistence.update_conversation("intake_detention", (7, 7), None)
    await persistence.flush()
    assert await persistence.get_user_data() == {}
    assert await persistence.get_conversations("intake_detention") == {}
