"""5. Figures: `/cifras` over a million cases, through the real bot.

A cold figure is the first `/cifras` after the data changed (an official announcement
is recorded before each one, outside the timing), so the whole snapshot is computed
from SQLite; a warm one is served from the snapshot cache. The baseline is `/start`
through the same bot on the same store, the cheapest command a user can send.

Then, on the same store, what the figures would cost with the breakdown fields sealed
(bench/sealed_figures.py): the decision to keep them plain (docs/THREAT_MODEL.md)
rests on these lines.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.apps import Running, family, services_of, vigia_bot
from bench.cache import cached_store, working_copy
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from bench.sealed_figures import SAMPLE, measure
from services.container import Services

TARGET_MS = 200.0
ANNOUNCER = 900001


async def record_announcement(services: Services, query: int) -> None:
    """A change to the figures: the next /cifras is computed from SQLite, not the cache."""
    await services.announcements.record(
        claimed_count=400 + query,
        since=dt.date(2026, 1, 8),
        source="Ministerio de Interior",
        recorded_by=ANNOUNCER,
    )


async def cold_cifras(bot: Running, queries: int) -> list[tuple[float, float]]:
    """Process and wall seconds of `queries` cold /cifras, an announcement recorded
    before each (the yardstick other benchmarks read against)."""
    services = services_of(bot)
    timings = []
    for query in range(queries):
        await record_announcement(services, query)
        started, wall = time.process_time(), time.perf_counter()
        await bot.feed_text(family(query), "/cifras")
        timings.append((time.process_time() - started, time.perf_counter() - wall))
    return timings


async def timed(bot: Running, index: int, text: str) -> float:
    started = time.perf_counter()
    await bot.feed_text(family(index), text)
    return time.perf_counter() - started


async def run(config: BenchConfig) -> BenchResult:
    count = config.figures_cases
    result = BenchResult("figures", f"5. /cifras ({count:,} cases)")
    store = await cached_store(config.cache_dir, cases=count, distinct_names=False)
    cold: list[float] = []
    warm: list[float] = []
    start: list[float] = []
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        database = working_copy(store, Path(directory))
        started = time.perf_counter()
        async with vigia_bot(database) as bot:
            startup = time.perf_counter() - started
            services = services_of(bot)
            for query in range(config.figures_queries):
                await record_announcement(services, query)
                cold.append(await timed(bot, query, "/cifras"))
                warm.append(await timed(bot, 1_000 + query, "/cifras"))
                start.append(await timed(bot, 2_000 + query, "/start"))
            answered = bot.fake.last_text(family(0).id)
            await bot.feed_text(family(0), "/no_such_command")
            unknown = bot.fake.last_text(family(0).id)
        sealed = await asyncio.to_thread(measure, database, min(count, SAMPLE))
    if answered == unknown:
        raise AssertionError("/cifras is not answered: is the figures handler registered?")
    cold_median = statistics.median(cold)
    result.add("median, after a change (cold)", cold_median * 1000, "ms", Target(TARGET_MS))
    result.add("median, cached (warm)", statistics.median(warm) * 1000, "ms")
    result.add("cold vs /start", cold_median / statistics.median(start), "×")
    projected = sealed.projected(count)
    result.add(f"sealed breakdowns: each count over {count:,} cases", projected * 1000, "ms")
    result.add("sealed breakdowns: count vs cold /cifras", projected / cold_median, "×")
    result.add(
        "sealed count vs the same count in SQL",
        sealed.sealed_seconds / max(sealed.plain_seconds, 1e-9),
        "×",
    )
    result.add("sealed breakdowns: upkeep per case change", sealed.upkeep_seconds * 1e6, "µs")
    result.config = {
        "cases": count,
        "queries": len(cold),
        "cold_max_ms": max(cold) * 1000,
        "start_median_ms": statistics.median(start) * 1000,
        "bot_startup_seconds": startup,
        "sealed_sample": sealed.sample,
        "sealed_sample_ms": sealed.sealed_seconds * 1000,
        "plain_sample_ms": sealed.plain_seconds * 1000,
    }
    return result
