"""/borrar, /wipe: the chat's trail is deleted after a confirmation."""

from __future__ import annotations

import datetime as dt

from tests.harness import BotHarness
from tests.safety.helpers import count, visible_ids


def deleted_by_bot(harness: BotHarness, chat_id: int) -> set[int]:
    ids: set[int] = set()
    for call in harness.fake.calls("deleteMessages", chat_id=chat_id):
        ids.update(call.params["message_ids"])
    for call in harness.fake.calls("deleteMessage", chat_id=chat_id):
        ids.add(call.params["message_id"])
    return ids


async def test_wipe_asks_before_deleting_anything(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    await harness.rig.send_text(user, "/borrar")
    assert "¿Borrar de este teléfono" in harness.fake.last_text(user.id)
    assert not harness.fake.calls("deleteMessages")
    assert not harness.fake.calls("deleteMessage")


async def test_wipe_deletes_every_tracked_message_of_the_user_and_the_bot(
    harness: BotHarness,
) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    await harness.rig.send_text(user, "/ayuda")
    await harness.rig.send_text(user, "hola")
    await harness.rig.send_text(user, "/borrar")
    before = {m.message_id for m in harness.fake.messages(user.id)}
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    assert deleted_by_bot(harness, user.id) == before
    remaining = [m for m in harness.fake.messages(user.id) if not m.deleted]
    assert [m.body for m in remaining] == ["Listo."]
    assert all(
        len(call.params["message_ids"]) <= 100 for call in harness.fake.calls("deleteMessages")
    )


async def test_wipe_sends_batches_of_at_most_one_hundred(harness: BotHarness) -> None:
    user = harness.people.family_en
    for index in range(60):
        harness.clock.advance(dt.timedelta(seconds=1))  # slower than flood control
        await harness.rig.send_text(user, f"/help {index}")
    await harness.rig.send_text(user, "/wipe")
    await harness.rig.press_button(user, "🧹 Yes, delete")
    sizes = [len(call.params["message_ids"]) for call in harness.fake.calls("deleteMessages")]
    assert sizes == [100, 22]
    assert len(visible_ids(harness, user.id)) == 1


async def test_wipe_leaves_messages_older_than_48_hours_alone(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    old = {m.message_id for m in harness.fake.messages(user.id)}
    harness.clock.advance(dt.timedelta(hours=49))
    await harness.rig.send_text(user, "/ayuda")
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    assert old.isdisjoint(deleted_by_bot(harness, user.id))
    assert old <= set(visible_ids(harness, user.id))


async def test_wipe_touches_no_other_chat(harness: BotHarness) -> None:
    user, other = harness.people.family_es, harness.people.family_en
    await harness.rig.send_text(other, "/start")
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    assert all(not m.deleted for m in harness.fake.messages(other.id))
    assert not deleted_by_bot(harness, other.id)


async def test_the_neutral_notice_deletes_itself_after_a_minute(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    notice = harness.fake.last_bot_message(user.id)
    assert notice.body == "Listo."
    assert notice.reply_markup is None
    await harness.run_jobs()
    assert harness.fake.message(user.id, notice.message_id).deleted  # type: ignore[union-attr]
    assert visible_ids(harness, user.id) == []


async def test_declining_the_wipe_deletes_nothing(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "No, dejarlos")
    assert harness.fake.last_text(user.id) == "No se borró nada."
    assert deleted_by_bot(harness, user.id) == set()


async def test_wiped_messages_are_forgotten_and_the_rest_expire_after_48_hours(
    harness: BotHarness,
) -> None:
    user, other = harness.people.family_es, harness.people.family_en
    await harness.rig.send_text(other, "/start")
    await harness.rig.send_text(user, "/borrar")
    await harness.rig.press_button(user, "🧹 Sí, borrar")
    await harness.run_jobs()
    tracked = "SELECT COUNT(*) FROM tracked_messages"
    assert await count(harness, tracked) == 2  # /start and its answer in the other chat
    harness.clock.advance(dt.timedelta(hours=48, minutes=1))
    await harness.run_jobs()
    assert await count(harness, tracked) == 0


async def test_tracked_chats_are_stored_only_as_hashes_and_sealed_ids(
    harness: BotHarness,
) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/start")
    await harness.services.tracker.flush()
    rows = await harness.services.db.fetch_all(
        "SELECT chat_key, chat_id_enc FROM tracked_messages"
    )
    assert rows
    for row in rows:
        assert str(user.id) not in row["chat_key"] and str(user.id) not in row["chat_id_enc"]


async def test_messages_in_groups_are_not_tracked(harness: BotHarness) -> None:
    moderator = harness.people.moderator
    await harness.rig.send_text(moderator, "/ayuda", chat_id=-100555)
    await harness.services.tracker.flush()
    assert await count(harness, "SELECT COUNT(*) FROM tracked_messages") == 0
