"""8. The published site over a million cases, against /cifras.

The site is built the way the SITE_DIR job builds it (the site worker process at low
priority, the folder swapped in whole) on the store the figures benchmark uses, with
one case in a hundred published by name. The worker's first build writes the open data
whole; each later one follows a verified change (a release recorded by the desk) and
rewrites only the changed rows. The yardstick is a cold /cifras on the same bot in the
same run (an announcement is recorded before each, so the snapshot is computed from
SQLite), as issue 18 asks: a build after a change should cost at most ten of those.
The worker's memory is reported too (its peak, and what it keeps between builds): it
is not the bot's.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.apps import services_of, vigia_bot
from bench.cache import cached_store, working_copy
from bench.config import BenchConfig
from bench.figures import ANNOUNCER, cold_cifras
from bench.results import BenchResult, Target
from bot.site_worker import SiteWorker
from domain.dates import local_today
from domain.transitions import CaseAction
from services.case_desk import CaseRequest, act_on_case
from services.container import Services

TARGET_RATIO = 10.0
CONSENTED_EVERY = 100
REBUILDS = 7


def _publish_some(database: Path) -> int:
    """One family in a hundred consented to publication (the store has none)."""
    with sqlite3.connect(database) as conn:
        cursor = conn.execute(
            "UPDATE cases SET publish_consent = 1 WHERE id % ? = 0", (CONSENTED_EVERY,)
        )
        return cursor.rowcount


def _detained(database: Path, count: int) -> list[int]:
    """Cases a release can be recorded for, spread over the store."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT id FROM cases WHERE state = 'detained' AND merged_into IS NULL"
            " ORDER BY (id * 7919) % 1000003 LIMIT ?",
            (count,),
        ).fetchall()
    return [int(row[0]) for row in rows]


def _walls(timings: list[tuple[float, float]]) -> list[float]:
    return [wall for _, wall in timings]


def _memory_of(pid: int | None) -> dict[str, float]:
    """The worker's peak and current resident memory (MB), from Linux's /proc."""
    assert pid is not None
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            found[name] = int(value.split()[0]) / 1024
    return found


async def _release(services: Services, case_id: int, today: dt.date) -> None:
    """What a moderator's /excarcelar records: the verified change a rebuild follows."""
    case = await services.cases.get(case_id)
    assert case is not None
    request = CaseRequest(CaseAction.RELEASE, today)
    await act_on_case(services, ANNOUNCER, case_id, case.version, request)


async def run(config: BenchConfig) -> BenchResult:
    count = config.figures_cases
    result = BenchResult("site", f"8. Site build ({count:,} cases)")
    store = await cached_store(config.cache_dir, cases=count, distinct_names=False)
    builds: list[float] = []
    patched_rows: list[int] = []
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        database = working_copy(store, Path(directory))
        consented = _publish_some(database)
        released = _detained(database, REBUILDS)
        target = Path(directory) / "site"
        async with vigia_bot(database) as bot:
            services = services_of(bot)
            today = local_today(services.clock.now(), services.catalogs.get("es").timezone)
            cold = _walls(await cold_cifras(bot, max(3, min(config.figures_queries, 7))))
            worker = SiteWorker(target, services.settings)
            try:
                started = time.perf_counter()
                first = await worker.build(today)
                whole = time.perf_counter() - started
                assert first.whole
                for case_id in released:
                    await _release(services, case_id, today)
                    started = time.perf_counter()
                    report = await worker.build(today)
                    builds.append(time.perf_counter() - started)
                    assert not report.whole, report
                    patched_rows.append(report.rows_written)
                memory = _memory_of(worker.pid)
            finally:
                await worker.close()
            more = _walls(await cold_cifras(bot, 2))
        size = sum(path.stat().st_size for path in target.rglob("*") if path.is_file())
        figures = json.loads((target / "data" / "figures.json").read_bytes())
        named = (target / "index.html").read_text(encoding="utf-8").count("<tr>")
    cold_median = statistics.median(cold + more)
    build = statistics.median(builds)
    result.add("build after a verified change, median", build, "s")
    result.add(
        "build after a change vs cold /cifras", build / cold_median, "×", Target(TARGET_RATIO)
    )
    result.add("first build (open data whole)", whole, "s")
    result.add("first build vs cold /cifras", whole / cold_median, "×")
    result.add("cold /cifras, median", cold_median * 1000, "ms")
    result.add("peak memory of the site worker", memory["VmHWM"], "MB")
    result.add("memory the site worker keeps between builds", memory["VmRSS"], "MB")
    result.add("site size (open data included)", size / 1e6, "MB")
    result.config = {
        "cases": count,
        "consented": consented,
        "figures": len(figures["figures"]),
        "table_rows": named,
        "builds_s": builds,
        "first_build_s": whole,
        "rows_written": patched_rows,
        "cold_cifras_ms": [value * 1000 for value in cold + more],
    }
    return result
