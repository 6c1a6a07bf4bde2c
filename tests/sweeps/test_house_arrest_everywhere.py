"""House arrest is never a release, on any path (issue 22, part 2).

Random lifecycles (tests/record/lifecycles.py) are recorded once through the
moderators' commands (then past the retention job, which must leave every story as
it was), once with merges of one case into another, and once as an import. For every
person whose story holds a house arrest and no release: no message the family or the
desk was sent about them calls it a release, no release news is offered, and the
exports leave `released_on` empty; where the story ends in house arrest the exported
state says so. The figures of both paths agree with the expected counts
(tests/record/test_open_data.py), where house arrest is deprivation of liberty.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re

from hypothesis import given

from domain.vocabulary import CaseState
from tests.harness import BotHarness
from tests.record.lifecycles import Life, desk
from tests.record.paths import (
    by_commands,
    by_import,
    exported,
    fresh,
    import_file_bytes,
    merge,
    rows,
)
from tests.record.test_round_trip import merged_desks

# "released"/"excarcelado" and the release news draft, in either language; the status
# texts' "records every transfer, hearing and release" is a promise, not a state.
RELEASE_WORDS = re.compile(
    r"excarcelad|liberad[oa]|released|noticia de excarcelación|release news", re.IGNORECASE
)


def _house_arrest_only(life: Life) -> bool:
    kinds = {step.kind for step in life.steps}
    return "house_arrest" in kinds and "release" not in kinds


async def _messages_about(harness: BotHarness, name: str) -> list[str]:
    """What the family was told about this person (its notifications name the receipt
    code) and what the desk was told (by name)."""
    family = harness.people.family_other
    reports = await harness.services.reports.for_reporter(family.id)
    [receipt] = [report.receipt_display for report in reports if report.person_name == name]
    told = [m.body for m in harness.fake.bot_messages(family.id) if receipt in m.body]
    desk = harness.people.moderator.id
    return told + [m.body for m in harness.fake.bot_messages(desk) if name in m.body]


def _story(data: bytes) -> list[tuple[str, str, str]]:
    """What the full export says happened to each person: state, release, events."""
    return [(row["state"], row["released_on"], row["events"]) for row in rows(data)]


def _check_rows(lives: list[Life], data: bytes) -> None:
    by_name = {row["person_name"]: row for row in rows(data) if row.get("person_name")}
    for life in lives:
        row = by_name.get(life.name)
        if row is None or not _house_arrest_only(life):
            continue
        assert row["released_on"] == "", (life.name, row)
        if life.state is CaseState.HOUSE_ARREST:
            assert row["state"] == "house_arrest", (life.name, row)


async def both_paths(lives: list[Life]) -> None:
    async with fresh() as commands:
        verified = await by_commands(commands, lives)
        await commands.services.outbox_worker.drain()
        for life in filter(_house_arrest_only, lives):
            told = await _messages_about(commands, life.name)
            assert told  # the family heard of its verification at least
            for text in told:
                assert RELEASE_WORDS.search(text) is None, (life.name, text)
        _check_rows(lives, await exported(commands, "full"))
        # The retention job forgets who reported, never what happened to the person.
        before = _story(await exported(commands, "full"))
        commands.clock.advance(dt.timedelta(days=commands.settings.retention_days + 1))
        jobs = commands.app.job_queue
        assert jobs is not None
        (retention,) = jobs.get_jobs_by_name("retention")
        await retention.run(commands.app)
        _check_rows(lives, await exported(commands, "full"))
        assert _story(await exported(commands, "full")) == before
    async with fresh() as imports:
        await by_import(imports, import_file_bytes(lives, verified), len(lives))
        _check_rows(lives, await exported(imports, "full"))


def _no_release_from_house_arrest(data: bytes) -> None:
    """Any row, whatever made it: a story with no release has no release date."""
    for row in rows(data):
        kinds = {event["kind"] for event in json.loads(row["events"] or "[]")}
        if "release" not in kinds:
            assert row["released_on"] == "", row
            assert row["state"] != "released", row


async def after_merges(lives: list[Life], merges: list[tuple[int, int]]) -> None:
    async with fresh() as harness:
        await by_commands(harness, lives)
        for source, target in merges:
            await merge(harness, source, target)
        await harness.services.outbox_worker.drain()
        _no_release_from_house_arrest(await exported(harness, "full"))


@given(desk())
def test_house_arrest_is_never_told_or_exported_as_a_release(lives: list[Life]) -> None:
    asyncio.run(both_paths(lives))


@given(merged_desks())
def test_merged_cases_never_turn_a_house_arrest_into_a_release(
    desk_and_merges: tuple[list[Life], list[tuple[int, int]]],
) -> None:
    asyncio.run(after_merges(*desk_and_merges))
