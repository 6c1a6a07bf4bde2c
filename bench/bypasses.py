"""7. Bypasses: what a way around the framework buys, with and without it in one run.

A bypass of python-telegram-bot or CPython's defaults stays only if a family could
feel its gain. The throughput benchmark's walk (`bench/throughput.py`) is replayed
through one Vigía bot per variant and the echo bot, all in this process: each family's
whole report goes through every variant in turn (the order rotates family by family,
so warmth and this machine's drift fall evenly), then the echo bot answers as many
text updates. Variants:

- *shipped*: PTB's typed `send_message`, CPython's default garbage collector;
- *raw sendMessage*: the lean send `handlers/lean_send.py` shipped
  (`bench/lean_variant.py`), swapped in for that variant's walks;
- *GC tuning*: `gc.freeze()` and full collections ten times rarer, as
  `bot/lifecycle.py` set them after startup.

The process holds `BALLAST_OBJECTS` long-lived container objects (a heap the size a
bot with ~100,000 cases holds), so full collections cost what they would in a real bot.
A family could feel a gain if a reply came `FELT_SECONDS` sooner, at the median or
at p99; far below that, Telegram's network time is all a person sees.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.apps import Running, echo_bot, family, vigia_bot
from bench.config import BenchConfig
from bench.lean_variant import lean_sending
from bench.results import BenchResult
from bench.stats import percentile
from bench.throughput import HUMAN_PACE, WARM_UP_FAMILIES, timed_update, walk_echo
from bench.walk import WALK_LENGTH, WalkError, detention_walk, receipt_of, step_update
from storage.clock import Clock, SettableClock

FELT_SECONDS = 0.010  # generous to a bypass: people notice delays many times longer
BALLAST_OBJECTS = 1_000_000
DEFAULT_THRESHOLDS = (700, 10, 10)
TUNED_THRESHOLDS = (700, 10, 100)


@contextlib.contextmanager
def default_gc() -> Iterator[None]:
    gc.unfreeze()
    gc.set_threshold(*DEFAULT_THRESHOLDS)
    yield


@contextlib.contextmanager
def tuned_gc() -> Iterator[None]:
    """What `settle_garbage_collector` did: freeze what exists, full collections rarer."""
    gc.freeze()
    gc.set_threshold(*TUNED_THRESHOLDS)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*DEFAULT_THRESHOLDS)


@contextlib.contextmanager
def lean_with_default_gc() -> Iterator[None]:
    with default_gc(), lean_sending():
        yield


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    label: str
    around: Callable[[], contextlib.AbstractContextManager[None]]


VARIANTS = (
    Variant("shipped", "shipped", default_gc),
    Variant("lean", "raw sendMessage", lean_with_default_gc),
    Variant("gc", "GC tuning", tuned_gc),
)


@dataclass(slots=True)
class Samples:
    """One variant's per-update seconds and per-round totals."""

    updates: list[float] = field(default_factory=list)
    rounds: list[float] = field(default_factory=list)


@contextlib.asynccontextmanager
async def _bots(directory: Path, clock: SettableClock) -> AsyncIterator[list[Running]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(vigia_bot(directory / f"{v.key}.db", clock=clock))
            for v in VARIANTS
        ]


async def _walk(bot: Running, clock: SettableClock, index: int, into: list[float]) -> float:
    spent = 0.0
    for step in detention_walk(index):
        clock.advance(HUMAN_PACE)
        took = (await timed_update(bot, step_update(bot.fake, family(index), step))).total
        into.append(took)
        spent += took
    return spent


async def _family(
    bots: list[Running], clock: SettableClock, index: int, samples: list[Samples]
) -> list[float]:
    """One family's report through every variant, starting at a rotating one."""
    spent = [0.0] * len(VARIANTS)
    for turn in range(len(VARIANTS)):
        which = (index + turn) % len(VARIANTS)
        with VARIANTS[which].around():
            spent[which] = await _walk(bots[which], clock, index, samples[which].updates)
    return spent


async def _measure(
    config: BenchConfig, bots: list[Running], clock: SettableClock
) -> list[Samples]:
    samples = [Samples() for _ in VARIANTS]
    warm = [Samples() for _ in VARIANTS]
    echo_rounds: list[float] = []
    async with echo_bot() as echo:
        for index in range(WARM_UP_FAMILIES):
            await _family(bots, clock, index, warm)
            await walk_echo(echo, index)
        for round_index in range(config.throughput_rounds):
            first = WARM_UP_FAMILIES + round_index * config.throughput_families
            totals = [0.0] * len(VARIANTS)
            echo_total = 0.0
            for index in range(first, first + config.throughput_families):
                for which, spent in enumerate(await _family(bots, clock, index, samples)):
                    totals[which] += spent
                echo_total += (await walk_echo(echo, index)).total
            for which, total in enumerate(totals):
                samples[which].rounds.append(total)
            echo_rounds.append(echo_total)
    for measured in samples:
        measured.rounds = [
            total / echo for total, echo in zip(measured.rounds, echo_rounds, strict=True)
        ]
    return samples


def _check_receipts(bots: list[Running], families: int) -> None:
    for bot, variant in zip(bots, VARIANTS, strict=True):
        missing = sum(
            1 for index in range(families) if receipt_of(bot.fake, family(index).id) is None
        )
        if missing:
            raise WalkError(f"{variant.key}: {missing} families got no receipt")


async def run(config: BenchConfig) -> BenchResult:
    result = BenchResult("bypasses", "7. Bypasses (with and without, same run)")
    ballast_size = 0 if config.mode == "smoke" else BALLAST_OBJECTS
    ballast = [[index] for index in range(ballast_size)]
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        clock = SettableClock(Clock().now())
        async with _bots(Path(directory), clock) as bots:
            samples = await _measure(config, bots, clock)
            families = WARM_UP_FAMILIES + config.throughput_rounds * config.throughput_families
            _check_receipts(bots, families)
    del ballast
    shipped = samples[0]
    verdicts: dict[str, bool] = {}
    for variant, measured in zip(VARIANTS, samples, strict=True):
        mean = statistics.fmean(measured.updates)
        p99 = percentile(measured.updates, 0.99)
        result.add(f"{variant.label}: mean per update", mean * 1000, "ms")
        result.add(f"{variant.label}: p99 per update", p99 * 1000, "ms")
        result.add(
            f"{variant.label}: vs echo (median of rounds)", statistics.median(measured.rounds), "×"
        )
        if measured is shipped:
            continue
        sooner_mean = statistics.fmean(shipped.updates) - mean
        sooner_p99 = percentile(shipped.updates, 0.99) - p99
        result.add(f"{variant.label}: sooner than shipped, mean", sooner_mean * 1000, "ms")
        result.add(f"{variant.label}: sooner than shipped, p99", sooner_p99 * 1000, "ms")
        verdicts[variant.key] = max(sooner_mean, sooner_p99) >= FELT_SECONDS
        result.notes.append(
            f"{variant.label}: a family could feel it: {'yes' if verdicts[variant.key] else 'no'}"
            f" (threshold {FELT_SECONDS * 1000:.0f} ms sooner per reply)"
        )
    result.config = {
        "families_per_round": config.throughput_families,
        "rounds": config.throughput_rounds,
        "updates_per_family": WALK_LENGTH,
        "ballast_objects": ballast_size,
        "felt_seconds": FELT_SECONDS,
        "felt": verdicts,
        "round_ratios": {v.key: s.rounds for v, s in zip(VARIANTS, samples, strict=True)},
    }
    return result
