"""/import reads a case's story as the commands would record it: same rules, same dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from domain.vocabulary import CaseEventKind
from tests.broadcast.helpers import add_case, sent_document
from tests.broadcast.test_import import confirm, csv_bytes, import_file
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, make_staff, say

STORY_HEADER = "person_name,state,detained_on,released_on,events"


def story(*steps: tuple[str, str, str | None, str | None]) -> str:
    """An `events` cell, quoted for a CSV line."""
    items = [
        {"kind": kind, "date": date, "before": before, "after": after}
        for kind, date, before, after in steps
    ]
    return '"' + json.dumps(items).replace('"', '""') + '"'


DETENTION = ("detention", "2026-01-02", None, "detained")


async def test_a_release_that_leaves_the_person_at_home_is_refused(harness: BotHarness) -> None:
    # House arrest never arrives as a release, whatever a file says.
    row = story(DETENTION, ("release", "2026-01-05", "detained", "house_arrest"))
    report = await import_file(
        harness, csv_bytes(STORY_HEADER, f"Ana Gómez,house_arrest,2026-01-02,,{row}")
    )
    assert "Rechazadas: 1" in report
    assert "el hecho release del 2026-01-05 indica estados que no se siguen" in report


async def test_steps_before_the_detention_out_of_order_or_in_the_future_are_refused(
    harness: BotHarness,
) -> None:
    early = story(DETENTION, ("release", "2026-01-01", None, None))
    future = story(DETENTION, ("release", "2026-01-13", None, None))
    rearrest_first = story(DETENTION, ("rearrest", "2026-01-03", None, None))
    report = await import_file(
        harness,
        csv_bytes(
            STORY_HEADER,
            f"Ana Gómez,released,2026-01-02,,{early}",
            f"Eva Ruiz,released,2026-01-02,,{future}",
            f"Rosa Peña,detained,2026-01-02,,{rearrest_first}",
        ),
    )
    assert "Fila 2: La fecha 2026-01-01 es anterior a la detención (2026-01-02)." in report
    assert "Fila 3: La fecha 2026-01-13 está en el futuro." in report
    assert "Fila 4: un hecho rearrest no puede seguir al estado detained" in report


async def test_released_on_is_the_latest_release_and_stays_after_a_rearrest(
    harness: BotHarness,
) -> None:
    rearrested = story(
        DETENTION,
        ("release", "2026-01-05", None, None),
        ("rearrest", "2026-01-08", None, None),
    )
    report = await import_file(
        harness,
        csv_bytes(
            STORY_HEADER,
            f"Ana Gómez,detained,2026-01-02,,{rearrested}",
            f"Eva Ruiz,detained,2026-01-02,2026-01-04,{rearrested}",
        ),
    )
    assert "Fila 3: released_on 2026-01-04 no es la fecha de la última excarcelación" in report
    await confirm(harness)
    [case] = await harness.services.exports.cases(public=False)
    assert (case.state, case.released_on) == ("detained", "2026-01-05")


async def test_the_same_history_exports_the_same_through_commands_and_import(
    harness: BotHarness,
) -> None:
    await make_staff(harness)
    moderator = harness.people.moderator
    filed = await file_report(
        harness,
        name="Ana Gómez",
        detained_on=dt.date(2026, 1, 2),
        publish_consent_at=harness.clock.now(),
    )
    await say(harness, moderator, f"/verify #{filed.id}")
    await say(harness, moderator, "/excarcelar C1 05/01/2026 plena")
    await say(harness, moderator, "/redetencion C1 08/01/2026")
    history = story(
        DETENTION,
        ("release", "2026-01-05", None, None),
        ("rearrest", "2026-01-08", None, None),
    )
    await import_file(
        harness,
        csv_bytes(
            "person_name,state,detained_on,place,release_conditions,publish_consent,events",
            f"Eva Ruiz,detained,2026-01-02,helicoide,full_release,1,{history}",
        ),
    )
    await confirm(harness)
    await harness.rig.send_text(harness.people.admin, "/export csv public")
    _, data = sent_document(harness, harness.people.admin.id)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    compared = ("state", "detained_on", "released_on", "release_conditions", "events")
    by_command, by_import = ({name: row[name] for name in compared} for row in rows)
    assert by_command == by_import
    assert by_command["released_on"] == "2026-01-05"


async def test_a_changed_released_on_corrects_the_latest_release(harness: BotHarness) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V10000001")  # released 10 Jan
    report = await import_file(
        harness,
        csv_bytes(
            "person_name,cedula,state,released_on", "Ana Gómez,V10000001,released,2026-01-08"
        ),
    )
    assert "Por actualizar: 1" in report
    await confirm(harness)
    events = await harness.services.cases.events(1)
    releases = [event.event_date for event in events if event.kind is CaseEventKind.RELEASE]
    assert releases == [dt.date(2026, 1, 8)]
    case = await harness.services.cases.get(1)
    assert case is not None and case.released_on == dt.date(2026, 1, 8)


async def test_a_state_change_dated_before_the_latest_step_is_refused(
    harness: BotHarness,
) -> None:
    await add_case(
        harness,
        person_name="Ana Gómez",
        cedula="V10000001",
        state="house_arrest",
        released_on="",
        release_conditions="",
        events=json.dumps(
            [
                {"kind": "detention", "date": "2024-08-03", "after": "detained"},
                {"kind": "house_arrest", "date": "2026-01-10"},
            ]
        ),
    )
    report = await import_file(
        harness,
        csv_bytes(
            "person_name,cedula,state,released_on", "Ana Gómez,V10000001,released,2026-01-09"
        ),
    )
    assert (
        "Fila 2: La fecha 2026-01-09 es anterior al último hecho del caso (2026-01-10)" in report
    )


async def test_merge_notes_of_an_older_export_are_left_out_and_said(harness: BotHarness) -> None:
    old = json.dumps(
        [
            {"kind": "verified", "date": "2026-01-03", "before": None, "after": "detained"},
            {"kind": "merged", "date": "2026-01-04", "before": "detained",
             "after": "detained", "details": "merged_from=12"},
        ]
    )  # fmt: skip
    cell = '"' + old.replace('"', '""') + '"'
    report = await import_file(
        harness, csv_bytes(STORY_HEADER, f"Ana Gómez,detained,2026-01-02,,{cell}")
    )
    assert "Por crear: 1" in report
    assert "Dejadas fuera: 1 notas de fusión" in report
    done = await confirm(harness)
    assert "los reportes (también los que esperan verificación)" in done
    events = await harness.services.cases.events(1)
    assert all(event.details is None for event in events)
