"""The benchmarks by name, in the order the table lists them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bench import (
    bypasses,
    chat_expiry,
    duplicates,
    figures,
    memory,
    outbox,
    site_build,
    surge,
    surge_limits,
    throughput,
)
from bench.config import BenchConfig
from bench.results import BenchResult

Benchmark = Callable[[BenchConfig], Awaitable[BenchResult]]

BENCHMARKS: dict[str, Benchmark] = {
    "throughput": throughput.run,
    "surge": surge.run,
    "surge_limits": surge_limits.run,
    "chat_expiry": chat_expiry.run,
    "outbox": outbox.run,
    "duplicates": duplicates.run,
    "figures": figures.run,
    "memory": memory.run,
    "bypasses": bypasses.run,
    "site": site_build.run,
}


async def run_benchmark(name: str, config: BenchConfig) -> BenchResult:
    return await BENCHMARKS[name](config)
