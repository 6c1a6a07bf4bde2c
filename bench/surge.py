"""2. Surge: a thousand families filing at once, each at a person's pace.

Every family starts within the first second and walks the whole detention report;
between the bot's answer and their next message each waits a think time drawn from
[think_min, think_max] seconds (a person reading a question and typing or tapping).
Updates go through the Application's real update processor (concurrent across
chats, in order within one), exactly as `Application` itself runs them. Latency is
from the update's JSON arriving to the end of its handling, every reply sent. The
echo bot is then put through the same surge (same arrivals, same think times).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Update

from bench.apps import AnyApp, Running, echo_bot, family, services_of, vigia_bot
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from bench.stats import percentile
from bench.walk import WALK_LENGTH, Step, WalkError, detention_walk, receipt_of, step_update
from fake_telegram import FakeUser, updates

TARGET_P99_MS = 250.0
SEED = 20260112


@dataclass(slots=True)
class SurgeRun:
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


@dataclass(frozen=True, slots=True)
class Pacing:
    families: int
    start_window: float
    think_min: float
    think_max: float

    def schedule(self) -> list[tuple[float, list[float]]]:
        """Per family: start delay and the think time before each later step (seeded)."""
        draw = random.Random(SEED)
        plan = []
        for _ in range(self.families):
            start = draw.uniform(0, self.start_window)
            thinks = [draw.uniform(self.think_min, self.think_max) for _ in range(WALK_LENGTH)]
            plan.append((start, thinks))
        return plan


async def _one_update(app: AnyApp, data: dict[str, object], arrived: float, run: SurgeRun) -> None:
    update = Update.de_json(data, app.bot)
    # What `Application` does with each fetched update when updates are concurrent.
    await app.update_processor.process_update(update, app.process_update(update))
    run.latencies.append(time.perf_counter() - arrived)


async def _family(
    bot: Running,
    user: FakeUser,
    steps: tuple[Step, ...],
    start: float,
    thinks: list[float],
    run: SurgeRun,
    build: Callable[[Running, FakeUser, Step], dict[str, object]],
) -> None:
    # Latency counts from when the update was due, not from when a busy event loop got
    # round to it, or an overloaded bot would hide its own backlog (coordinated omission).
    due = time.perf_counter() + start
    await asyncio.sleep(start)
    for index, step in enumerate(steps):
        if index:
            due = time.perf_counter() + thinks[index]
            await asyncio.sleep(thinks[index])
        await _one_update(bot.app, build(bot, user, step), due, run)


def _vigia_update(bot: Running, user: FakeUser, step: Step) -> dict[str, object]:
    return step_update(bot.fake, user, step)


def _echo_update(bot: Running, user: FakeUser, step: Step) -> dict[str, object]:
    return updates.text_update(bot.fake, user, "They took him from home at dawn.")


async def surge(bot: Running, pacing: Pacing, first: int, *, echo: bool) -> SurgeRun:
    run = SurgeRun()
    people = [family(first + index) for index in range(pacing.families)]
    build = _echo_update if echo else _vigia_update
    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for index, (person, (start, thinks)) in enumerate(
            zip(people, pacing.schedule(), strict=True)
        ):
            steps = detention_walk(first + index)
            group.create_task(_family(bot, person, steps, start, thinks, run, build))
    run.wall = time.perf_counter() - started
    return run


async def run(config: BenchConfig) -> BenchResult:
    result = BenchResult("surge", f"2. Surge ({config.surge_families:,} families at once)")
    pacing = Pacing(
        config.surge_families,
        config.surge_start_window,
        config.surge_think_min,
        config.surge_think_max,
    )
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        async with vigia_bot(Path(directory) / "vigia.db") as bot:
            vigia = await surge(bot, pacing, 0, echo=False)
            await bot.app.update_persistence()
            people = [family(index) for index in range(pacing.families)]
            receipts = {receipt_of(bot.fake, person.id) for person in people}
            receipts.discard(None)
            reports = services_of(bot).reports
            stored = [len(await reports.for_reporter(person.id)) for person in people]
    if len(receipts) != pacing.families:
        raise WalkError(f"{pacing.families - len(receipts)} families got no receipt code")
    async with echo_bot() as echo_running:
        echo = await surge(echo_running, pacing, 0, echo=True)
    exactly_once = sum(1 for count in stored if count == 1)
    result.add("p50", vigia.ms(0.50), "ms")
    result.add("p95", vigia.ms(0.95), "ms")
    result.add("p99", vigia.ms(0.99), "ms", Target(TARGET_P99_MS))
    result.add("p99 vs echo bot's p99 (same surge)", vigia.ms(0.99) / echo.ms(0.99), "×")
    result.add("reports stored exactly once", exactly_once, "", Target(pacing.families, False))
    result.config = {
        "families": pacing.families,
        "updates": len(vigia.latencies),
        "steps": WALK_LENGTH,
        "start_window_s": pacing.start_window,
        "think_time_s": [pacing.think_min, pacing.think_max],
        "offered_rate_per_s": round(len(vigia.latencies) / vigia.wall, 1),
        "echo_p50_ms": echo.ms(0.50),
        "echo_p99_ms": echo.ms(0.99),
        "vigia_max_ms": max(vigia.latencies) * 1000,
        "receipts": len(receipts),
        "families_with_other_than_one_report": pacing.families - exactly_once,
    }
    return result
