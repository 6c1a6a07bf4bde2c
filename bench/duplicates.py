"""4. Duplicate search: suggestions for a new report among 100,000 stored cases.

The index is built from the store as the bot builds it at startup (every name
decrypted once); then each query is a report about a stored person, as families
actually write them: the exact name, the name with a typo, a partial name, names in
another order, with or without the cédula. The figure is the median time of
`DuplicateIndex.suggest`; the baseline is the echo bot's median per-update time in
the same run, so the search can be read as a share of the cheapest possible update.
Recall counts the queries that carried the cédula and got their case suggested.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.apps import echo_floor
from bench.cache import bench_cipher, cached_store, working_copy
from bench.config import BenchConfig
from bench.results import BenchResult, Target
from services.duplicates import DuplicateIndex
from storage.announcements import Announcements
from storage.clock import Clock
from storage.database import Database
from storage.figures import FiguresStore
from storage.fixtures import FixtureCase, FixtureSpec, generate_cases

TARGET_MS = 20.0
SEED = 8


def _typo(name: str, draw: random.Random) -> str:
    letters = list(name)
    spot = draw.randrange(1, len(letters) - 2)
    letters[spot], letters[spot + 1] = letters[spot + 1], letters[spot]
    return "".join(letters)


def queries(cases: list[FixtureCase], count: int) -> list[tuple[FixtureCase, str, str | None]]:
    """(the stored case, the name as reported, the cédula as reported or None)."""
    draw = random.Random(SEED)
    chosen = draw.sample(cases, min(count, len(cases)))
    made = []
    for index, case in enumerate(chosen):
        words = case.name.split()
        variant = index % 4
        if variant == 0:
            name = case.name.upper()
        elif variant == 1:
            name = _typo(case.name, draw)
        elif variant == 2:
            name = f"{words[0]} {words[-2]}"  # first name and first surname only
        else:
            name = " ".join(reversed(words))
        cedula = None
        if case.cedula and index % 2 == 0:
            digits = case.cedula[1:]
            cedula = f"V-{int(digits):,}".replace(",", ".")
        made.append((case, name, cedula))
    return made


async def build_index(database: Path) -> tuple[DuplicateIndex, float]:
    db = Database(database)
    await db.connect()
    try:
        clock = Clock()
        figures = FiguresStore(
            db, Announcements(db, bench_cipher(), clock), ZoneInfo("America/Caracas")
        )
        index = DuplicateIndex(bench_cipher())
        started = time.perf_counter()
        await index.build(figures.case_identities())
        return index, time.perf_counter() - started
    finally:
        await db.close()


async def run(config: BenchConfig) -> BenchResult:
    count = config.duplicate_cases
    result = BenchResult("duplicates", f"4. Duplicate search ({count:,} cases)")
    store = await cached_store(config.cache_dir, cases=count)
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        index, build_seconds = await build_index(working_copy(store, Path(directory)))
    cases = [case for case in generate_cases(FixtureSpec(cases=count)) if not case.merged_into]
    timings: list[float] = []
    with_cedula = found = 0
    for case, name, cedula in queries(cases, config.duplicate_queries):
        started = time.perf_counter()
        suggestions = index.suggest(name, cedula, case.detained_on)
        timings.append(time.perf_counter() - started)
        if cedula is not None:
            with_cedula += 1
            found += any(item.case_id == case.id for item in suggestions)
    floor = await echo_floor()
    median = statistics.median(timings)
    result.add("median suggestion time", median * 1000, "ms", Target(TARGET_MS))
    result.add("vs one echo-bot update", median / floor, "×")
    result.add("with the cédula: case suggested", found, f"of {with_cedula}")
    result.config = {
        "cases_indexed": len(index),
        "queries": len(timings),
        "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1] * 1000,
        "index_build_seconds": build_seconds,
        "echo_update_ms": floor * 1000,
    }
    return result
