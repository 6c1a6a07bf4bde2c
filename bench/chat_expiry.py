"""2c. Chat expiry: emptying many chats, and what a family waits meanwhile (issue 21).

**One pass.** `expiry_messages` tracked messages spread evenly over `expiry_chats`
private chats, all past the family expiry (each is also a message the fake Bot API
holds, so Telegram's rules apply to every `deleteMessages`). One pass of the real
expiry job (`ChatExpiry.run`, what the job queue runs every minute), with the fake's
limits and the bot's rate limiter off so the figure is the bot's work:

- the Bot API calls made, against the fewest Telegram allows (one `deleteMessages`
  per chat per 100 of its messages, Σ⌈n/100⌉): target at most 1 call per 100;
- the CPU time of the pass (process time, the in-process fake's share included),
  against a cold `/cifras` over `figures_cases` cases measured in the same run.

**Families meanwhile.** Two bots take the same families at a person's pace (the walk
of `bench.surge`) at the same time, in one event loop, the fake applying Telegram's
limits and the bots the shipped rate limiter: one runs the expiry job back to back
over a backlog of the same size, the other has nothing to expire. Target: the p99 of
every family answer within 1.5× of the quiet bot's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.apps import Running, family, services_of, vigia_bot
from bench.cache import cached_store, working_copy
from bench.config import BenchConfig
from bench.figures import cold_cifras
from bench.results import BenchResult, Target
from bench.surge import Pacing
from bench.surge_limits import Variant, paced_walk
from bench.walk import WalkError, detention_walk
from fake_telegram import TelegramLimits
from handlers.safety.expiry import EXPIRY_JOB_NAME
from services.settings import Settings
from storage.tracking import TrackedMessage

TARGET_CALLS_PER_HUNDRED = 1.0
TARGET_LATENCY_RATIO = 1.5
FIRST_CHAT = 7_000_000
# Older than the family expiry (24 hours), younger than Telegram's 48.
AGE = dt.timedelta(hours=25)
COLD_QUERIES = 5


async def seed_backlog(bot: Running, messages: int, chats: int) -> list[int]:
    """`messages` due messages over `chats` chats; each chat's count, in order."""
    services = services_of(bot)
    at = services.clock.now() - AGE
    counts = [messages // chats + (1 if index < messages % chats else 0) for index in range(chats)]
    tracked = []
    for index, count in enumerate(counts):
        chat_id = FIRST_CHAT + index
        for _ in range(count):
            stored = bot.fake.add_bot_message(chat_id, text="…")
            tracked.append(TrackedMessage(chat_id, stored.message_id, at))
    await services.tracker.store.add_many(tracked)
    return counts


async def one_pass(config: BenchConfig, database: Path) -> dict[str, Any]:
    async with vigia_bot(database) as bot:
        counts = await seed_backlog(bot, config.expiry_messages, config.expiry_chats)
        services = services_of(bot)
        start = bot.fake.call_count()
        cpu, wall = time.process_time(), time.perf_counter()
        run = await services.expiry.run(bot.app.bot, _never_busy)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        calls = [call for call in bot.fake.calls_since(start) if call.method == "deleteMessages"]
        left = sum(1 for index in range(len(counts)) if bot.fake.bot_messages(FIRST_CHAT + index))
    if run.deleted != config.expiry_messages or left:
        raise WalkError(f"expiry deleted {run.deleted} of {config.expiry_messages}")
    return {
        "calls": len(calls),
        "fewest_calls": sum(-(-count // 100) for count in counts),
        "cpu_s": cpu,
        "wall_s": wall,
        "deleted": run.deleted,
    }


async def _never_busy(_chat_id: int) -> bool:
    return False


async def cold_figures_cpu(config: BenchConfig) -> tuple[float, float]:
    """Median process time and wall time of a cold /cifras (an announcement recorded
    before each, as in bench/figures.py)."""
    store = await cached_store(config.cache_dir, cases=config.figures_cases, distinct_names=False)
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        async with vigia_bot(working_copy(store, Path(directory))) as bot:
            timings = await cold_cifras(bot, COLD_QUERIES)
    return (
        statistics.median(cpu for cpu, _ in timings),
        statistics.median(wall for _, wall in timings),
    )


async def _families(bot: Running, variant: Variant, pacing: Pacing) -> None:
    async with asyncio.TaskGroup() as group:
        for index, plan in enumerate(pacing.schedule()):
            group.create_task(paced_walk(bot, family(index), detention_walk(index), plan, variant))


async def _expiring(bot: Running, passes: list[int]) -> None:
    """The expiry job, run back to back as the job queue would if each pass overran,
    until cancelled."""
    jobs = bot.app.job_queue
    assert jobs is not None
    (job,) = jobs.get_jobs_by_name(EXPIRY_JOB_NAME)
    while True:
        passes.append(1)
        await job.run(bot.app)
        await asyncio.sleep(0.05)


async def _variant(
    name: str, database: Path, pacing: Pacing, config: BenchConfig, *, backlog: bool
) -> tuple[Variant, dict[str, int]]:
    variant = Variant(name)
    shipped = Settings.model_fields["telegram_rate_limit"].default
    async with vigia_bot(database, telegram_rate_limit=shipped) as bot:
        if backlog:
            await seed_backlog(bot, config.expiry_messages, config.expiry_chats)
        bot.fake.limit(TelegramLimits())
        start = bot.fake.call_count()
        passes: list[int] = []
        expiring = asyncio.create_task(_expiring(bot, passes)) if backlog else None
        try:
            await _families(bot, variant, pacing)
        finally:
            if expiring is not None:
                expiring.cancel()
                await asyncio.gather(expiring, return_exceptions=True)
        calls = bot.fake.calls_since(start)
        limits = bot.fake.rate_limits
    deletions = sum(1 for call in calls if call.method == "deleteMessages")
    return variant, {
        "passes_started": len(passes),
        "delete_calls": deletions,
        "refused_429": limits.refused if limits is not None else 0,
    }


async def run(config: BenchConfig) -> BenchResult:
    result = BenchResult(
        "chat_expiry",
        f"2c. Chat expiry ({config.expiry_messages:,} messages in {config.expiry_chats:,} chats)",
    )
    pacing = Pacing(
        config.expiry_families,
        config.expiry_start_window,
        config.expiry_think_min,
        config.expiry_think_max,
    )
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        root = Path(directory)
        cost = await one_pass(config, root / "pass.db")
        cold, cold_wall = await cold_figures_cpu(config)
        (quiet, quiet_counts), (busy, busy_counts) = await asyncio.gather(
            _variant("quiet", root / "quiet.db", pacing, config, backlog=False),
            _variant("expiring", root / "expiring.db", pacing, config, backlog=True),
        )
    for variant in (quiet, busy):
        if len(variant.confirms) != pacing.families:
            raise WalkError(f"{variant.name}: {len(variant.confirms)} of {pacing.families}")
    per_hundred = cost["calls"] / cost["fewest_calls"]
    result.add("deleteMessages calls", cost["calls"], "")
    result.add(
        "calls per chat per 100 messages", per_hundred, "", Target(TARGET_CALLS_PER_HUNDRED)
    )
    result.add("CPU of the pass", cost["cpu_s"] * 1000, "ms")
    result.add(f"cold /cifras CPU ({config.figures_cases:,} cases)", cold * 1000, "ms")
    result.add(f"cold /cifras wall time ({config.figures_cases:,} cases)", cold_wall * 1000, "ms")
    result.add("pass CPU vs cold /cifras CPU", cost["cpu_s"] / cold, "×")
    result.add("family answer p99, no expiry", quiet.ms(quiet.answers, 0.99), "ms")
    result.add("family answer p99, expiry running", busy.ms(busy.answers, 0.99), "ms")
    result.add(
        "p99 with expiry vs without",
        busy.ms(busy.answers, 0.99) / quiet.ms(quiet.answers, 0.99),
        "×",
        Target(TARGET_LATENCY_RATIO),
    )
    result.config = {
        **cost,
        "cold_figures_cpu_s": cold,
        "cold_figures_wall_s": cold_wall,
        "families": pacing.families,
        "start_window_s": config.expiry_start_window,
        "think_time_s": [config.expiry_think_min, config.expiry_think_max],
        "answers_per_variant": len(quiet.answers),
        "quiet": {"answer_p50_ms": quiet.ms(quiet.answers, 0.5), **quiet_counts},
        "expiring": {"answer_p50_ms": busy.ms(busy.answers, 0.5), **busy_counts},
    }
    return result
