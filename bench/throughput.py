"""1. Update throughput: the whole intake conversation against the echo floor.

Both bots run side by side and take turns family by family: one family walks the
whole report through Vigía, then the echo bot answers the same number of text updates
from another user, and so on. This machine's speed drifts over seconds (a noisy
neighbour), so a baseline taken a few milliseconds apart from what it measures is
the only fair one; rounds a second apart gave ratios anywhere from 1.9 to 4.2×.

One update is in flight at a time (the per-update cost, not the overlap). Each timed
span is PTB parsing the update plus `Application.process_update`; building the raw
update dict (the fake user's thumb) is left out on both sides. The processing-only
ratio leaves the parsing out too, as a bare framework floor is usually timed (the
update already parsed when the timer starts); every round's ratios are reported. Deferred writes of
persistence and the tracking flush are timed and charged to Vigía. A few families
warm both bots up first (imports, caches, SQLite's first pages).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.apps import Running, echo_bot, family, vigia_bot
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from bench.walk import WALK_LENGTH, WalkError, detention_walk, parse, receipt_of, step_update
from fake_telegram import JSONDict, updates
from storage.clock import Clock, SettableClock

TARGET_RATIO = 2.5
# A person takes at least a second per answer; the flood gate must see that pace.
HUMAN_PACE = dt.timedelta(seconds=1)
WARM_UP_FAMILIES = 5
ECHO_TEXT = "They took him from home at dawn."


@dataclass(slots=True)
class Spent:
    """Seconds spent on updates: parsing and processing, and processing alone."""

    total: float = 0.0
    processing: float = 0.0

    def add(self, other: Spent) -> None:
        self.total += other.total
        self.processing += other.processing


@dataclass(slots=True)
class Round:
    """Seconds each bot spent on the same number of updates, side by side."""

    vigia: Spent = field(default_factory=Spent)
    echo: Spent = field(default_factory=Spent)
    families: list[int] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.vigia.total / self.echo.total

    @property
    def processing_ratio(self) -> float:
        return self.vigia.processing / self.echo.processing


async def timed_update(bot: Running, raw: JSONDict) -> Spent:
    """The span timed on both sides: PTB parsing the update, then processing it."""
    started = time.perf_counter()
    update = parse(raw, bot.app.bot)
    parsed = time.perf_counter()
    await bot.app.process_update(update)
    done = time.perf_counter()
    return Spent(done - started, done - parsed)


async def walk_vigia(bot: Running, clock: SettableClock, index: int) -> Spent:
    """Seconds Vigía spent on one family's whole report."""
    person = family(index)
    spent = Spent()
    for step in detention_walk(index):
        clock.advance(HUMAN_PACE)
        spent.add(await timed_update(bot, step_update(bot.fake, person, step)))
    return spent


async def walk_echo(bot: Running, index: int) -> Spent:
    """Seconds the echo bot spent on as many text updates as one report has."""
    person = family(index)
    spent = Spent()
    for _ in range(WALK_LENGTH):
        spent.add(await timed_update(bot, updates.text_update(bot.fake, person, ECHO_TEXT)))
    return spent


async def flush(bot: Running) -> float:
    """Seconds to write what persistence deferred: part of Vigía's cost."""
    started = time.perf_counter()
    await bot.app.update_persistence()
    return time.perf_counter() - started


async def run_rounds(config: BenchConfig, vigia: Running, clock: SettableClock) -> list[Round]:
    async with echo_bot() as echo:
        for index in range(WARM_UP_FAMILIES):
            await walk_vigia(vigia, clock, index)
            await walk_echo(echo, index)
        rounds = []
        for round_index in range(config.throughput_rounds):
            measured = Round()
            first = WARM_UP_FAMILIES + round_index * config.throughput_families
            for index in range(first, first + config.throughput_families):
                measured.vigia.add(await walk_vigia(vigia, clock, index))
                measured.echo.add(await walk_echo(echo, index))
                measured.families.append(index)
            flushed = await flush(vigia)
            measured.vigia.add(Spent(flushed, flushed))
            rounds.append(measured)
    return rounds


def missing_receipts(bot: Running, rounds: list[Round]) -> int:
    return sum(
        1 for measured in rounds for index in measured.families
        if receipt_of(bot.fake, family(index).id) is None
    )  # fmt: skip


async def run(config: BenchConfig) -> BenchResult:
    result = BenchResult("throughput", "1. Update throughput (intake)")
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        clock = SettableClock(Clock().now())
        async with vigia_bot(Path(directory) / "vigia.db", clock=clock) as vigia:
            rounds = await run_rounds(config, vigia, clock)
            missing = missing_receipts(vigia, rounds)
    if missing:
        raise WalkError(f"{missing} families got no receipt")
    updates_per_round = config.throughput_families * WALK_LENGTH
    ratios = [measured.ratio for measured in rounds]
    processing = [measured.processing_ratio for measured in rounds]
    result.add(
        "Vigía", updates_per_round / statistics.median(r.vigia.total for r in rounds), "updates/s"
    )
    result.add(
        "echo bot (same fake API)",
        updates_per_round / statistics.median(r.echo.total for r in rounds),
        "updates/s",
    )
    result.add("per-update cost vs echo (median of rounds)", statistics.median(ratios), "×",
               Target(TARGET_RATIO))  # fmt: skip
    result.add("per-update cost vs echo, worst round", max(ratios), "×")
    result.add("processing only vs echo (median of rounds)", statistics.median(processing), "×")
    result.add("processing only vs echo, worst round", max(processing), "×")
    result.config = {
        "families_per_round": config.throughput_families,
        "updates_per_family": WALK_LENGTH,
        "rounds": config.throughput_rounds,
        "warm_up_families": WARM_UP_FAMILIES,
        "vigia_round_seconds": [r.vigia.total for r in rounds],
        "echo_round_seconds": [r.echo.total for r in rounds],
        "round_ratios": ratios,
        "vigia_round_processing_seconds": [r.vigia.processing for r in rounds],
        "echo_round_processing_seconds": [r.echo.processing for r in rounds],
        "round_processing_ratios": processing,
    }
    return result
