"""The fake Bot API's deletions follow Telegram: 48 hours, batches of 1 to 100 ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest

from fake_telegram import FakeRequest, FakeTelegram, FakeUser

ANA = FakeUser(id=2001, first_name="Ana", language_code="es")
HOUR = 3600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(clock: Clock) -> AsyncIterator[tuple[Bot, FakeTelegram]]:
    fake = FakeTelegram(clock=clock)
    fake.register_user(ANA)
    bot = Bot("123:ABC", base_url="http://anything.invalid/bot", request=FakeRequest(fake))
    async with bot:
        yield bot, fake


async def _send(bot: Bot, text: str = "hola") -> int:
    return (await bot.send_message(ANA.id, text)).message_id


async def test_each_message_records_its_date(bot: Any, clock: Clock) -> None:
    sent, fake = await bot[0].send_message(ANA.id, "hola"), bot[1]
    stored = fake.message(ANA.id, sent.message_id)
    assert stored is not None and stored.date == int(clock.now)
    assert sent.date.timestamp() == int(clock.now)


async def test_a_message_older_than_48_hours_cannot_be_deleted(bot: Any, clock: Clock) -> None:
    api, fake = bot
    old = await _send(api)
    clock.now += 48 * HOUR
    assert await api.delete_message(ANA.id, await _send(api))  # fresh one: fine
    young = await _send(api)
    clock.now += 1  # the first one is now 48 hours and one second old
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await api.delete_message(ANA.id, old)
    assert not fake.message(ANA.id, old).deleted
    assert await api.delete_message(ANA.id, young)


async def test_exactly_48_hours_old_is_still_deletable(bot: Any, clock: Clock) -> None:
    api, fake = bot
    first = await _send(api)
    clock.now += 48 * HOUR
    assert await api.delete_messages(ANA.id, [first])
    assert fake.message(ANA.id, first).deleted


async def test_one_old_message_refuses_the_whole_batch(bot: Any, clock: Clock) -> None:
    api, fake = bot
    old = await _send(api)
    clock.now += 49 * HOUR
    young = [await _send(api) for _ in range(3)]
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await api.delete_messages(ANA.id, [old, *young])
    assert not any(fake.message(ANA.id, i).deleted for i in [old, *young])
    assert await api.delete_messages(ANA.id, [*young, 999])  # missing ids are skipped
    assert all(fake.message(ANA.id, i).deleted for i in young)


async def test_deleted_messages_are_skipped_even_when_old(bot: Any, clock: Clock) -> None:
    api, _fake = bot
    gone = await _send(api)
    assert await api.delete_message(ANA.id, gone)
    clock.now += 72 * HOUR
    assert await api.delete_messages(ANA.id, [gone, await _send(api)])


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        ([], "message identifiers are not specified"),
        (list(range(1, 102)), "too many message identifiers specified"),
        ([1, 0], "invalid message identifier specified"),
        ([-3], "invalid message identifier specified"),
    ],
)
async def test_delete_messages_refuses_what_telegram_refuses(
    bot: Any, ids: list[int], error: str
) -> None:
    api, fake = bot
    await _send(api)
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await api.delete_messages(ANA.id, ids)
    assert not fake.message(ANA.id, 1).deleted


async def test_one_hundred_ids_are_accepted(bot: Any) -> None:
    api, fake = bot
    ids = [await _send(api) for _ in range(100)]
    assert await api.delete_messages(ANA.id, ids)
    assert all(fake.message(ANA.id, i).deleted for i in ids)
