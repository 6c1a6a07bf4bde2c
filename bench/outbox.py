"""3. Outbox: one broadcast to every subscriber, unthrottled and at the default rate.

Unthrottled (`rate=None`, Bot API limiter off), the figure is how fast the outbox
worker empties 10,000 rows through the fake API, results written and the broadcast
finished; the baseline is bare python-telegram-bot `send_message` calls to the same
chats, 64 at a time like the worker, through the same fake, with no database. At
the default limits (BROADCAST_RATE, TELEGRAM_RATE_LIMIT as shipped) the figure is
the rate achieved over a fixed window as a share of BROADCAST_RATE.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from telegram import Bot

from bench.apps import Running, services_of, vigia_bot
from bench.cache import SUBSCRIBER_FIRST_ID, cached_store, working_copy
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from fake_telegram import FakeRequest, FakeTelegram
from services.settings import Settings
from storage.outbox import Recipient

TARGET_UNTHROTTLED = 1_000.0
TARGET_SHARE = 95.0
IN_FLIGHT = 64
SENDER_ID = 900001
TEXT_ES = "<b>Excarcelación verificada</b>: la ONG confirmó hoy 12 excarcelaciones."
TEXT_EN = "<b>Verified release</b>: the NGO confirmed 12 releases today."


async def start_broadcast(bot: Running) -> int:
    """A broadcast to every subscriber, started as the broadcaster's Confirm starts it."""
    services = services_of(bot)
    recipients = [
        Recipient(subscriber.chat_id, subscriber.language)
        async for subscriber in services.subscribers.iterate()
    ]
    broadcast_id = await services.broadcasts.create_draft(
        sender_id=SENDER_ID,
        sender_chat_id=SENDER_ID,
        sender_language="es",
        text_es=TEXT_ES,
        text_en=TEXT_EN,
    )
    await services.broadcasts.start(
        broadcast_id, recipients, sender_language="es", progress_message_id=None
    )
    return broadcast_id


def subscriber_sends(fake: FakeTelegram) -> int:
    return sum(
        1
        for call in fake.calls("sendMessage")
        if call.ok and isinstance(call.chat_id, int) and call.chat_id >= SUBSCRIBER_FIRST_ID
    )


async def unthrottled(store: Path, workdir: Path) -> tuple[float, int]:
    """(seconds until the broadcast is finished, messages delivered)."""
    async with vigia_bot(working_copy(store, workdir)) as bot:
        services = services_of(bot)
        services.outbox_worker.rate = None
        started = time.perf_counter()
        broadcast_id = await start_broadcast(bot)
        # Returns once every row has a result on disk and the broadcast is finished.
        await services.outbox_worker.drain()
        elapsed = time.perf_counter() - started
        if not (await services.outbox.broadcast_counts(broadcast_id)).finished:
            raise AssertionError("the outbox drained but the broadcast is not finished")
        return elapsed, subscriber_sends(bot.fake)


async def bare_sends(chat_ids: list[int]) -> float:
    """Seconds for PTB alone to send one message to each chat through the fake API."""
    fake = FakeTelegram()
    bot = Bot("1:offline", base_url="http://127.0.0.1:9/bot", request=FakeRequest(fake))
    limit = asyncio.Semaphore(IN_FLIGHT)

    async def send(chat_id: int) -> None:
        async with limit:
            await bot.send_message(chat_id, TEXT_ES, parse_mode="HTML", protect_content=True)

    async with bot:
        started = time.perf_counter()
        # Tasks are created in windows, never thousands at once, as the worker does.
        for index in range(0, len(chat_ids), IN_FLIGHT * 4):
            window = chat_ids[index : index + IN_FLIGHT * 4]
            await asyncio.gather(*(send(chat_id) for chat_id in window))
        return time.perf_counter() - started


async def rated(store: Path, workdir: Path, seconds: float) -> tuple[float, float]:
    """(messages per second achieved over `seconds`, the configured BROADCAST_RATE)."""
    shipped = Settings.model_fields
    async with vigia_bot(
        working_copy(store, workdir),
        telegram_rate_limit=shipped["telegram_rate_limit"].default,
        broadcast_rate=shipped["broadcast_rate"].default,
    ) as bot:
        rate = services_of(bot).outbox_worker.rate
        assert rate is not None
        await start_broadcast(bot)
        await asyncio.sleep(seconds)
        sent = subscriber_sends(bot.fake)
    return sent / seconds, rate


async def run(config: BenchConfig) -> BenchResult:
    count = config.outbox_subscribers
    result = BenchResult("outbox", f"3. Outbox ({count:,} subscribers)")
    store = await cached_store(config.cache_dir, cases=0, subscribers=count)
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        elapsed, delivered = await unthrottled(store, Path(directory) / "unthrottled")
        bare = await bare_sends([SUBSCRIBER_FIRST_ID + index for index in range(count)])
        achieved, configured = await rated(
            store, Path(directory) / "rated", config.outbox_rated_seconds
        )
    if delivered != count:
        raise AssertionError(f"the broadcast reached {delivered} of {count} subscribers")
    vigia_rate = delivered / elapsed
    bare_rate = count / bare
    result.add("unthrottled", vigia_rate, "msg/s", Target(TARGET_UNTHROTTLED, False))
    result.add("bare PTB send_message (same fake)", bare_rate, "msg/s")
    result.add("outbox vs bare PTB", 100 * vigia_rate / bare_rate, "%")
    result.add(
        f"at BROADCAST_RATE={configured:g}/s, over {config.outbox_rated_seconds:g} s",
        100 * achieved / configured,
        "%",
        Target(TARGET_SHARE, False),
    )
    result.config = {
        "subscribers": count,
        "unthrottled_seconds": elapsed,
        "bare_seconds": bare,
        "rated_window_s": config.outbox_rated_seconds,
        "rated_msgs_per_s": achieved,
        "broadcast_rate": configured,
    }
    return result
