"""What /cifras would cost if the breakdown fields of cases were sealed (issue 16, point 4).

Sex, affiliation, the minor flag, the state (federal entity), the detaining body and
the detention date are plaintext columns of `cases`: the triggers of migration 0006
count them into two small summaries, and /cifras reads only those. Sealed, no SQL
could count them: each figure would have to open every case's values and count them
in Python, or the bot would keep the summaries itself. This measures both on a
sample of the store's cases, sealed exactly as the bot seals (AES-GCM bound to column
and row), and projects the recount to the store's size:

- the recount: read the sealed values of every unmerged case, open them and count
  the breakdowns and the detentions per day, as /cifras (or a summary rebuild after an
  import) would have to;
- the same counts from the plaintext columns, with the SQL the summaries are rebuilt
  with (`storage.figures._REBUILD`), as the baseline;
- the upkeep per case change, if the bot kept the summaries from sealed values: open
  the case's six values to take it out of its old combination, seal the new ones.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.cache import bench_cipher

FIELDS = ("sex", "affiliation", "is_minor", "federal_entity", "detaining_body", "detained_on")
SAMPLE = 100_000
_DEPRIVED = ("detained", "disappeared", "house_arrest")


@dataclass(frozen=True, slots=True)
class SealedCost:
    sample: int
    sealed_seconds: float  # recount of the sample from sealed values
    plain_seconds: float  # the same counts from plaintext columns, in SQL
    upkeep_seconds: float  # one case change, summaries kept from sealed values

    def projected(self, cases: int) -> float:
        """The sealed recount over `cases`, from the sample's rate."""
        return self.sealed_seconds * cases / max(self.sample, 1)


def measure(database: Path, sample: int = SAMPLE) -> SealedCost:
    """On a working copy: seal a sample of cases' breakdowns (untimed), then time both."""
    cipher = bench_cipher()
    conn = sqlite3.connect(database)
    try:
        columns = ", ".join(FIELDS)
        rows = conn.execute(
            f"SELECT id, state, {columns} FROM cases WHERE merged_into IS NULL"  # noqa: S608
            " ORDER BY id LIMIT ?",
            (sample,),
        ).fetchall()
        sealed = [
            (
                row[0],
                row[1],
                *(
                    cipher.encrypt(str(value), context=f"cases.{name}", row=row[0])
                    for name, value in zip(FIELDS, row[2:], strict=True)
                ),
            )
            for row in rows
        ]
        conn.execute(
            f"CREATE TEMP TABLE sealed_cases (id INTEGER PRIMARY KEY, state TEXT,"
            f" {', '.join(f'{name}_enc TEXT' for name in FIELDS)})"
        )
        conn.executemany(
            f"INSERT INTO sealed_cases VALUES ({', '.join('?' for _ in range(2 + len(FIELDS)))})",  # noqa: S608
            sealed,
        )
        started = time.perf_counter()
        deprived: Counter[tuple[str, ...]] = Counter()
        detentions: Counter[str] = Counter()
        for row in conn.execute("SELECT * FROM sealed_cases"):
            opened = [
                cipher.decrypt(value, context=f"cases.{name}", row=row[0]) or ""
                for name, value in zip(FIELDS, row[2:], strict=True)
            ]
            if row[1] in _DEPRIVED:
                deprived[(row[1], *opened[:5])] += 1
            if opened[5] != "None":
                detentions[opened[5]] += 1
        sealed_seconds = time.perf_counter() - started

        started = time.perf_counter()
        conn.execute(
            "SELECT state, sex, affiliation, is_minor, federal_entity, detaining_body, COUNT(*)"
            " FROM (SELECT * FROM cases WHERE merged_into IS NULL ORDER BY id LIMIT ?)"
            " WHERE state IN ('detained', 'disappeared', 'house_arrest')"
            " GROUP BY 1, 2, 3, 4, 5, 6",
            (sample,),
        ).fetchall()
        conn.execute(
            "SELECT detained_on, COUNT(*) FROM (SELECT detained_on FROM cases"
            " WHERE merged_into IS NULL ORDER BY id LIMIT ?) GROUP BY detained_on",
            (sample,),
        ).fetchall()
        plain_seconds = time.perf_counter() - started

        started = time.perf_counter()
        changes = min(len(sealed), 1_000)
        for row in sealed[:changes]:
            for name, value in zip(FIELDS, row[2:], strict=True):
                plain = cipher.decrypt(value, context=f"cases.{name}", row=row[0])
                cipher.encrypt(plain, context=f"cases.{name}", row=row[0])
        upkeep_seconds = (time.perf_counter() - started) / max(changes, 1)
    finally:
        conn.close()
    return SealedCost(len(rows), sealed_seconds, plain_seconds, upkeep_seconds)
