"""Sizes of each benchmark: the full run, `--quick` and the smoke test's smallest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_PATH = BENCH_DIR / "results.json"
README_PATH = BENCH_DIR / "README.md"


@dataclass(frozen=True, slots=True)
class BenchConfig:
    mode: str
    cache_dir: Path
    # 1. throughput: families each walking the whole intake conversation once, taking
    # turns with the echo bot family by family (see throughput.py), in rounds.
    throughput_families: int = 200
    throughput_rounds: int = 5
    # 2. surge: families filing at once; a family answers each question after a pause.
    surge_families: int = 1_000
    surge_start_window: float = 1.0
    surge_think_min: float = 2.0
    surge_think_max: float = 6.0
    # 2b. surge under Telegram's limits: families at a person's pace, three bots at once
    # (with a group, without, with a group and a broadcast to `limits_subscribers`).
    # A walk is 21 messages: at these paces the families ask for about 21 a second,
    # below Telegram's 30 overall (above it no order of sending keeps answers prompt).
    limits_families: int = 1_000
    limits_start_window: float = 60.0
    limits_think_min: float = 30.0
    limits_think_max: float = 80.0
    limits_subscribers: int = 10_000
    # 2c. chat expiry: tracked messages across chats deleted in one pass, then families
    # answered at a person's pace while a bot works through that backlog.
    expiry_messages: int = 100_000
    expiry_chats: int = 10_000
    expiry_families: int = 300
    expiry_start_window: float = 60.0
    expiry_think_min: float = 20.0
    expiry_think_max: float = 40.0
    # 3. outbox: subscribers of one broadcast; seconds at the default rate.
    outbox_subscribers: int = 10_000
    outbox_rated_seconds: float = 60.0
    # 4. duplicate search over stored cases.
    duplicate_cases: int = 100_000
    duplicate_queries: int = 200
    # 5. /cifras over stored cases.
    figures_cases: int = 1_000_000
    figures_queries: int = 15
    # 6. memory: what the bot holds.
    memory_cases: int = 100_000
    memory_subscribers: int = 10_000
    # Write the table into bench/README.md (full runs only).
    update_readme: bool = True


def full_config(cache_dir: Path = CACHE_DIR) -> BenchConfig:
    return BenchConfig(mode="full", cache_dir=cache_dir)


def quick_config(cache_dir: Path = CACHE_DIR) -> BenchConfig:
    """Minutes, not a quarter hour: smaller stores, a shorter rated window."""
    return replace(
        full_config(cache_dir),
        mode="quick",
        throughput_families=50,
        throughput_rounds=5,
        surge_families=400,
        surge_think_min=1.0,
        surge_think_max=3.0,
        limits_families=200,
        limits_start_window=20.0,
        limits_think_min=8.0,
        limits_think_max=20.0,
        limits_subscribers=3_000,
        expiry_messages=20_000,
        expiry_chats=2_000,
        expiry_families=100,
        expiry_start_window=20.0,
        expiry_think_min=5.0,
        expiry_think_max=10.0,
        outbox_subscribers=3_000,
        outbox_rated_seconds=10.0,
        duplicate_cases=100_000,
        duplicate_queries=60,
        figures_cases=200_000,
        figures_queries=7,
        memory_cases=100_000,
        memory_subscribers=10_000,
        update_readme=False,
    )


def smoke_config(cache_dir: Path) -> BenchConfig:
    """The smallest size that still runs every code path (tests/bench)."""
    return replace(
        full_config(cache_dir),
        mode="smoke",
        throughput_families=4,
        throughput_rounds=1,
        surge_families=12,
        surge_start_window=0.05,
        surge_think_min=0.0,
        surge_think_max=0.01,
        limits_families=25,
        limits_start_window=0.5,
        limits_think_min=0.0,
        limits_think_max=0.05,
        limits_subscribers=60,
        expiry_messages=300,
        expiry_chats=30,
        expiry_families=6,
        expiry_start_window=0.2,
        expiry_think_min=0.0,
        expiry_think_max=0.05,
        outbox_subscribers=60,
        outbox_rated_seconds=1.0,
        duplicate_cases=300,
        duplicate_queries=5,
        figures_cases=500,
        figures_queries=3,
        memory_cases=300,
        memory_subscribers=50,
        update_readme=False,
    )
