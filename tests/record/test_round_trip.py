"""Property: a full export imported into an empty database gives back the same full
export (up to the local numbers the docs name) and the same figures (issue 23)."""

from __future__ import annotations

import asyncio
import json

from hypothesis import given
from hypothesis import strategies as st

from domain.vocabulary import CaseState
from tests.record.lifecycles import Life, desk
from tests.record.paths import (
    by_commands,
    by_import,
    cifras,
    differences,
    exported,
    fresh,
    merge,
    rows,
)

# Local to a deployment (docs/EXPORTS.md): compared through the names they map to.
LOCAL = ("case_id", "merged_into")
# Written by the deployment that makes or changes the case; an import makes them anew.
STAMPED = ("created_at", "updated_at")


def comparable(exported_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with local numbers replaced by the names they stand for."""
    names = {row["case_id"]: row["person_name"] for row in exported_rows}
    kept = []
    for row in exported_rows:
        row = {key: value for key, value in row.items() if key not in STAMPED}
        row["case_id"] = row["person_name"]
        row["merged_into"] = names.get(row["merged_into"], row["merged_into"])
        kept.append(row)
    return sorted(kept, key=lambda row: row["case_id"])


async def round_trip(lives: list[Life], merges: list[tuple[int, int]]) -> None:
    async with fresh() as source:
        await by_commands(source, lives)
        for first, second in merges:
            await merge(source, first, second)
        before = await exported(source, "full")
        public = rows(await exported(source))
        figures = {language: await cifras(source, language) for language in ("es", "en")}
    async with fresh() as target:
        done = await by_import(target, before, len(lives))
        assert "receipt codes" in done or "códigos" in done, done  # what stays behind
        after = rows(await exported(target, "full"))
        original = rows(before)
        assert comparable(after) == comparable(original), differences(
            comparable(original), comparable(after)
        )
        assert {row["case_id"] for row in after} == {str(n) for n in range(1, len(lives) + 1)}
        for row in after:  # no note names a case by a number of the old deployment
            for event in json.loads(row["events"]):
                assert "merged_from" not in str(event.get("details") or ""), event
        assert comparable_public(rows(await exported(target))) == comparable_public(public)
        for language, text in figures.items():
            assert await cifras(target, language) == text


def comparable_public(public: list[dict[str, str]]) -> list[dict[str, str]]:
    """The public rows without their local number, in a stable order."""
    kept = [{key: value for key, value in row.items() if key != "case_id"} for row in public]
    return sorted(kept, key=lambda row: json.dumps(row, sort_keys=True))


@st.composite
def merged_desks(draw: st.DrawFn) -> tuple[list[Life], list[tuple[int, int]]]:
    """A desk, and up to two merges of a case into another (case numbers from 1): a
    closed case cannot be merged, a merged one cannot take another."""
    lives = draw(desk(least=2))
    numbers = range(1, len(lives) + 1)
    open_cases = [n for n in numbers if lives[n - 1].state is not CaseState.CLOSED]
    merges: list[tuple[int, int]] = []
    merged: set[int] = set()
    for _ in range(draw(st.integers(0, 2))):
        sources = [n for n in open_cases if n not in merged]
        if not sources:
            break
        source = draw(st.sampled_from(sources))
        targets = [n for n in numbers if n != source and n not in merged]
        if not targets:
            break
        merges.append((source, draw(st.sampled_from(targets))))
        merged.add(source)
    return lives, merges


@given(merged_desks())
def test_a_full_export_travels_whole(
    desk_and_merges: tuple[list[Life], list[tuple[int, int]]],
) -> None:
    asyncio.run(round_trip(*desk_and_merges))
