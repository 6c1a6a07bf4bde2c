"""8. The published site: `python -m bot site` over a million cases, against /cifras.

The site is built the way the SITE_DIR job builds it (`python -m bot site` in a child
process at low priority, the folder swapped in whole) on the store the figures
benchmark uses, with one case in a hundred published by name. The yardstick is a cold /cifras on
the same bot in the same run (an announcement is recorded before each, so the snapshot
is computed from SQLite), as issue 18 asks: the build should cost at most ten of those.
The peak memory of the build process is reported too: it is not the bot's.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.apps import Running, family, services_of, vigia_bot
from bench.cache import cached_store, working_copy
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from bot.site import build_in_child
from domain.dates import local_today

TARGET_RATIO = 10.0
ANNOUNCER = 900001
CONSENTED_EVERY = 100
BUILDS = 2


def _publish_some(database: Path) -> int:
    """One family in a hundred consented to publication (the store has none)."""
    with sqlite3.connect(database) as conn:
        cursor = conn.execute(
            "UPDATE cases SET publish_consent = 1 WHERE id % ? = 0", (CONSENTED_EVERY,)
        )
        return cursor.rowcount


async def _cold_cifras(bot: Running, queries: int) -> list[float]:
    services = services_of(bot)
    timings = []
    for query in range(queries):
        await services.announcements.record(
            claimed_count=400 + query,
            since=dt.date(2026, 1, 8),
            source="Ministerio de Interior",
            recorded_by=ANNOUNCER,
        )
        started = time.perf_counter()
        await bot.feed_text(family(query), "/cifras")
        timings.append(time.perf_counter() - started)
    return timings


async def run(config: BenchConfig) -> BenchResult:
    count = config.figures_cases
    result = BenchResult("site", f"8. Site build ({count:,} cases)")
    store = await cached_store(config.cache_dir, cases=count, distinct_names=False)
    builds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        database = working_copy(store, Path(directory))
        consented = _publish_some(database)
        target = Path(directory) / "site"
        async with vigia_bot(database) as bot:
            services = services_of(bot)
            today = local_today(services.clock.now(), services.catalogs.get("es").timezone)
            cold = await _cold_cifras(bot, max(3, min(config.figures_queries, 7)))
            for _ in range(BUILDS):
                started = time.perf_counter()
                await build_in_child(target, services.settings, today)
                builds.append(time.perf_counter() - started)
            more = await _cold_cifras(bot, 2)
        size = sum(path.stat().st_size for path in target.rglob("*") if path.is_file())
        figures = json.loads((target / "data" / "figures.json").read_bytes())
        named = (target / "index.html").read_text(encoding="utf-8").count("<tr>")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cold_median = statistics.median(cold + more)
    build = statistics.median(builds)
    result.add("build, median", build, "s")
    result.add("build vs cold /cifras", build / cold_median, "×", Target(TARGET_RATIO))
    result.add("cold /cifras, median", cold_median * 1000, "ms")
    result.add("peak memory of the build process", peak, "MB")
    result.add("site size (open data included)", size / 1e6, "MB")
    result.config = {
        "cases": count,
        "consented": consented,
        "figures": len(figures["figures"]),
        "table_rows": named,
        "builds_s": builds,
        "cold_cifras_ms": [value * 1000 for value in cold + more],
    }
    return result
