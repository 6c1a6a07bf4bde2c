"""Large stores built once and kept under `bench/.cache/`, keyed by the schema.

Sealing 100,000 names or writing a million cases takes longer than the benchmark that
reads them, so each store is built once per schema: the file name carries the
highest migration number and a digest of every migration's text, so any schema change
(even an edited migration during development) builds a fresh store. Benchmarks work
on a copy, never on the cached file itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from services.settings import Settings
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database, load_migrations
from storage.fixtures import FixtureSpec, load_cases
from storage.subscribers import Subscribers

# Cached stores must open with the same key in every run; it protects nothing real.
# A generated key (python -m bot genkey), as settings require.
BENCH_KEY = "gEp8WNWEjBWMwb4z2j5aXQv_abgdvAZV8j8J8hWN-dk"
SUBSCRIBER_FIRST_ID = 5_000_000


def schema_tag() -> str:
    migrations = load_migrations()
    digest = hashlib.sha256()
    for version, name, sql in migrations:
        digest.update(f"{version}:{name}:{sql}".encode())
    return f"v{max(version for version, _, _ in migrations)}-{digest.hexdigest()[:10]}"


def bench_cipher() -> FieldCipher:
    return FieldCipher(BENCH_KEY, ())


def bench_settings(database_path: Path, **overrides: Any) -> Settings:
    """Settings like a deployment's, on a benchmark store; no environment is read."""
    values: dict[str, Any] = {
        "database_path": database_path,
        "encryption_key": BENCH_KEY,
        "admin_ids": (900001,),
        "default_language": "es",
        "telegram_base_url": "http://127.0.0.1:9/bot",
        "telegram_base_file_url": "http://127.0.0.1:9/file/bot",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def cached_store(
    cache_dir: Path, *, cases: int, subscribers: int = 0, distinct_names: bool = True
) -> Path:
    """The path of a store with `cases` cases and `subscribers` subscribers, built if new."""
    kind = "names" if distinct_names else "anon"
    path = cache_dir / f"store-{cases}c-{subscribers}s-{kind}-{schema_tag()}.db"
    if path.exists():
        return path
    building = _fresh_building_path(path)
    db = Database(building)
    await db.connect()
    try:
        cipher = bench_cipher()
        if cases:
            await load_cases(db, cipher, FixtureSpec(cases=cases, distinct_names=distinct_names))
        store = Subscribers(db, cipher, Clock())
        for offset in range(subscribers):
            language = "en" if offset % 5 == 0 else "es"
            await store.subscribe(SUBSCRIBER_FIRST_ID + offset, language)
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await db.close()
    os.replace(building, path)
    return path


def _fresh_building_path(path: Path) -> Path:
    """Where a store is built before it is renamed into place; leftovers of a crash go."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    for leftover in path.parent.glob(building.name + "*"):
        leftover.unlink()
    return building


def working_copy(store: Path, directory: Path) -> Path:
    """A private copy of a cached store for one benchmark to write to."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "vigia.db"
    shutil.copyfile(store, target)
    return target
