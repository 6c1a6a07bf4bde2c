"""6. Memory: peak RSS of the bot holding 100,000 cases and 10,000 subscribers.

Each figure comes from a fresh child process (`bench.memory_probe`), so nothing the
benchmark runner itself allocated is counted. The baseline is the echo bot's peak in
the same kind of process: Python, python-telegram-bot and the fake API alone. The
/cifras chart is drawn by matplotlib in a worker process that the bot retires when idle;
its peak is reported on a line of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.cache import cached_store
from bench.config import BENCH_DIR, BenchConfig
from bench.results import BenchResult, Target

TARGET_MB = 150.0
MB = 1024 * 1024


def probe(*args: str) -> dict[str, object]:
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.memory_probe", *args],
        cwd=BENCH_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{completed.stderr[-2000:]}")
    outcome: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return outcome


async def run(config: BenchConfig) -> BenchResult:
    cases, subscribers = config.memory_cases, config.memory_subscribers
    result = BenchResult("memory", f"6. Memory ({cases:,} cases, {subscribers:,} subscribers)")
    store = await cached_store(config.cache_dir, cases=cases, subscribers=subscribers)
    vigia = probe("vigia", str(Path(store)))
    echo = probe("echo")
    vigia_mb = int(str(vigia["peak_rss"])) / MB
    echo_mb = int(str(echo["peak_rss"])) / MB
    result.add("peak RSS, Vigía", vigia_mb, "MB", Target(TARGET_MB))
    result.add("peak RSS, echo bot", echo_mb, "MB")
    result.add("Vigía vs echo", vigia_mb / echo_mb, "×")
    worker_peak = vigia.get("chart_worker_peak_rss")
    if worker_peak is not None:
        # matplotlib lives in a worker the bot retires when idle: shown, not hidden.
        result.add("peak RSS, /cifras chart worker", int(str(worker_peak)) / MB, "MB")
    if vigia.get("indexed_cases") is None:
        result.notes.append("the duplicate index is not in `services` yet: not counted")
    result.config = {"vigia": vigia, "echo": echo}
    return result
