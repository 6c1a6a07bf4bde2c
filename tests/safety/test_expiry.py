"""Rolling chat expiry: every message of a private chat goes once older than its expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram.error import BadRequest

from fake_telegram import FakeUser
from handlers.safety.expiry import EXPIRY_JOB_NAME
from storage.roles import Role
from tests.harness import BotHarness
from tests.roles import grant
from tests.safety.helpers import count, report_through_intake, visible_ids

NAME = "Pedro Pérez"
CEDULA_DIGITS = "12345678"


async def run_expiry(harness: BotHarness) -> None:
    """One pass of the expiry job, as the job queue runs it every minute."""
    jobs = harness.app.job_queue
    assert jobs is not None
    (job,) = jobs.get_jobs_by_name(EXPIRY_JOB_NAME)
    await job.run(harness.app)


def sent_since(harness: BotHarness, cursor: int, chat_id: int) -> list[str]:
    """Texts of every message-creating call to `chat_id` after `cursor`."""
    return [
        str(call.params.get("text") or call.params.get("caption") or "")
        for call in harness.fake.calls_since(cursor)
        if call.chat_id == chat_id and call.method.startswith(("send", "copy", "forward"))
    ]


async def choose(harness: BotHarness, user: FakeUser, *labels: str) -> None:
    await harness.rig.send_text(user, "/privacy")
    for label in labels:
        await harness.rig.press_button(user, label)


async def test_a_family_that_ignores_every_offer_finds_its_chat_empty_after_a_day(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family, name=NAME)
    everything = {m.message_id for m in harness.fake.messages(family.id)}
    assert len(everything) > 20  # the whole intake: questions, answers, receipt, offers

    harness.clock.advance(dt.timedelta(hours=23, minutes=58))
    await run_expiry(harness)
    assert not any(m.deleted for m in harness.fake.messages(family.id))

    harness.clock.advance(dt.timedelta(minutes=3))
    cursor = harness.fake.call_count()
    await run_expiry(harness)
    assert all(m.deleted for m in harness.fake.messages(family.id))
    assert visible_ids(harness, family.id) == []
    deleted = {i for c in harness.fake.calls("deleteMessages") for i in c.params["message_ids"]}
    assert everything <= deleted
    # Nothing sent afterwards names the case: in fact nothing is sent at all.
    assert sent_since(harness, cursor, family.id) == []
    assert await count(harness, "SELECT COUNT(*) FROM tracked_messages") == 0
    assert code and NAME  # what would have named the case


async def test_deletions_go_in_batches_of_at_most_one_hundred_ids(harness: BotHarness) -> None:
    family = harness.people.family_es
    for index in range(130):
        harness.clock.advance(dt.timedelta(seconds=2))  # slower than the flood gate
        await harness.rig.send_text(family, f"mensaje {index}")
    harness.clock.advance(dt.timedelta(days=1, minutes=1))
    await run_expiry(harness)
    sizes = [len(call.params["message_ids"]) for call in harness.fake.calls("deleteMessages")]
    assert sizes == [100, 100, 60]  # 130 messages and the bot's 130 answers
    assert visible_ids(harness, family.id) == []


async def test_a_moderator_who_opened_a_case_in_private_finds_the_chat_empty_at_the_staff_expiry(
    harness: BotHarness,
) -> None:
    family, moderator = harness.people.family_en, harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    code = await report_through_intake(harness, family, name=NAME)
    harness.clock.advance(dt.timedelta(minutes=1))
    await harness.rig.send_text(moderator, f"/caso {code}")
    assert any(NAME in m.body for m in harness.fake.bot_messages(moderator.id))
    opened = {m.message_id for m in harness.fake.messages(moderator.id)}

    harness.clock.advance(dt.timedelta(hours=11, minutes=58))
    await run_expiry(harness)
    assert not any(m.deleted for m in harness.fake.messages(moderator.id))

    harness.clock.advance(dt.timedelta(minutes=3))
    cursor = harness.fake.call_count()
    await run_expiry(harness)
    assert all(m.deleted for m in harness.fake.messages(moderator.id))
    assert opened
    assert sent_since(harness, cursor, moderator.id) == []
    # The family's chat (24 hours) is not due yet.
    assert visible_ids(harness, family.id)


async def test_a_chat_whose_family_chose_to_keep_it_is_never_touched(harness: BotHarness) -> None:
    family = harness.people.family_en
    await choose(harness, family, "Keep my chat")
    warning = harness.fake.last_text(family.id, plain=True)
    assert "After 48 hours Telegram no longer lets me delete anything" in warning
    await harness.rig.press_button(family, "Yes, keep my chat")
    await report_through_intake(harness, family)
    receipt = next(m for m in harness.fake.messages(family.id) if "Your receipt" in m.body)
    assert "disappears" not in receipt.body
    before = len(harness.fake.messages(family.id))

    for hours in (2, 30, 47, 49):
        harness.clock.set(harness.clock.now() + dt.timedelta(hours=hours - 1))
        await run_expiry(harness)
    assert not any(m.deleted for m in harness.fake.messages(family.id))
    assert not harness.fake.calls("deleteMessages", chat_id=family.id)
    assert await harness.services.expiry.chats.left_count(family.id) == before


async def test_after_49_hours_wipe_says_exactly_how_many_messages_remain_and_how_to_remove_them(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await choose(harness, family, "Conservar mi chat", "Sí, conservar mi chat")
    await harness.rig.send_text(family, "/start")
    old = [m.message_id for m in harness.fake.messages(family.id)]
    harness.clock.advance(dt.timedelta(hours=49))
    # Telegram refuses them now: the fake applies its 48-hour rule.
    with pytest.raises(BadRequest, match="can't be deleted"):
        await harness.app.bot.delete_messages(family.id, old)
    await harness.rig.send_text(family, "/borrar")
    await harness.rig.press_button(family, "🧹 Sí, borrar")
    notice = harness.fake.last_text(family.id, plain=True)
    assert f"{len(old)} mensajes de este chat siguen en este teléfono" in notice
    assert "«Eliminar chat»" in notice and "Android" in notice and "iPhone" in notice
    assert "Autoeliminar" in notice and "vista previa" in notice
    assert "Listo" not in notice
    assert sorted(visible_ids(harness, family.id)) == sorted(
        [*old, harness.fake.last_bot_message(family.id).message_id]
    )
    # The old ids were known to be too old: no call named them.
    named = {
        i for c in harness.fake.calls("deleteMessages") if c.ok for i in c.params["message_ids"]
    }
    assert named and named.isdisjoint(old)


async def test_ids_telegram_refuses_are_counted_not_reported_as_deleted(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await choose(harness, family, "Keep my chat", "Yes, keep my chat")
    old = [m.message_id for m in harness.fake.messages(family.id)]
    harness.clock.advance(dt.timedelta(hours=47, minutes=55))
    await harness.rig.send_text(family, "/help")
    young = [m.message_id for m in harness.fake.messages(family.id) if m.message_id not in old]
    # The server's clock runs ten minutes behind Telegram's: the bot still believes the
    # first messages deletable, and Telegram refuses them.
    real = harness.fake.clock
    harness.fake.clock = lambda: real() + 600
    await harness.rig.send_text(family, "/wipe")
    await harness.rig.press_button(family, "🧹 Yes, delete")
    refused = [c for c in harness.fake.calls("deleteMessages") if not c.ok]
    assert refused and "message can't be deleted" in str(refused[0].error)
    messages = {m.message_id: m for m in harness.fake.messages(family.id)}
    assert all(not messages[i].deleted for i in old)
    assert all(messages[i].deleted for i in young)
    notice = harness.fake.last_text(family.id, plain=True)
    assert f"{len(old)} messages of this chat are still on this phone" in notice


async def test_a_restart_between_sending_and_expiry_loses_no_id(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/start")
    await harness.rig.send_text(family, "/ayuda")
    assert harness.services.tracker.pending  # not yet in the database
    await harness.restart()
    harness.clock.advance(dt.timedelta(hours=24, minutes=1))
    await run_expiry(harness)
    assert visible_ids(harness, family.id) == []


async def test_a_report_being_told_is_not_cut_and_goes_once_it_ends(harness: BotHarness) -> None:
    family = harness.people.family_en
    await choose(harness, family, "1 hour")
    await harness.rig.send_text(family, "/report")
    await harness.rig.press_button(family, "📝 A detention")
    asked = {m.message_id for m in harness.fake.messages(family.id)}
    # The family answers slowly: twenty minutes a question, never thirty.
    for answer in ("Pedro Pérez", "V-12.345.678"):
        harness.clock.advance(dt.timedelta(minutes=20))
        await harness.rig.send_text(family, answer)
    harness.clock.advance(dt.timedelta(minutes=25))
    await run_expiry(harness)
    assert not any(m.deleted for m in harness.fake.messages(family.id))

    await harness.rig.send_text(family, "/cancel")
    harness.clock.advance(dt.timedelta(minutes=1))
    await run_expiry(harness)
    messages = {m.message_id: m for m in harness.fake.messages(family.id)}
    assert all(messages[i].deleted for i in asked)  # over an hour old: gone
    assert not messages[max(messages)].deleted  # the answer to /cancel is not


async def test_a_chat_that_owes_an_answer_is_left_alone_meanwhile(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/start")
    harness.clock.advance(dt.timedelta(hours=23, minutes=45))
    await harness.rig.send_text(family, "/estado")
    harness.clock.advance(dt.timedelta(minutes=20))
    await run_expiry(harness)
    assert not any(m.deleted for m in harness.fake.messages(family.id))
    harness.clock.advance(dt.timedelta(minutes=11))
    await run_expiry(harness)
    first = min(m.message_id for m in harness.fake.messages(family.id))
    assert harness.fake.message(family.id, first).deleted  # type: ignore[union-attr]


async def test_choosing_one_hour_deletes_older_messages_at_the_next_pass(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    await harness.rig.send_text(family, "/start")
    first = {m.message_id for m in harness.fake.messages(family.id)}
    harness.clock.advance(dt.timedelta(hours=2))
    await choose(harness, family, "1 hour")
    screen = harness.fake.last_text(family.id, plain=True)
    assert "disappear from this chat 1 hour after they were sent" in screen
    await run_expiry(harness)
    messages = {m.message_id: m for m in harness.fake.messages(family.id)}
    assert all(messages[i].deleted for i in first)
    assert any(not m.deleted for m in messages.values())


async def test_the_group_is_never_touched(harness: BotHarness) -> None:
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, "/ayuda", chat_id=-100555)
    harness.clock.advance(dt.timedelta(days=1))
    await run_expiry(harness)
    assert not harness.fake.calls("deleteMessages")
