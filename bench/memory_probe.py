"""Run in a child process by `bench.memory`: start a bot, use it, print the peak RSS.

`python -m bench.memory_probe vigia STORE` runs the real bot on a store (cases and
subscribers), lets 200 families start, shows /cifras, broadcasts to every subscriber
and checks for duplicates; `python -m bench.memory_probe echo` runs the echo bot
through the same number of updates. Either prints one JSON line with the peak RSS
in bytes (`/proc/self/status` or `resource.getrusage`: no third-party package); Vigía's
also gives the peak of the worker process that draws the /cifras chart.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import tempfile
from pathlib import Path

from bench.echo import echo_bot, family

FAMILIES = 200


def peak_rss_bytes() -> int:
    """This process's peak resident set size.

    On Linux `ru_maxrss` survives `exec`: a child forked from a large benchmark runner
    would report the runner's size. The kernel's high-water mark of the new address
    space (`VmHWM`) does not, so it is preferred where it exists.
    """
    peak = process_peak_rss_bytes("self")
    if peak is not None:
        return peak
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def process_peak_rss_bytes(pid: int | str) -> int | None:
    """A running process's `VmHWM`, where the kernel reports it (Linux)."""
    status = Path(f"/proc/{pid}/status")
    try:
        text = status.read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


async def vigia(store: Path) -> dict[str, object]:
    # Imported here: the echo probe must not load Vigía at all.
    from bench.apps import services_of, vigia_bot
    from bench.cache import working_copy
    from bench.outbox import start_broadcast

    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        async with vigia_bot(working_copy(store, Path(directory))) as bot:
            services = services_of(bot)
            index = getattr(services, "duplicates", None)
            for number in range(FAMILIES):
                await bot.feed_text(family(number), "/start")
            await bot.feed_text(family(0), "/cifras")
            # The chart is drawn in a worker process of its own: its peak is reported
            # beside the bot's, never hidden (read while the worker still runs).
            worker = services.charts.worker_pid
            chart_worker_peak = process_peak_rss_bytes(worker) if worker is not None else None
            services.outbox_worker.rate = None
            broadcast_id = await start_broadcast(bot)
            await services.outbox_worker.drain()
            counts = await services.outbox.broadcast_counts(broadcast_id)
            suggestions = len(index.suggest("José Pérez", None, None)) if index else None
            return {
                "peak_rss": peak_rss_bytes(),
                "chart_worker_peak_rss": chart_worker_peak,
                "indexed_cases": len(index) if index is not None else None,
                "broadcast_sent": counts.sent,
                "suggestions": suggestions,
            }


async def echo() -> dict[str, object]:
    async with echo_bot() as bot:
        for number in range(FAMILIES):
            await bot.feed_text(family(number), "hello")
    return {"peak_rss": peak_rss_bytes()}


def main(argv: list[str]) -> int:
    mode = argv[0]
    outcome = asyncio.run(vigia(Path(argv[1])) if mode == "vigia" else echo())
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
