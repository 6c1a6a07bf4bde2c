"""No personal data in the logs (any logger, any level) or in the database file."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest

from fake_telegram import FakeUser
from tests.hardening.files import raw_bytes
from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, verify_as_moderator
from tests.safety.test_rotation import populate
from tests.safety.test_rotation_coverage import seed_every_sealed_column
from tests.sealed_cells import open_any, sealed_columns, stored_values

FAMILY = FakeUser(
    id=7_314_159_265,
    first_name="Xiomara",
    last_name="Quintero",
    username="xio_quintero",
    language_code="en",
)
NAME = "Yusleidy Bracamonte"
CEDULA = "V-19.283.746"
STORY = "Se lo llevaron de la panadería Los Pinos"
RELATION = "Su hermana Carmencita"
SECRETS = (
    "Yusleidy",
    "Bracamonte",
    "19283746",
    "19.283.746",
    "Xiomara",
    "Quintero",
    "xio_quintero",
    str(FAMILY.id),
    "panadería",
    "Carmencita",
    "Maracay",  # the municipality report_through_intake types
)
LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore", "aiosqlite", "apscheduler", "asyncio")


async def walk_every_flow(harness: BotHarness) -> str:
    """Start, language, a whole report, status, lists, privacy, moderation, wipe, forget."""
    rig = harness.rig
    await rig.send_text(FAMILY, "/start")
    code = await report_through_intake(
        harness, FAMILY, name=NAME, cedula=CEDULA, story=STORY, relation=RELATION
    )
    for text in (f"/status {code}", "/myreports", "/subscribe", "/privacy"):
        harness.clock.advance(dt.timedelta(seconds=2))
        await rig.send_text(FAMILY, text)
    await rig.press_button(FAMILY, "🔑 Show my reports")
    await rig.send_text(FAMILY, code)
    await rig.press_button(FAMILY, "1: do not publish")
    await verify_as_moderator(harness, code)
    await grant_moderator(harness)
    await rig.send_text(harness.people.moderator, f"/case {code.replace(' ', '')}")
    await rig.send_text(harness.people.moderator, f"/block {FAMILY.id}")
    await rig.send_text(FAMILY, f"Hola, soy {NAME}, cédula {CEDULA}")
    await rig.send_text(FAMILY, "/language es")
    await rig.send_text(FAMILY, "/borrar")
    await rig.press_button(FAMILY, "🧹 Sí, borrar")
    for _ in range(25):  # a flood, while at it
        await rig.send_text(FAMILY, NAME)
    harness.clock.advance(dt.timedelta(minutes=1))
    await rig.send_text(FAMILY, "/olvidarme")
    await rig.press_button(FAMILY, "Olvídame")
    await harness.run_jobs()
    return code


async def test_the_flows_log_no_names_cedulas_chat_ids_or_texts(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in LIBRARY_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    code = await walk_every_flow(harness)
    await harness.restart()
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "Calling Bot API endpoint" in logged  # the library did log, at DEBUG
    for secret in (*SECRETS, code, code.replace(" ", "")):
        assert secret not in logged, f"{secret!r} reached the logs"


async def test_the_database_file_holds_no_names_or_cedulas_in_plaintext(
    harness: BotHarness,
) -> None:
    code = await report_through_intake(
        harness, FAMILY, name=NAME, cedula=CEDULA, story=STORY, relation=RELATION
    )
    await verify_as_moderator(harness, code)
    await harness.rig.send_text(FAMILY, f"/status {code}")
    await harness.services.tracker.flush()
    await harness.app.update_persistence()
    path: Path = harness.settings.database_path
    raw = b"".join(
        candidate.read_bytes()
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )
    assert b"SQLite format 3" in raw
    for secret in (*SECRETS, "V19283746", code.replace(" ", "")):
        assert secret.encode("utf-8") not in raw, f"{secret!r} is in the database file"


def _stands_in(plain: str, raw: bytes) -> bool:
    """Whether `plain` is in the file. A number such as a chat id (2001) also turns up
    by chance inside the file's hex digests (about one file in twenty): for digits
    only, a hit with hex characters on both sides is not counted."""
    value = plain.encode("utf-8")
    if not plain.isdigit():
        return value in raw
    bounded = (
        rb"(?<![0-9a-fA-F])" + re.escape(value) + rb"|" + re.escape(value) + rb"(?![0-9a-fA-F])"
    )
    return re.search(bounded, raw) is not None


async def test_every_sealed_column_of_the_schema_is_sealed_for_its_row(
    harness: BotHarness,
) -> None:
    """The sealed columns are read from the schema, not listed here: each one must hold
    a value after the seeding below (a new `_enc` column fails until it is seeded),
    every value is a version-2 value that opens only for its own row, and no plaintext
    of any of them is in the file's bytes."""
    await populate(harness)
    await seed_every_sealed_column(harness)
    await harness.services.tracker.flush()
    await harness.app.update_persistence()
    db, cipher = harness.services.db, harness.services.cipher
    columns = await sealed_columns(db)
    assert len(columns) >= 30
    raw = raw_bytes(harness.settings.database_path)
    empty = []
    for column in columns:
        values = await stored_values(db, column)
        if not values:
            empty.append(column.qualified)
        for _, bound, stored in values:
            assert stored.startswith("v2:"), f"{column.qualified} holds {stored[:12]!r}"
            plain = open_any(cipher, column, stored, bound)
            assert len(plain) < 4 or not _stands_in(plain, raw), column.qualified
            # Bound to its row: the same value does not open for a neighbouring key.
            other = (*bound[:-1], f"{bound[-1]}0")
            with pytest.raises(AssertionError):
                open_any(cipher, column, stored, other)
    assert empty == [], f"no value in {empty}: seed it in seed_every_sealed_column"
