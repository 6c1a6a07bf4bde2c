"""Properties of the open data, for random databases made through the moderators'
commands (issue 23): `figures --from-csv` on the public export gives `/cifras` in both
languages; rows without consent keep only what the figures need, and their place in the
file says nothing more; deaths in custody are counted and house arrest never as a
release; an export lists each story in order of effective date, nothing before the
detention."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter

from hypothesis import given

from bot.figures_command import figures_from_file
from domain.vocabulary import CaseState
from tests.record.lifecycles import CUSTODY, TODAY, Life, desk
from tests.record.paths import by_commands, cifras, exported, fresh, rows

# What docs/EXPORTS.md ("Rows without consent") lets such a row keep; every other cell
# (name, cédula, age, municipality, place, notes, case number, times, …) stays empty.
KEPT = {
    "state", "sex", "is_minor", "affiliation", "federal_entity", "detaining_body",
    "detained_on", "events", "last_verified_on",
}  # fmt: skip
COUNTED_STEPS = {"release", "rearrest", "death"}
FIGURES = {
    "deprived": r"Personas privadas de libertad: (\d+)",
    "house_arrest": r"con arresto domiciliario: (\d+)",
    "releases": r"Excarcelaciones: (\d+)",
    "rearrests": r"Detenidas otra vez: (\d+)",
    "deaths": r"Muertes bajo custodia: (\d+)",
}


def story(life: Life) -> list[tuple[str, str]]:
    """The person's story the model expects: the detention, then every step."""
    steps = [(step.kind, step.on.isoformat()) for step in life.steps]
    return [("detention", life.detained_on.isoformat()), *steps]


def expected_counts(lives: list[Life]) -> dict[str, int]:
    steps = Counter(step.kind for life in lives for step in life.steps)
    return {
        "deprived": sum(life.state in CUSTODY for life in lives),
        "house_arrest": sum(life.state is CaseState.HOUSE_ARREST for life in lives),
        "releases": steps["release"],
        "rearrests": steps["rearrest"],
        "deaths": steps["death"],
    }


def unnamed_row(life: Life) -> dict[str, object]:
    """The public row the model expects for a family that did not consent."""
    events = [{"kind": kind, "date": on} for kind, on in story(life) if kind in COUNTED_STEPS]
    return {
        "state": life.state.value, "sex": life.sex, "is_minor": "0",
        "affiliation": life.affiliation, "federal_entity": life.entity,
        "detaining_body": life.body, "detained_on": life.detained_on.isoformat(),
        "events": events, "last_verified_on": TODAY.isoformat(),
    }  # fmt: skip


def check_rows(lives: list[Life], public: list[dict[str, str]]) -> None:
    named = [row for row in public if row["person_name"]]
    unnamed = [row for row in public if not row["person_name"]]
    assert public == named + unnamed, "a row without consent sits among numbered rows"
    by_name = {life.name: life for life in lives}
    assert sorted(row["person_name"] for row in named) == sorted(
        life.name for life in lives if life.consent
    )
    for row in named:
        events = json.loads(row["events"])
        assert [(e["kind"], e["date"]) for e in events] == story(by_name[row["person_name"]])
    found = []
    for row in unnamed:
        assert {column for column, cell in row.items() if cell} <= KEPT, row
        events = json.loads(row["events"] or "[]")
        assert all(set(event) == {"kind", "date"} for event in events), events
        found.append({column: row[column] for column in sorted(KEPT)} | {"events": events})
    expected = [unnamed_row(life) for life in lives if not life.consent]
    assert sorted(map(_key, found)) == sorted(map(_key, expected))
    shown = [list(row.values()) for row in unnamed]  # in the file's column order
    assert shown == sorted(shown), "rows without consent are not sorted by their cells"


def _key(row: dict[str, object]) -> str:
    return json.dumps(row, sort_keys=True)


def check_story_order(full: list[dict[str, str]]) -> None:
    """Every story starts with the detention and runs forward from it."""
    for row in full:
        events = json.loads(row["events"])
        assert events[0]["kind"] == "detention", events
        dates = [event["date"] for event in events]
        assert dates == sorted(dates) and dates[0] == row["detained_on"], events
        assert not {event["kind"] for event in events} & {"verified", "closed", "merged"}


async def open_data(lives: list[Life]) -> None:
    async with fresh() as harness:
        await by_commands(harness, lives)
        data = await exported(harness)
        path = harness.settings.database_path.with_name("public.csv")
        path.write_bytes(data)
        public = rows(data)
        check_rows(lives, public)
        check_story_order(rows(await exported(harness, "full")))
        check_story_order([row for row in public if row["person_name"]])
        for language in ("es", "en"):
            shown = await cifras(harness, language)
            assert figures_from_file(path, language, TODAY.isoformat()) == shown
            if language == "es":
                counts = {name: int(re.findall(pattern, shown)[0])
                          for name, pattern in FIGURES.items()}  # fmt: skip
                assert counts == expected_counts(lives), shown


@given(desk())
def test_the_open_data_gives_the_figures_and_keeps_the_families_out(lives: list[Life]) -> None:
    asyncio.run(open_data(lives))
