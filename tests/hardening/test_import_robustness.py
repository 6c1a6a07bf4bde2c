"""/importar with a hostile or broken file: a precise, localised line for a huge cell
and for deeply nested events, and hundreds of malformed files that neither crash the
bot nor import half of anything."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.broadcast.test_import import HEADER, csv_bytes, import_file
from tests.harness import BotHarness, make_settings

GENERIC_ERROR = "Algo falló de nuestro lado"  # the error handler's apology: never reached


# What a file can get: a dry run, or why it cannot be read at all.
ANSWERS = (
    "<b>Revisión de la importación",
    "Este archivo no se puede leer",
    "El archivo tiene encabezado pero ninguna fila",
)


COUNTS = ("Por crear: ", "Por actualizar: ")


def apologies(harness: BotHarness) -> int:
    admin = harness.people.admin.id
    return sum(GENERIC_ERROR in message.body for message in harness.fake.bot_messages(admin))


async def test_a_cell_over_128_kb_is_named_with_its_row(harness: BotHarness) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    report = await import_file(
        harness,
        csv_bytes(HEADER, "Pedro Díaz,,detained,2025-01-05,,male,zulia", f"{huge},,,,,,"),
    )
    assert "no se puede leer como una lista de casos en CSV" in report
    assert "la fila 3 tiene una celda de más de 128 KB" in report
    assert apologies(harness) == 0
    assert await harness.services.exports.cases(public=False) == []


async def test_deeply_nested_events_are_one_rejected_row(harness: BotHarness) -> None:
    nested = "[" * 50_000 + "]" * 50_000  # under the 128 KB a cell may hold
    report = await import_file(
        harness,
        csv_bytes(
            "person_name,state,detained_on,events",
            f'Pedro Díaz,detained,2025-01-05,"{nested}"',
            "Ana Gómez,detained,2025-01-06,",
        ),
    )
    assert "Fila 2: events está anidado demasiado hondo" in report
    assert "Por crear: 1" in report
    assert apologies(harness) == 0


# Plausible values per column, and the shapes cells take when a file goes wrong.
GOOD = {
    "person_name": ["Pedro Díaz", "Ana Gómez", "María José Rodríguez", "Luis Mora"],
    "cedula": ["V-12.345.678", "E81234567", "", "V10000001"],
    "state": ["detained", "disappeared", "house_arrest", "released", "deceased", "closed"],
    "detained_on": ["2025-01-05", "2024-08-03", "05/01/2025", ""],
    "released_on": ["2025-02-01", ""],
    "sex": ["male", "female", "other", ""],
    "federal_entity": ["zulia", "lara", "distrito_capital", ""],
    "release_conditions": ["court_presentation", "travel_ban,press_ban", "full_release", ""],
    "presentation_days": ["15", "8", ""],
    "publish_consent": ["1", "0"],
    "age": ["34", "17", ""],
    "events": ['[{"kind": "verified", "date": "2025-01-05", "after": "detained"}]', "[]", ""],
    "case_id": ["1", "2", "3"],
    "merged_into": ["", "1"],
}
BAD = st.one_of(
    st.sampled_from(
        [
            "",
            "V12",
            "jailed",
            "2099-01-01",
            "31/02/2025",
            "-5",
            "99999999999999999999",
            "[{}]",
            '[{"kind": "release"}]',
            "{",
            "=HYPERLINK(1)",
            "'",
            '"',
            "\x00",
            "\r",
            "\n",
            ";",
            ",",
            "ñ" * 50,
            "unknown",
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def cell(draw: st.DrawFn, column: str) -> str:
    if column in GOOD and draw(st.integers(0, 3)) > 0:
        return draw(st.sampled_from(GOOD[column]))
    return draw(BAD)


@st.composite
def broken_files(draw: st.DrawFn) -> bytes:
    """Mostly files an admin could send (some rows right, some wrong), then damaged."""
    names = sorted(GOOD)
    columns = draw(st.lists(st.sampled_from(names), min_size=1, max_size=7, unique=True))
    if draw(st.integers(0, 4)) > 0:
        columns = [
            "person_name",
            "state",
            *(c for c in columns if c not in ("person_name", "state")),
        ]
    if draw(st.integers(0, 9)) == 0:
        columns.append(draw(st.sampled_from(["unknown_column", "", " State "])))
    separator = draw(st.sampled_from([",", ";"]))
    rows = draw(st.lists(st.tuples(*(cell(column) for column in columns)).map(list), max_size=6))
    if rows and draw(st.integers(0, 4)) == 0:
        rows[0] = rows[0][: draw(st.integers(0, len(columns)))]  # a short row
    quote = draw(st.booleans())
    lines = [separator.join(f'"{c}"' if quote and '"' not in c else c for c in line)
             for line in [columns, *rows]]  # fmt: skip
    encoded = ("\ufeff" + "\r\n".join(lines)).encode("utf-8", errors="surrogatepass")
    damage = draw(st.integers(0, 5))
    if damage > 1:
        return encoded
    junk = draw(st.binary(max_size=30))
    cut = draw(st.integers(min_value=0, max_value=len(encoded)))
    return [encoded[:cut] + junk, junk + encoded][damage]


async def database_digest(harness: BotHarness) -> str:
    digest = hashlib.sha256()
    for table in ("cases", "case_events", "audit_events"):
        for row in await harness.services.db.fetch_all(f'SELECT * FROM "{table}"'):  # noqa: S608
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


async def check_one(harness: BotHarness, data: bytes) -> None:
    """Every file gets an answer of its own; Confirm writes all it announced or nothing."""
    admin = harness.people.admin
    # An admin's pace: each file well apart, so the flood gate never answers instead.
    harness.clock.advance(dt.timedelta(seconds=30))
    before = await database_digest(harness)
    apologised = apologies(harness)
    cases_before = len(await harness.services.exports.cases(public=False))
    answer = await import_file(harness, data)
    assert apologies(harness) == apologised, answer
    assert answer.startswith(ANSWERS), answer
    assert await database_digest(harness) == before  # a dry run writes nothing
    buttons = [
        label
        for row in harness.fake.buttons(harness.fake.last_bot_message(admin.id))
        for label, _ in row
    ]
    if "✅ Importar" not in buttons:
        return
    audit_before = await harness.services.audit.count()
    await harness.rig.press_button(admin, "✅ Importar")
    done = harness.fake.last_text(admin.id)
    assert "Importación hecha" in done, done
    created, updated = (int(done.split(label)[1].split("\n")[0]) for label in COUNTS)
    # All of it or nothing: every case announced is there, each with its audit event.
    assert len(await harness.services.exports.cases(public=False)) == cases_before + created
    assert await harness.services.audit.count() == audit_before + created + updated
    assert (await harness.services.audit.verify_chain()).intact


def test_hundreds_of_malformed_files_neither_crash_nor_half_import(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    harness = BotHarness(make_settings(tmp_path))
    loop.run_until_complete(harness.start())

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(broken_files())
    def one_file(data: bytes) -> None:
        loop.run_until_complete(check_one(harness, data))

    try:
        one_file()
    finally:
        loop.run_until_complete(harness.stop())
        loop.close()
