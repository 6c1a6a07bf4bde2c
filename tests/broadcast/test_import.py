"""/import: a dry run that says what would change, then one transaction with an audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.csv_format import FULL_COLUMNS
from fake_telegram import FakeUser
from services.duplicates import Suggestion
from storage.fixtures import FixtureSpec, insert_cases, load_cases
from storage.roles import Role
from storage.tracked_chats import KEEP
from tests.broadcast.helpers import add_case, full_export, send_file
from tests.figures.dataset import CASES
from tests.harness import ADMIN_ID, BotHarness, make_settings
from tests.moderation.helpers import file_report, make_staff, say
from tests.roles import grant
from tests.status.helpers import texts_to

HEADER = "person_name,cedula,state,detained_on,released_on,sex,federal_entity"


def csv_bytes(*lines: str, separator: str = ",") -> bytes:
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode().replace(b",", separator.encode())


async def import_file(harness: BotHarness, content: bytes) -> str:
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/importar")
    await send_file(harness, admin, content)
    return harness.fake.last_text(admin.id)


async def confirm(harness: BotHarness) -> str:
    await harness.rig.press_button(harness.people.admin, "✅ Importar")
    return harness.fake.last_text(harness.people.admin.id)


async def stored(harness: BotHarness) -> dict[str, dict[str, object]]:
    cases = await harness.services.exports.cases(public=False)
    return {case.person_name: {"state": case.state, "cedula": case.cedula,
                               "detained_on": case.detained_on, "sex": case.sex,
                               "released_on": case.released_on, "events": case.events}
            for case in cases}  # fmt: skip


async def test_dry_run_lists_creates_updates_and_rejections(harness: BotHarness) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V-10.000.001", state="detained",
                   released_on="", release_conditions="")  # fmt: skip
    report = await import_file(
        harness,
        csv_bytes(
            HEADER,
            "Pedro Díaz,,detained,2025-01-05,,male,zulia",
            "Ana Gómez,V10000001,detained,2024-08-03,,female,",
            ",,detained,2025-01-05,,,",
            "Luis Mora,V-12,detained,2025-01-05,,,",
            "Rosa Peña,,jailed,2025-01-05,,,",
            "Rosa Peña,,detained,2099-01-05,,,",
        ),
    )
    assert "Revisión de la importación: todavía no se guardó nada" in report
    assert "Por crear: 1" in report and "Filas por crear: 2" in report
    assert "Por actualizar: 1" in report and "Filas por actualizar: 3" in report
    assert "Rechazadas: 4" in report
    assert "Fila 4: person_name está vacío" in report
    assert "Fila 5: cedula «V-12» no es una cédula válida" in report
    assert "Fila 6: state «jailed» no es uno de los estados de un caso" in report
    assert "Fila 7: detained_on 2099-01-05 es una fecha futura" in report
    assert set(await stored(harness)) == {"Ana Gómez"}


async def test_confirm_applies_everything_with_one_audit_event_per_case(
    harness: BotHarness,
) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V-10.000.001", state="detained",
                   released_on="", release_conditions="")  # fmt: skip
    audit_before = await harness.services.audit.count()
    await import_file(
        harness,
        csv_bytes(
            HEADER,
            "Pedro Díaz,,detained,2025-01-05,,male,zulia",
            "Ana Gómez,V10000001,released,2024-08-03,2025-02-01,female,",
        ),
    )
    report = await confirm(harness)
    assert "Importación hecha" in report
    cases = await stored(harness)
    assert cases["Pedro Díaz"]["state"] == "detained"
    assert cases["Pedro Díaz"]["sex"] == "male"
    # A list without history gets one: the verification (on the detention date here).
    assert [(event.kind, event.event_date, event.state_after)
            for event in cases["Pedro Díaz"]["events"]] == [  # type: ignore[attr-defined]
        ("verified", "2025-01-05", "detained")
    ]  # fmt: skip
    assert cases["Ana Gómez"]["state"] == "released"
    assert cases["Ana Gómez"]["released_on"] == "2025-02-01"
    assert cases["Ana Gómez"]["sex"] == "female"
    kinds = [(event.kind, event.event_date) for event in cases["Ana Gómez"]["events"]]  # type: ignore[attr-defined]
    assert kinds[-1] == ("release", "2025-02-01")
    assert await harness.services.audit.count() == audit_before + 2
    assert (await harness.services.audit.verify_chain()).intact


async def test_matching_by_name_and_detention_date_without_cedula(harness: BotHarness) -> None:
    await add_case(harness, person_name="María José Rodríguez", state="detained",
                   released_on="", release_conditions="")  # fmt: skip
    report = await import_file(
        harness, csv_bytes(HEADER, "rodriguez  MARIA jose,,detained,2024-08-03,,female,")
    )
    assert "Por crear: 0" in report and "Por actualizar: 1" in report


async def test_a_row_equal_to_the_stored_case_is_left_alone(harness: BotHarness) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V10000001", state="detained",
                   released_on="", release_conditions="")  # fmt: skip
    report = await import_file(harness, csv_bytes(HEADER, "Ana Gómez,V10000001,detained,,,,"))
    assert "Ya al día: 1" in report
    assert "Nada que importar" not in report
    assert "No hay nada que importar" in report
    assert harness.fake.buttons(harness.fake.last_bot_message(harness.people.admin.id)) == []


async def test_an_illegal_state_change_is_rejected_with_the_reason(harness: BotHarness) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V10000001", state="detained",
                   released_on="", release_conditions="")  # fmt: skip
    report = await import_file(harness, csv_bytes(HEADER, "Ana Gómez,V10000001,closed,,,,"))
    reason = harness.services.catalogs.get("es").gettext(
        "The person is still deprived of liberty; record a release or a death "
        "before closing the case."
    )
    assert f"Fila 2: {reason}" in report


async def test_house_arrest_is_never_a_release_condition(harness: BotHarness) -> None:
    report = await import_file(
        harness,
        csv_bytes(
            "person_name,state,detained_on,released_on,release_conditions",
            "Ana Gómez,released,2025-01-05,2025-02-01,house_arrest",
        ),
    )
    assert "Fila 2: release_conditions: el arresto domiciliario no es una excarcelación" in report


async def test_the_same_person_twice_in_the_file_is_rejected(harness: BotHarness) -> None:
    report = await import_file(
        harness,
        csv_bytes(HEADER, "Ana Gómez,V10000001,detained,,,,", "Ana G.,V-10.000.001,detained,,,,"),
    )
    assert "Fila 3: es la misma persona que la fila 2" in report


async def test_spreadsheet_csv_with_semicolons_and_day_first_dates(harness: BotHarness) -> None:
    await import_file(
        harness, csv_bytes(HEADER, "Pedro Díaz,,detained,05/01/2025,,,", separator=";")
    )
    await confirm(harness)
    assert (await stored(harness))["Pedro Díaz"]["detained_on"] == "2025-01-05"


async def test_a_file_with_unknown_columns_is_refused(harness: BotHarness) -> None:
    report = await import_file(harness, csv_bytes("nombre,estado", "Ana,detenida"))
    assert "no se puede leer como una lista de casos" in report
    assert "columnas desconocidas: nombre, estado" in report


async def test_the_file_can_come_with_the_command_as_caption(harness: BotHarness) -> None:
    admin = harness.people.admin
    await send_file(
        harness, admin, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"), caption="/import"
    )
    assert "Por crear: 1" in harness.fake.last_text(admin.id)


async def test_cancel_saves_nothing(harness: BotHarness) -> None:
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    await harness.rig.press_button(harness.people.admin, "✖️ Cancelar")
    assert harness.fake.last_text(harness.people.admin.id) == (
        "Importación cancelada: no se guardó nada."
    )
    assert await stored(harness) == {}


async def test_only_admins_may_import(harness: BotHarness) -> None:
    moderator = harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    await harness.rig.send_text(moderator, "/import")
    assert harness.fake.last_text(moderator.id) == "Este comando no está disponible."
    await send_file(harness, moderator, csv_bytes(HEADER, "X Y,,detained,,,,"), caption="/import")
    assert harness.fake.calls("getFile") == []


async def test_the_confirm_button_rechecks_the_role(harness: BotHarness) -> None:
    other_admin = harness.people.moderator
    await grant(harness, other_admin, Role.ADMIN)
    await harness.rig.send_text(other_admin, "/import")
    await send_file(harness, other_admin, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    await harness.services.roles.revoke(other_admin.id)
    await harness.rig.press_button(other_admin, "✅ Importar")
    assert await stored(harness) == {}


@pytest.fixture
async def empty(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A second deployment on its own, empty database."""
    bot = BotHarness(make_settings(tmp_path / "other"))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def test_a_full_export_imported_into_an_empty_database_gives_the_same_cases(
    harness: BotHarness, empty: BotHarness
) -> None:
    services = harness.services
    spec = FixtureSpec(cases=40, merged_share=0.1, rearrest_share=0.3)
    await load_cases(services.db, services.cipher, spec)
    original = await full_export(harness)

    report = await import_file(empty, original)
    assert "Rechazadas: 0" in report
    assert "Por crear: 40" in report
    await confirm(empty)
    copy = await full_export(empty)
    assert comparable(copy) == comparable(original)


async def test_a_full_export_imported_into_an_empty_database_gives_the_same_figures(
    harness: BotHarness, empty: BotHarness
) -> None:
    services = harness.services
    await insert_cases(services.db, services.cipher, CASES)
    original = await full_export(harness)

    assert "Rechazadas: 0" in await import_file(empty, original)
    await confirm(empty)
    for command, reader in (("/cifras", "family_es"), ("/figures", "family_en")):
        before, after = [
            await figures_text(bot, getattr(bot.people, reader), command)
            for bot in (harness, empty)
        ]
        assert after == before
    # The known data set's own numbers, so both sides are not merely equally wrong.
    spanish = await figures_text(empty, empty.people.family_es, "/cifras")
    assert "Personas privadas de libertad: <b>5</b> (última verificación: 10 ene 2026)" in spanish
    assert "Excarcelaciones: <b>3</b> (la más reciente: 9 ene 2026)" in spanish
    assert "últimos 7 días: <b>1</b> · últimos 30 días: <b>2</b>" in spanish
    assert "Detenidas otra vez: <b>1</b> (la más reciente: 10 ene 2026)" in spanish


async def figures_text(harness: BotHarness, user: FakeUser, command: str) -> str:
    await harness.rig.send_text(user, command)
    return str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])


async def test_the_court_presentation_interval_survives_export_and_import(
    harness: BotHarness, empty: BotHarness
) -> None:
    await make_staff(harness)
    report = await file_report(harness, name="Rosa Peña")
    moderator = harness.people.moderator
    await say(harness, moderator, f"/verify #{report.id}")
    verified = await harness.services.review.get(report.id)
    assert verified is not None and verified.case_id is not None
    await say(harness, moderator, f"/excarcelar C{verified.case_id} hoy presentacion cada 15 días")
    original = await full_export(harness)
    [row] = csv.DictReader(io.StringIO(original.decode("utf-8-sig")))
    assert row["presentation_days"] == "15"

    assert "Por crear: 1" in await import_file(empty, original)
    await confirm(empty)
    [case] = await empty.services.exports.cases(public=False)
    assert (case.release_conditions, case.presentation_days) == (("court_presentation",), 15)
    copy = await full_export(empty)
    assert comparable(copy) == comparable(original)


async def test_an_interval_outside_1_to_90_days_or_without_presentation_is_rejected(
    harness: BotHarness,
) -> None:
    report = await import_file(
        harness,
        csv_bytes(
            "person_name,state,detained_on,released_on,release_conditions,presentation_days",
            "Ana Gómez,released,2025-01-05,2025-02-01,court_presentation,91",
            "Eva Ruiz,released,2025-01-05,2025-02-01,travel_ban,15",
            "Rosa Peña,released,2025-01-05,2025-02-01,court_presentation,30",
        ),
    )
    assert "Fila 2: presentation_days «91» no es un número válido" in report
    assert "Fila 3: presentation_days requiere court_presentation" in report
    assert "Por crear: 1" in report
    await confirm(harness)
    [case] = await harness.services.exports.cases(public=False)
    assert case.presentation_days == 30


def comparable(data: bytes) -> list[tuple[str, ...]]:
    """The rows with each case id (and merged_into) replaced by the person it names."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    names = {row["case_id"]: row["person_name"] for row in rows}
    result = []
    for row in rows:
        row = dict(row, merged_into=names.get(row["merged_into"], ""), case_id="")
        result.append(tuple(row[column] for column in FULL_COLUMNS))
    return sorted(result)


async def test_confirm_after_a_restart_still_applies_the_checked_file(
    harness: BotHarness,
) -> None:
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,2025-01-05,,male,"))
    await harness.restart()
    report = await confirm(harness)
    assert "Importación hecha" in report
    assert set(await stored(harness)) == {"Pedro Díaz"}


async def test_the_file_sent_after_a_restart_is_still_awaited(harness: BotHarness) -> None:
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/importar")
    await harness.restart()
    await send_file(harness, admin, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    assert "Por crear: 1" in harness.fake.last_text(admin.id)


async def test_pressing_confirm_twice_imports_once(harness: BotHarness) -> None:
    admin = harness.people.admin
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,2025-01-05,,male,"))
    check = harness.fake.last_bot_message(admin.id)
    go, _ = check_buttons(harness)
    audit_before = await harness.services.audit.count()
    await harness.rig.press(admin, check.message_id, go)
    await harness.rig.press(admin, check.message_id, go)
    assert set(await stored(harness)) == {"Pedro Díaz"}
    assert len(await harness.services.exports.cases(public=False)) == 1
    assert await harness.services.audit.count() == audit_before + 1
    assert harness.fake.last_text(admin.id).startswith("Esa importación ya se aplicó")
    done = [text for text in texts_to(harness, admin.id) if "Importación hecha" in text]
    assert len(done) == 1


def check_buttons(harness: BotHarness) -> tuple[str, str]:
    """The callback data of the dry run's Import and Cancel buttons."""
    [[(_, go), (_, no)]] = harness.fake.buttons(harness.fake.last_bot_message(ADMIN_ID))
    assert isinstance(go, str) and isinstance(no, str)
    return go, no


async def test_confirm_after_cancel_imports_nothing(harness: BotHarness) -> None:
    admin = harness.people.admin
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    check = harness.fake.last_bot_message(admin.id)
    go, no = check_buttons(harness)
    await harness.rig.press(admin, check.message_id, no)
    await harness.rig.press(admin, check.message_id, go)
    assert await stored(harness) == {}


async def test_a_pending_import_expires_after_a_day(harness: BotHarness) -> None:
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    harness.clock.advance(dt.timedelta(hours=25))
    assert (await confirm(harness)).startswith("Esa importación ya se aplicó")
    assert await stored(harness) == {}


async def pending_imports(harness: BotHarness) -> int:
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM pending_imports")
    return int(row[0]) if row else -1


async def test_the_daily_retention_forgets_a_file_nobody_confirmed(harness: BotHarness) -> None:
    # The admin keeps its chat, so the preview's button is still there a day later.
    await harness.services.expiry.chats.set_choice(harness.people.admin.id, KEEP)
    await import_file(harness, csv_bytes(HEADER, "Pedro Díaz,,detained,,,,"))
    harness.clock.advance(dt.timedelta(hours=23))
    await harness.run_jobs()
    assert await pending_imports(harness) == 1  # still within its day
    harness.clock.advance(dt.timedelta(hours=2))
    await harness.run_jobs()
    assert await pending_imports(harness) == 0
    assert (await confirm(harness)).startswith("Esa importación ya se aplicó")
    assert await stored(harness) == {}


async def test_the_next_report_of_an_imported_person_is_suggested(harness: BotHarness) -> None:
    await make_staff(harness)
    await import_file(
        harness,
        csv_bytes(
            HEADER,
            "José Gregorio Pérez Rodríguez,V-11.222.333,detained,2026-01-05,,male,miranda",
            "Ana María Salas,,detained,2026-01-06,,female,zulia",
        ),
    )
    await confirm(harness)
    ids = {case.person_name: case.case_id for case in await harness.services.exports.cases(
        public=False)}  # fmt: skip
    by_cedula = await file_moderated(
        harness, name="Otro Nombre", cedula="V11222333", detained_on=dt.date(2026, 1, 9)
    )
    assert [item.case_id for item in by_cedula] == [ids["José Gregorio Pérez Rodríguez"]]
    by_name = await file_moderated(
        harness, name="ana maria salas", detained_on=dt.date(2026, 1, 6)
    )
    assert [item.case_id for item in by_name] == [ids["Ana María Salas"]]
    # And through the desk: the moderator's view of that report offers the imported case.
    report = await file_report(harness, name="Salas Ana María", detained_on=dt.date(2026, 1, 6))
    await say(harness, harness.people.moderator, f"/case #{report.id}")
    labels = [
        label
        for message in harness.fake.bot_messages(harness.people.moderator.id)
        for row in harness.fake.buttons(message)
        for label, _ in row
    ]
    assert any(f"C{ids['Ana María Salas']} (" in label for label in labels), labels


async def file_moderated(harness: BotHarness, **fields: object) -> list[Suggestion]:
    """A new report's suggestions, as the desk asks for them."""
    report = await file_report(harness, **fields)  # type: ignore[arg-type]
    assert report.person_name is not None
    return harness.services.duplicates.suggest(
        report.person_name, report.cedula, report.detained_on
    )
