"""/block, /unblock and /backup each leave an audit event, written in the same
transaction as the action; unblocking keeps the trace of the block."""

from __future__ import annotations

from tests.harness import BotHarness
from tests.safety.helpers import grant_moderator, report_through_intake, reports_of
from tests.safety.test_backup import backup_through_the_bot


async def test_block_and_unblock_are_audited_and_the_block_stays_on_record(
    harness: BotHarness,
) -> None:
    await grant_moderator(harness)
    moderator, family = harness.people.moderator, harness.people.family_en
    audit = harness.services.audit
    await harness.rig.send_text(moderator, f"/block {family.id}")
    code = await report_through_intake(harness, family)
    await harness.rig.send_text(moderator, f"/block {family.id}")  # already blocked
    await harness.rig.send_text(moderator, f"/unblock {family.id}")
    await harness.rig.send_text(moderator, f"/unblock {family.id}")  # no longer blocked

    events = await audit.events_of_type("user")
    assert [event.action for event in events] == ["user_blocked", "user_unblocked"]
    moderator_key = audit.actor_key(moderator.id)
    assert {event.actor_key for event in events} == {moderator_key}
    # Both name the same user, by a keyed hash only (never the Telegram id).
    assert {event.details["user"] for event in events} == {audit.actor_key(family.id)}
    assert str(family.id) not in repr(events)
    assert events[1].details["released"] == 1
    report = await reports_of(harness).by_receipt(code)
    assert report is not None and not report.quarantined
    assert (await audit.verify_chain()).intact


async def test_a_backup_leaves_an_audit_event(harness: BotHarness) -> None:
    before = await harness.services.audit.count()
    blob = await backup_through_the_bot(harness)
    events = await harness.services.audit.events_of_type("database")
    assert [event.action for event in events] == ["backup_taken"]
    assert events[0].actor_key == harness.services.audit.actor_key(harness.people.admin.id)
    assert events[0].details == {"bytes": len(blob)}
    assert await harness.services.audit.count() == before + 1
