"""1. Update throughput: the whole intake conversation against the echo floor.

Families walk the detention report one after another, each update awaited before the
next (one update in flight: the per-update cost, not the overlap). The echo bot gets
the same number of text updates from the same number of users. Rounds alternate
between the two, and each Vigía round is read against the echo round just before it:
a noisy neighbour that slows the machine for a while slows both sides of a pair, so
the median of the per-pair ratios is steadier than a ratio of two medians taken
seconds apart.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.apps import echo_bot, family, vigia_bot
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from bench.walk import WALK_LENGTH, WalkError, detention_walk, parse, receipt_of, step_update
from storage.clock import Clock, SettableClock

TARGET_RATIO = 2.5
# A person takes at least a second per answer; the flood gate must see that pace.
HUMAN_PACE = dt.timedelta(seconds=1)


async def vigia_round(families: int, first: int, workdir: Path) -> tuple[float, int]:
    """Seconds for `families` whole reports, and how many receipts came back."""
    clock = SettableClock(Clock().now())
    async with vigia_bot(workdir / "vigia.db", clock=clock) as bot:
        people = [family(first + index) for index in range(families)]
        started = time.perf_counter()
        for index, person in enumerate(people):
            for step in detention_walk(first + index):
                clock.advance(HUMAN_PACE)
                update = parse(step_update(bot.fake, person, step), bot.app.bot)
                await bot.app.process_update(update)
        # Writes deferred by persistence and tracking are part of the cost.
        await bot.app.update_persistence()
        elapsed = time.perf_counter() - started
        receipts = sum(1 for person in people if receipt_of(bot.fake, person.id))
    return elapsed, receipts


async def echo_round(families: int, first: int) -> float:
    async with echo_bot() as bot:
        people = [family(first + index) for index in range(families)]
        started = time.perf_counter()
        for person in people:
            for _ in range(WALK_LENGTH):
                await bot.feed_text(person, "They took him from home at dawn.")
        return time.perf_counter() - started


async def run(config: BenchConfig) -> BenchResult:
    result = BenchResult("throughput", "1. Update throughput (intake)")
    families = config.throughput_families
    updates_per_round = families * WALK_LENGTH
    vigia_times: list[float] = []
    echo_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        for round_index in range(config.throughput_rounds):
            first = round_index * families
            echo_times.append(await echo_round(families, first))
            workdir = Path(directory) / f"round{round_index}"
            workdir.mkdir()
            elapsed, receipts = await vigia_round(families, first, workdir)
            if receipts != families:
                raise WalkError(f"{families - receipts} of {families} families got no receipt")
            vigia_times.append(elapsed)
    vigia_rate = updates_per_round / statistics.median(vigia_times)
    echo_rate = updates_per_round / statistics.median(echo_times)
    pair_ratios = [vigia / echo for vigia, echo in zip(vigia_times, echo_times, strict=True)]
    result.add("Vigía", vigia_rate, "updates/s")
    result.add("echo bot (same fake API)", echo_rate, "updates/s")
    result.add(
        "per-update cost vs echo (median of pairs)",
        statistics.median(pair_ratios),
        "×",
        Target(TARGET_RATIO),
    )
    result.config = {
        "families_per_round": families,
        "updates_per_family": WALK_LENGTH,
        "rounds": config.throughput_rounds,
        "vigia_round_seconds": vigia_times,
        "echo_round_seconds": echo_times,
        "pair_ratios": pair_ratios,
    }
    return result
