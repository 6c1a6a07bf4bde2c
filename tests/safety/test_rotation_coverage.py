"""Key rotation covers every sealed column of every table, even when interrupted.

The list of sealed columns is read from the schema, not written here: a new `_enc`
column makes `test_every_sealed_column_survives_an_interrupted_rotation` fail until
`seed_every_sealed_column` stores a value in it, so no encrypted column goes untested.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import pytest

from domain.vocabulary import ReportKind
from fake_telegram import FakeUser
from storage.cases import EVENT_DETAILS_CONTEXT, PLACE_OTHER_CONTEXT
from storage.crypto import FieldCipher, is_legacy
from storage.database import Database
from storage.report_models import Evidence
from storage.reports import NewReport
from storage.rotation import KeyRotation
from storage.tracked_chats import KEEP
from tests.harness import NEW_KEY, TEST_KEY, BotHarness, make_settings
from tests.safety.helpers import reports_of
from tests.safety.test_rotation import Interrupted, populate
from tests.sealed_cells import plaintexts, sealed_columns, stored_values

# Someone who only ever chose a language: known nowhere else in the database.
LANGUAGE_ONLY = FakeUser(id=2301, first_name="Lia", language_code="es")


async def seed_every_sealed_column(harness: BotHarness) -> None:
    """Values in the sealed columns the bot flows of `populate` leave empty."""
    services = harness.services
    now = harness.clock.now()
    family = harness.people.family_es
    filed = await reports_of(harness).file(
        NewReport(
            kind=ReportKind.DETENTION,
            reporter_chat_id=family.id,
            reporter_language="es",
            draft_token=secrets.token_hex(8),
            person_name="Carmen Rivas",
            cedula="V7654321",
            detained_on=now.date() - dt.timedelta(days=2),
            federal_entity="miranda",
            municipality="Sucre",
            whereabouts="other",
            whereabouts_other="Fuerte Tiuna",
            circumstances="At a checkpoint",
            circumstances_voice_file_id="voice-file-1",
            relationship="Mother",
            details={"phone": "0414-5550000"},
            evidence=(Evidence(file_id="photo-file-1", media_type="photo", file_size=10),),
            contact_consent_at=now,
            publish_consent_at=now,
        )
    )
    cipher, db = services.cipher, services.db
    await db.execute(
        "UPDATE reports SET reject_note_enc = ? WHERE id = ?",
        (
            cipher.encrypt(
                "Could not confirm", context="reports.reject_note", row=filed.report.id
            ),
            filed.report.id,
        ),
    )
    case = await db.fetch_one("SELECT id FROM cases ORDER BY id LIMIT 1")
    assert case is not None, "populate verifies a report: there is a case"
    await db.execute(
        "UPDATE cases SET place_other_enc = ? WHERE id = ?",
        (cipher.encrypt("Fuerte Tiuna", context=PLACE_OTHER_CONTEXT, row=case["id"]), case["id"]),
    )
    for event in await db.fetch_all("SELECT id FROM case_events WHERE case_id = ?", (case["id"],)):
        await db.execute(
            "UPDATE case_events SET details_enc = ? WHERE id = ?",
            (
                cipher.encrypt("Seen at the gate", context=EVENT_DETAILS_CONTEXT, row=event["id"]),
                event["id"],
            ),
        )
    async with db.transaction() as conn:
        await services.followups.add_question(conn, filed.report.id, "Which gate?")
    await services.announcements.record(
        claimed_count=400,
        since=now.date(),
        source="Press release",
        recorded_by=harness.people.admin.id,
    )
    await services.broadcasts.create_draft(
        sender_id=harness.people.admin.id,
        sender_chat_id=harness.people.admin.id,
        sender_language="es",
        text_es="Liberado",
        text_en="Released",
    )
    # Someone without a role seen in the moderation group (handlers/moderation/members).
    await services.members.seen(harness.people.stranger.id, "Someone Unknown")
    # A wrong receipt guess (throttle keys) from someone sealed elsewhere (blocked).
    await harness.rig.send_text(harness.people.stranger, "/status 0000 0000 0000 0000")
    await harness.rig.send_text(LANGUAGE_ONLY, "/language en")
    # Two days later the ids of that chat's messages are gone (past 48 hours they are
    # only counted), and the user says it deleted the chat: the language row is all
    # that is left of this user.
    await services.tracker.flush()
    harness.clock.advance(dt.timedelta(hours=49))
    await services.tracker.store.strand_expired()
    await services.expiry.chats.clear_left(LANGUAGE_ONLY.id)
    await harness.rig.send_text(family, "/help")  # someone else's fresh tracked ids
    await services.tracker.flush()
    await services.expiry.chats.set_choice(family.id, KEEP)  # a chat's own expiry
    await services.case_import.hold(harness.people.admin.id, "import-file-1")
    # Conversation data the bot keeps per user (saved by the persistence on shutdown).
    harness.app.user_data[family.id]["hint"] = "x"


async def test_every_sealed_column_survives_an_interrupted_rotation(
    harness: BotHarness, tmp_path: Path
) -> None:
    await populate(harness)
    await seed_every_sealed_column(harness)
    await harness.stop()
    db = Database(harness.settings.database_path)
    await db.connect()
    try:
        await rotate_and_compare(harness, db)
    finally:
        await db.close()

    rotated = BotHarness(make_settings(tmp_path, encryption_key=NEW_KEY), harness.clock)
    await rotated.start()
    try:
        assert await rotated.services.prefs.language(LANGUAGE_ONLY.id) == "en"
        assert await rotated.services.prefs.language(harness.people.family_en.id) == "en"
        await rotated.rig.send_text(LANGUAGE_ONLY, "/help")
        assert "/wipe" in rotated.fake.last_text(LANGUAGE_ONLY.id)
        assert (
            await rotated.services.case_import.pending_file(
                next(iter(await pending_tokens(rotated))), harness.people.admin.id
            )
            == "import-file-1"
        )
    finally:
        await rotated.stop()


async def rotate_and_compare(harness: BotHarness, db: Database) -> None:
    """Every sealed column is seeded; rotate with two crashes; compare every value."""
    columns = await sealed_columns(db)
    empty = []
    for column in columns:
        row = await db.fetch_one(
            f'SELECT COUNT(*) FROM "{column.table}" WHERE "{column.name}" IS NOT NULL'  # noqa: S608
        )
        if row is None or row[0] == 0:
            empty.append(column.qualified)
    assert empty == [], f"seed_every_sealed_column stores nothing in {empty}: add a value"
    old = FieldCipher(TEST_KEY)
    before = await plaintexts(db, old, columns)
    counts = {
        str(t["name"]): (await db.fetch_one(f'SELECT COUNT(*) FROM "{t["name"]}"'))[0]  # type: ignore[index]  # noqa: S608
        for t in await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    }

    rotating = FieldCipher(NEW_KEY, (TEST_KEY,))
    known = harness.settings.admin_ids
    for crash_at in (5, 15):
        seen = 0

        def crash() -> None:
            nonlocal seen
            seen += 1
            if seen > crash_at:  # noqa: B023 - read at call time on purpose
                raise Interrupted

        with pytest.raises(Interrupted):
            await KeyRotation(db, rotating, batch_rows=3, known_ids=known).run(after_row=crash)
    report = await KeyRotation(db, rotating, batch_rows=3, known_ids=known).run()
    assert report.unmatched_hashes == {}
    assert report.kept_hashes == {}
    assert report.duplicates_dropped == 0

    new_only = FieldCipher(NEW_KEY)
    assert await plaintexts(db, new_only, columns) == before
    # Every value opened above with the new key alone, for its row; none is left in
    # the format written before rows were bound.
    for column in columns:
        assert not [v for _, _, v in await stored_values(db, column) if is_legacy(v)], column
    # With the new key alone every hash is reproduced and nothing is left to do.
    final = await KeyRotation(db, new_only, known_ids=known).run()
    assert (final.values_resealed, final.hashes_recomputed) == (0, 0)
    assert final.unmatched_hashes == {} and final.kept_hashes == {}
    for table, number in counts.items():
        row = await db.fetch_one(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
        assert row is not None and row[0] == number, table


async def pending_tokens(harness: BotHarness) -> list[str]:
    rows = await harness.services.db.fetch_all("SELECT token FROM pending_imports")
    return [str(row[0]) for row in rows]


async def test_a_language_stored_before_its_id_was_sealed_survives(
    harness: BotHarness, tmp_path: Path
) -> None:
    """Rows from before migration 0009: rebuilt from ids sealed elsewhere, or on next read."""
    family = harness.people.family_en
    await harness.rig.send_text(family, "/subscribe")  # its id is sealed in subscribers
    cipher = harness.services.cipher
    for user_id in (family.id, LANGUAGE_ONLY.id):
        await harness.services.db.execute(
            "INSERT OR REPLACE INTO user_prefs (user_key, language, updated_at, user_id_enc)"
            " VALUES (?, 'en', ?, NULL)",
            (cipher.lookup_hash(user_id, purpose="user"), harness.clock.now_iso()),
        )
    await harness.stop()
    db = Database(harness.settings.database_path)
    await db.connect()
    report = await KeyRotation(db, FieldCipher(NEW_KEY, (TEST_KEY,))).run()
    # The family's row is rebuilt from its sealed subscriber id; the other one cannot be.
    assert report.kept_hashes == {"user_prefs.user_key": 1}
    await db.close()

    settings = make_settings(tmp_path, encryption_key=NEW_KEY, encryption_old_keys=(TEST_KEY,))
    rotated = BotHarness(settings, harness.clock)
    await rotated.start()
    try:
        prefs = rotated.services.prefs
        assert await prefs.language(family.id) == "en"
        # Still found under the old key, and rewritten under the new one with its id.
        assert await prefs.language(LANGUAGE_ONLY.id) == "en"
        row = await rotated.services.db.fetch_one(
            "SELECT user_key, user_id_enc FROM user_prefs WHERE user_key = ?",
            (prefs.user_key(LANGUAGE_ONLY.id),),
        )
        assert row is not None and row["user_id_enc"] is not None
        left = await rotated.services.db.fetch_one("SELECT COUNT(*) FROM user_prefs")
        assert left is not None and left[0] == 2
    finally:
        await rotated.stop()
