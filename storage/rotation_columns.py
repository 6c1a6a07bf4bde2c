"""How key rotation reads a schema: which columns are sealed, which hashes pair with
which sealed column, and the naming conventions tried for contexts and purposes.

Vigía's storage modules seal a column `t.x_enc` with context `t.x` and hash ids with
short purpose words; these candidates cover those conventions so a new table needs
no registration (see `storage.rotation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Purposes in use across Vigía's tables; a hash column's purpose is whichever of
# these (or of the names derived from the column) reproduces the stored hash.
KNOWN_PURPOSES = (
    "user",
    "staff",
    "actor",
    "chat",
    "reporter",
    "subscriber",
    "prompt",
    "throttle",
    "tracking",
    "privacy",
    "blocked",
    "outbox",
    "cedula",
    "receipt",
)


@dataclass(frozen=True, slots=True)
class Column:
    table: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def stem(self) -> str:
        for suffix in ("_enc", "_hash", "_key"):
            if self.name.endswith(suffix):
                return self.name.removesuffix(suffix)
        return self.name

    @property
    def holds_ids(self) -> bool:
        """A sealed Telegram chat or user id (what unpartnered hashes are made of)."""
        stem = self.stem
        return stem in ("chat_id", "user_id") or stem.endswith(("_chat_id", "_user_id", "_chat"))


@dataclass(slots=True)
class TablePlan:
    table: str
    row_key: tuple[str, ...]
    primary_key: frozenset[str]
    sealed: list[Column]
    partnered: dict[str, Column]  # hash column name -> the `_enc` column of its plaintext
    unpartnered: list[Column]

    @property
    def has_work(self) -> bool:
        return bool(self.sealed or self.partnered or self.unpartnered)


def plan_columns(
    table: str, columns: Sequence[str], row_key: tuple[str, ...], primary_key: frozenset[str]
) -> TablePlan:
    sealed = [Column(table, name) for name in columns if name.endswith("_enc")]
    partnered: dict[str, Column] = {}
    unpartnered: list[Column] = []
    for name in columns:
        if not name.endswith(("_hash", "_key")):
            continue
        column = Column(table, name)
        sources = [
            enc
            for enc in sealed
            if enc.stem == column.stem or enc.stem.startswith(column.stem + "_")
        ]
        if len(sources) == 1:
            partnered[name] = sources[0]
        else:
            unpartnered.append(column)
    return TablePlan(table, row_key, primary_key, sealed, partnered, unpartnered)


def _singular(table: str) -> str:
    return table.removesuffix("s") if table.endswith("s") else table


def context_candidates(column: Column) -> list[str]:
    table, name, stem = column.table, column.name, column.stem
    short = stem.removesuffix("_id")
    return list(
        dict.fromkeys(
            [
                f"{table}.{stem}",
                f"{table}.{name}",
                f"{_singular(table)}.{stem}",
                f"{table}.{short}",
                f"{_singular(table)}.{short}",
                stem,
                name,
                "",
            ]
        )
    )


def purpose_candidates(column: Column) -> list[str]:
    table, stem = column.table, column.stem
    return list(
        dict.fromkeys(
            [
                stem,
                stem.removesuffix("_id"),
                f"{table}.{stem}",
                table,
                _singular(table),
                *KNOWN_PURPOSES,
            ]
        )
    )
