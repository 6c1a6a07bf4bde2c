"""What /olvidarme and retention remove is gone from the database file's bytes too.

SQLite normally only marks deleted rows free, so a seized file would still hold the
ciphertexts and hashes that linked a chat to its reports; `secure_delete` zeroes them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fake_telegram import FakeUser
from storage.database import Database
from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, reports_of

DAYS = dt.timedelta(days=1)
OTHER = FakeUser(id=2102, first_name="Rosa", language_code="en")
# A sealed value ("v2:base64") or an HMAC (64 hex digits).
SECRET_SHAPE = re.compile(r"^(?:v2:[A-Za-z0-9_=-]{20,}|[0-9a-f]{64})$")


async def stored_secrets(path: Path) -> set[str]:
    """Every ciphertext and hash the database holds, read through SQL."""
    db = Database(path)
    await db.connect()
    try:
        found: set[str] = set()
        tables = await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for table in tables:
            for row in await db.fetch_all(f'SELECT * FROM "{table["name"]}"'):  # noqa: S608
                found |= {v for v in tuple(row) if isinstance(v, str) and SECRET_SHAPE.match(v)}
        return found
    finally:
        await db.close()


def raw_bytes(path: Path) -> bytes:
    """The file as a seized disk shows it, with any write-ahead log beside it."""
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


async def removed_and_kept(harness: BotHarness, before: set[str]) -> tuple[list[str], set[str]]:
    path = harness.settings.database_path
    after = await stored_secrets(path)
    data = raw_bytes(path)
    lingering = [value for value in before - after if value.encode() in data]
    return lingering, after


async def test_forgotten_links_leave_no_bytes_behind(harness: BotHarness) -> None:
    family = harness.people.family_en
    await report_through_intake(harness, family, cedula="V11111111")
    await report_through_intake(harness, OTHER, name="Luisa Gómez", cedula="V22222222")
    for text in ("/subscribe", "/language en"):
        await harness.rig.send_text(family, text)
    await harness.rig.send_text(family, "/privacy")
    await harness.rig.press_button(family, "Turn automatic deletion on")
    await harness.restart()  # everything, drafts and tracked ids included, on disk
    path = harness.settings.database_path
    await harness.stop()
    before = await stored_secrets(path)
    await harness.start()

    await harness.rig.send_text(family, "/forget_me")
    await harness.rig.press_button(family, "Forget me")
    await harness.stop()

    lingering, after = await removed_and_kept(harness, before)
    assert len(before - after) >= 8  # reporter link, subscription, language, privacy, ids
    assert lingering == []
    # The test can see what it looks for: the other family's link is still in the bytes.
    data = raw_bytes(path)
    assert any(value.encode() in data for value in after)
    await harness.start()


async def test_retention_leaves_no_bytes_behind(harness: BotHarness) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family, cedula="V11111111")
    report = await reports_of(harness).by_receipt(code)
    assert report is not None
    await grant_moderator(harness)
    async with harness.services.db.transaction() as conn:
        await harness.services.followups.add_question(conn, report.id, "Which police station?")
    await harness.rig.send_text(
        harness.people.moderator, f"/reject {code.replace(' ', '')} insufficient"
    )
    await harness.rig.send_text(harness.people.family_es, "/report")  # an unfinished draft
    await harness.rig.press_button(harness.people.family_es, "📝 Una detención")
    await harness.rig.send_text(harness.people.family_es, "Alguien Más")
    path = harness.settings.database_path
    await harness.stop()
    before = await stored_secrets(path)
    await harness.start()

    harness.clock.advance(200 * DAYS)
    await harness.run_jobs()
    await harness.stop()

    lingering, after = await removed_and_kept(harness, before)
    assert len(before - after) >= 4  # reporter link, follow-up thread, draft
    assert lingering == []
    await harness.start()
