"""The fake Bot API's optional flood limits: Telegram's budgets, truthful 429s."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from fake_telegram import FakeRequest, FakeTelegram, TelegramLimits

ANA = 2001
BETO = 2002
GROUP = -100123


class Clock:
    """Monotonic seconds a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> FakeTelegram:
    fake = FakeTelegram()
    fake.limit(TelegramLimits(), clock=clock)
    return fake


@pytest.fixture
async def bot(fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Bot]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on int retry_after otherwise
    async with Bot("123:ABC", request=FakeRequest(fake)) as bot:
        yield bot


def send(fake: FakeTelegram, chat_id: int | str, **params: object) -> int:
    """The HTTP status the fake answers a sendMessage with."""
    return fake.handle("sendMessage", {"chat_id": chat_id, "text": "hi", **params}).status


def retry_after(fake: FakeTelegram) -> object:
    error = fake.calls()[-1].error
    assert error is not None
    return error["parameters"]["retry_after"]


def test_a_private_chat_takes_a_short_burst_then_one_a_second(
    fake: FakeTelegram, clock: Clock
) -> None:
    assert [send(fake, ANA) for _ in range(3)] == [200, 200, 200]
    assert send(fake, ANA) == 429
    assert retry_after(fake) == 1
    assert send(fake, BETO) == 200  # another chat has its own budget
    clock.now += 1
    assert send(fake, ANA) == 200
    assert send(fake, ANA) == 429


def test_a_group_takes_twenty_a_minute(fake: FakeTelegram, clock: Clock) -> None:
    assert all(send(fake, GROUP) == 200 for _ in range(20))
    assert send(fake, GROUP) == 429
    # One more fits when a twentieth of the minute has drained: three seconds.
    assert retry_after(fake) == 3
    clock.now += 2.9
    assert send(fake, GROUP) == 429
    clock.now += 0.1
    assert send(fake, GROUP) == 200
    fake.register_chat(-100999, title="News", chat_type="channel", username="somechannel")
    assert all(send(fake, "@somechannel") == 200 for _ in range(20))  # a channel's own budget
    assert send(fake, "@somechannel") == 429


def test_the_whole_bot_takes_thirty_a_second(fake: FakeTelegram, clock: Clock) -> None:
    assert all(send(fake, 10_000 + index) == 200 for index in range(30))
    assert send(fake, 20_000) == 429
    assert retry_after(fake) == 1
    # Paid broadcasts have their own, larger allowance.
    assert send(fake, 20_001, allow_paid_broadcast=True) == 200
    clock.now += 0.5
    assert sum(send(fake, 30_000 + index) == 200 for index in range(30)) == 15


def test_a_refused_message_costs_nothing(fake: FakeTelegram, clock: Clock) -> None:
    for _ in range(3):
        send(fake, ANA)
    for _ in range(5):
        assert send(fake, ANA) == 429
    clock.now += 1
    assert send(fake, ANA) == 200
    assert fake.rate_limits is not None
    assert fake.rate_limits.refused == 5
    assert fake.rate_limits.refused_by_chat == {ANA: 5}


def test_only_messages_count(fake: FakeTelegram) -> None:
    for _ in range(3):
        send(fake, ANA)
    for method, params in (
        ("sendChatAction", {"chat_id": ANA, "action": "typing"}),
        ("getChat", {"chat_id": ANA}),
        ("answerCallbackQuery", {"callback_query_id": "1"}),
        ("getMe", {}),
    ):
        assert fake.handle(method, params).status == 200, method
    assert fake.handle("editMessageText", {"chat_id": ANA, "message_id": 1, "text": "x"}).status
    assert fake.calls("editMessageText")[-1].error == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


def test_without_limits_the_fake_never_refuses_for_speed(fake: FakeTelegram) -> None:
    fake.limit(None)
    assert all(send(fake, ANA) == 200 for _ in range(100))
    assert FakeTelegram().rate_limits is None


async def test_ptb_reads_the_429_as_retry_after(
    bot: Bot, fake: FakeTelegram, clock: Clock
) -> None:
    for _ in range(20):
        await bot.send_message(GROUP, "hi")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP, "hi")
    assert caught.value.retry_after == dt.timedelta(seconds=3)
    clock.now += 3
    assert (await bot.send_message(GROUP, "hi")).text == "hi"
