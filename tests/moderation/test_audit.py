"""The audit trail: every action leaves a hash-chained row nobody can quietly rewrite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say

# The desk's staff were granted through /grant: those are the trail's first events.
GRANTS = 3


async def _three_actions(harness: BotHarness) -> int:
    """Three more events, numbered GRANTS + 1 to GRANTS + 3."""
    report = await file_report(harness, name="Rosa Peña")
    mod = harness.people.moderator
    await say(harness, mod, f"/take #{report.id}")
    await say(harness, mod, f"/needinfo #{report.id} ¿Dónde vive Rosa Peña?")
    await say(harness, mod, f"/reject #{report.id} insufficient nota sobre Rosa Peña")
    return report.id


def _tamper(path: Path, sql: str, params: tuple[object, ...]) -> None:
    """Someone with the database file: drops the triggers, edits, puts them back."""
    with sqlite3.connect(path) as raw:
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name = 'audit_events'"
        ).fetchall()
        for name, _ in triggers:
            raw.execute(f'DROP TRIGGER "{name}"')
        raw.execute(sql, params)
        for _, create in triggers:
            raw.execute(create)


async def test_every_action_records_actor_states_and_time(private_desk: BotHarness) -> None:
    report_id = await _three_actions(private_desk)
    events = await private_desk.services.audit.events_for("report", report_id)
    assert [(e.action, e.state_before, e.state_after) for e in events] == [
        ("take", "received", "in_review"),
        ("needs_info", "in_review", "needs_info"),
        ("reject", "needs_info", "rejected"),
    ]
    actor = private_desk.services.audit.actor_key(private_desk.people.moderator.id)
    assert {e.actor_key for e in events} == {actor}
    assert events[-1].at == private_desk.clock.now()
    assert events[-1].details == {"reason": "insufficient"}


async def test_the_trail_holds_no_personal_data(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    with sqlite3.connect(private_desk.settings.database_path) as raw:
        dump = "\n".join(str(row) for row in raw.execute("SELECT * FROM audit_events"))
    assert "Rosa" not in dump
    assert str(private_desk.people.moderator.id) not in dump


async def test_audit_reports_an_intact_chain(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    sent = await say(private_desk, private_desk.people.moderator, "/audit")
    assert sent == "✅ El registro de auditoría está intacto: 6 eventos revisados."


async def test_a_row_edited_in_the_file_is_found(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    _tamper(
        private_desk.settings.database_path,
        "UPDATE audit_events SET state_after = 'verified' WHERE id = ?",
        (GRANTS + 3,),
    )
    check = await private_desk.services.audit.verify_chain()
    assert check.first_broken == GRANTS + 3
    sent = await say(private_desk, private_desk.people.moderator, "/audit")
    assert f"roto en el evento {GRANTS + 3}" in sent


async def test_a_row_deleted_from_the_file_breaks_the_next_link(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    _tamper(
        private_desk.settings.database_path,
        "DELETE FROM audit_events WHERE id = ?",
        (GRANTS + 2,),
    )
    check = await private_desk.services.audit.verify_chain()
    assert check.first_broken == GRANTS + 3


async def test_a_rehashed_row_still_breaks_the_chain_at_the_next_one(
    private_desk: BotHarness,
) -> None:
    """Recomputing the edited row's own hash is not enough: the next row points back."""
    await _three_actions(private_desk)
    _tamper(
        private_desk.settings.database_path,
        "UPDATE audit_events SET action = 'verify', row_hash = ? WHERE id = ?",
        ("f" * 64, GRANTS + 2),
    )
    check = await private_desk.services.audit.verify_chain()
    assert check.first_broken == GRANTS + 2


async def test_the_table_refuses_updates_and_deletes(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    with sqlite3.connect(private_desk.settings.database_path) as raw:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE audit_events SET action = 'x' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM audit_events WHERE id = 1")


async def test_history_lists_a_reports_actions(private_desk: BotHarness) -> None:
    report_id = await _three_actions(private_desk)
    sent = await say(private_desk, private_desk.people.moderator2, f"/history #{report_id}")
    lines = sent.splitlines()
    assert lines[0] == f"<b>History of #{report_id}</b>"
    assert len(lines) == 4
    assert "taken" in lines[1] and "rejected" in lines[3]


async def test_history_of_a_case_includes_its_verification(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    await say(private_desk, private_desk.people.moderator, f"/verify #{report.id}")
    await say(private_desk, private_desk.people.moderator, "/housearrest C1 hoy")
    sent = await say(private_desk, private_desk.people.moderator, "/historial C1")
    assert "verificado" in sent and "arresto domiciliario" in sent
    assert sent.count("· tú") == 2


async def test_a_middle_row_edited_is_reported_by_audit(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    _tamper(
        private_desk.settings.database_path,
        "UPDATE audit_events SET action = 'verify' WHERE id = ?",
        (GRANTS + 2,),
    )
    sent = await say(private_desk, private_desk.people.moderator2, "/audit")
    assert sent.startswith(f"🚨 The audit trail is broken at event {GRANTS + 2}"), sent


async def test_the_last_row_deleted_is_reported_as_a_cut_tail(private_desk: BotHarness) -> None:
    """What is left still links up: only the separately kept head shows the loss."""
    await _three_actions(private_desk)
    last = GRANTS + 3
    _tamper(private_desk.settings.database_path, "DELETE FROM audit_events WHERE id = ?", (last,))
    check = await private_desk.services.audit.verify_chain()
    assert (check.first_broken, check.rows, check.missing_tail) == (None, last - 1, 1)
    assert not check.intact
    sent = await say(private_desk, private_desk.people.moderator, "/audit")
    assert sent.startswith("🚨 El registro de auditoría quedó incompleto"), sent
    assert f"falta 1 evento registrado después del evento {last - 1}" in sent
    sent = await say(private_desk, private_desk.people.moderator2, "/audit")
    assert f"1 event recorded after event {last - 1} is missing" in sent


async def test_the_whole_tail_deleted_is_reported_too(private_desk: BotHarness) -> None:
    await _three_actions(private_desk)
    _tamper(private_desk.settings.database_path, "DELETE FROM audit_events", ())
    check = await private_desk.services.audit.verify_chain()
    assert (check.rows, check.missing_tail) == (0, GRANTS + 3)


async def test_a_cut_tail_with_new_rows_after_it_is_still_found(private_desk: BotHarness) -> None:
    """Deleting the last row and letting the bot append again: the count stays short."""
    await _three_actions(private_desk)
    _tamper(
        private_desk.settings.database_path,
        "DELETE FROM audit_events WHERE id = ?",
        (GRANTS + 3,),
    )
    report = await file_report(private_desk, name="Otra Persona")
    await say(private_desk, private_desk.people.moderator, f"/take #{report.id}")
    check = await private_desk.services.audit.verify_chain()
    assert check.first_broken is None and not check.intact


async def test_the_head_cannot_be_rewound_or_deleted_through_sql(
    private_desk: BotHarness,
) -> None:
    await _three_actions(private_desk)
    with sqlite3.connect(private_desk.settings.database_path) as raw:
        with pytest.raises(sqlite3.IntegrityError, match="audit_head"):
            raw.execute("UPDATE audit_head SET event_count = 2, last_id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="audit_head"):
            raw.execute("DELETE FROM audit_head")
        with pytest.raises(sqlite3.IntegrityError, match="audit_head"):
            raw.execute("INSERT INTO audit_head (id, event_count) VALUES (2, 0)")
    check = await private_desk.services.audit.verify_chain()
    assert check.intact and check.rows == GRANTS + 3


async def test_an_empty_trail_is_intact(harness: BotHarness) -> None:
    check = await harness.services.audit.verify_chain()
    assert check.intact and check.rows == 0
