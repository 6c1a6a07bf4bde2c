"""While the bot keeps running, what /olvidarme and retention removed is gone from the
bytes of vigia.db and vigia.db-wal: a disk seized an hour later shows none of it."""

from __future__ import annotations

import datetime as dt

from fake_telegram import FakeUser
from storage.database import JOURNAL_SIZE_LIMIT
from tests.hardening.files import lingering, raw_bytes, stored_secrets
from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, reports_of

DAYS = dt.timedelta(days=1)
OTHER = FakeUser(id=2102, first_name="Rosa", language_code="en")


async def busy_family(harness: BotHarness) -> str:
    """A family whose link, hashes and choices were written and rewritten many times,
    some already checkpointed into the main file and some still in the WAL."""
    family = harness.people.family_en
    code = await report_through_intake(harness, family, cedula="V11111111")
    await report_through_intake(harness, OTHER, name="Luisa Gómez", cedula="V22222222")
    await harness.restart()  # all of it in the main file
    for text in ("/subscribe", "/language en", f"/status {code}", "/myreports"):
        await harness.rig.send_text(family, text)
    await harness.rig.send_text(family, "/privacy")
    await harness.rig.press_button(family, "Turn automatic deletion on")
    await report_through_intake(harness, family, name="Otro Nombre", cedula="V33333333")
    await harness.services.tracker.flush()
    await harness.app.update_persistence()  # and more of it in the WAL
    return code


async def test_forget_me_leaves_nothing_in_the_live_files(harness: BotHarness) -> None:
    family = harness.people.family_en
    await busy_family(harness)
    path = harness.settings.database_path
    before = await stored_secrets(harness.services.db)
    assert path.with_name(path.name + "-wal").stat().st_size > 0

    await harness.rig.send_text(family, "/forget_me")
    await harness.rig.press_button(family, "Forget me")

    after = await stored_secrets(harness.services.db)
    removed = before - after
    assert len(removed) >= 8  # reporter links, subscription, language, privacy, ids
    assert lingering(path, removed) == []
    # The check can see what it looks for: the other family's link is in the bytes.
    data = raw_bytes(path)
    assert any(value.encode() in data for value in after)


async def test_retention_leaves_nothing_in_the_live_files(harness: BotHarness) -> None:
    code = await busy_family(harness)
    report = await reports_of(harness).by_receipt(code)
    assert report is not None
    await grant_moderator(harness)
    await harness.rig.send_text(
        harness.people.moderator, f"/reject {code.replace(' ', '')} insufficient"
    )
    await harness.app.update_persistence()
    path = harness.settings.database_path
    before = await stored_secrets(harness.services.db)

    harness.clock.advance(200 * DAYS)
    await harness.run_jobs()

    removed = before - await stored_secrets(harness.services.db)
    assert removed
    assert lingering(path, removed) == []


async def test_the_write_ahead_log_is_bounded(harness: BotHarness) -> None:
    row = await harness.services.db.fetch_one("PRAGMA journal_size_limit")
    assert row is not None and 0 < int(row[0]) <= JOURNAL_SIZE_LIMIT
