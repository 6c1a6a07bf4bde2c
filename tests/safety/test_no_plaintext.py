"""No personal data in the logs (any logger, any level) or in the database file."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, verify_as_moderator

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
