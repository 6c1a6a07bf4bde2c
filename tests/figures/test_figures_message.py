"""/cifras and /figures on a hand-built data set: exact numbers and dates, both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

from domain.transitions import CaseAction, case_transition
from storage.cases import Change
from storage.fixtures import insert_cases
from storage.roles import Role
from tests.figures.dataset import CASES, seed
from tests.harness import BotHarness
from tests.roles import grant


async def _figures_text(harness: BotHarness, command: str, *, spanish: bool) -> str:
    user = harness.people.family_es if spanish else harness.people.family_en
    await harness.rig.send_text(user, command)
    return str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])


async def test_spanish_figures_are_exact_on_the_known_data_set(harness: BotHarness) -> None:
    await seed(harness)
    lines = (await _figures_text(harness, "/cifras", spanish=True)).splitlines()
    assert lines == [
        "<b>📊 Cifras verificadas</b>",
        "Solo casos que nuestro equipo verificó uno por uno. Cifras al 12 de enero de 2026.",
        "",
        "🔒 Personas privadas de libertad: <b>5</b> (última verificación: 10 ene 2026)",
        "   de ellas, desaparecidas: <b>1</b> (última verificación: 4 ene 2026)",
        "   de ellas, con arresto domiciliario: <b>1</b> (última verificación: 5 ene 2026)",
        "🔓 Excarcelaciones: <b>3</b> (la más reciente: 9 ene 2026)",
        "   últimos 7 días: <b>1</b> · últimos 30 días: <b>2</b>",
        "🔁 Detenidas otra vez: <b>1</b> (la más reciente: 10 ene 2026)",
        "🕯 Muertes bajo custodia: <b>1</b> (la más reciente: 30 nov 2025)",
        "⏳ Reportes por verificar: <b>2</b>",
        "",
        "<b>Privadas de libertad, por grupo</b>",
        "Hombres: <b>3</b> · Mujeres: <b>2</b>",
        "Civiles: <b>4</b> · Militares activos: <b>1</b>",
        "Menores de edad: <b>1</b>",
        "",
        "<b>Por estado</b>",
        "Distrito Capital: <b>2</b> · Carabobo: <b>1</b> · Miranda: <b>1</b> · Zulia: <b>1</b>",
        "",
        "<b>Por cuerpo aprehensor</b>",
        "SEBIN: <b>2</b> · CICPC: <b>1</b> · DGCIM: <b>1</b> · PNB: <b>1</b>",
    ]


async def test_english_figures_are_exact_on_the_known_data_set(harness: BotHarness) -> None:
    await seed(harness)
    lines = (await _figures_text(harness, "/figures", spanish=False)).splitlines()
    assert lines == [
        "<b>📊 Verified figures</b>",
        "Only cases our team verified one by one. Figures as of January 12, 2026.",
        "",
        "🔒 Deprived of liberty: <b>5</b> (last verified Jan 10, 2026)",
        "   of whom disappeared: <b>1</b> (last verified Jan 4, 2026)",
        "   of whom under house arrest: <b>1</b> (last verified Jan 5, 2026)",
        "🔓 Releases: <b>3</b> (latest on Jan 9, 2026)",
        "   last 7 days: <b>1</b> · last 30 days: <b>2</b>",
        "🔁 Re-arrests: <b>1</b> (latest on Jan 10, 2026)",
        "🕯 Deaths in custody: <b>1</b> (latest on Nov 30, 2025)",
        "⏳ Reports awaiting verification: <b>2</b>",
        "",
        "<b>Deprived of liberty, by group</b>",
        "Men: <b>3</b> · Women: <b>2</b>",
        "Civilians: <b>4</b> · Active military: <b>1</b>",
        "Minors: <b>1</b>",
        "",
        "<b>By state</b>",
        "Distrito Capital: <b>2</b> · Carabobo: <b>1</b> · Miranda: <b>1</b> · Zulia: <b>1</b>",
        "",
        "<b>By detaining body</b>",
        "SEBIN: <b>2</b> · CICPC: <b>1</b> · DGCIM: <b>1</b> · PNB: <b>1</b>",
    ]


async def test_large_numbers_use_the_readers_thousands_separator(harness: BotHarness) -> None:
    detained = next(case for case in CASES if case.id == 1)
    many = [dataclasses.replace(detained, id=100 + index) for index in range(1_234)]
    await insert_cases(harness.services.db, harness.services.cipher, many)
    assert "<b>1.234</b>" in await _figures_text(harness, "/cifras", spanish=True)
    assert "<b>1,234</b>" in await _figures_text(harness, "/figures", spanish=False)


async def test_house_arrest_is_deprived_of_liberty_and_never_a_release(
    harness: BotHarness,
) -> None:
    house_arrest = [case for case in CASES if case.id == 4]
    await insert_cases(harness.services.db, harness.services.cipher, house_arrest)
    text = await _figures_text(harness, "/figures", spanish=False)
    assert "Deprived of liberty: <b>1</b>" in text
    assert "of whom under house arrest: <b>1</b>" in text
    assert "Releases: <b>0</b>" in text


async def test_a_merged_duplicate_is_never_counted_twice(harness: BotHarness) -> None:
    released_twice = [case for case in CASES if case.id in (5, 9)]  # 9 is merged into 5
    await insert_cases(harness.services.db, harness.services.cipher, released_twice)
    text = await _figures_text(harness, "/figures", spanish=False)
    assert "Releases: <b>1</b>" in text
    assert "last 7 days: <b>1</b>" in text


async def test_figures_follow_a_release_the_desk_records(harness: BotHarness) -> None:
    await seed(harness)
    assert "Releases: <b>3</b>" in await _figures_text(harness, "/figures", spanish=False)
    services = harness.services
    case = await services.cases.get(2)
    assert case is not None
    async with services.db.transaction() as conn:
        await services.cases.apply(
            conn,
            case,
            case_transition(case.state, CaseAction.RELEASE),
            Change(event_date=dt.date(2026, 1, 12)),
            actor_key="test",
        )
    text = await _figures_text(harness, "/figures", spanish=False)
    assert "Deprived of liberty: <b>4</b>" in text
    assert "Releases: <b>4</b> (latest on Jan 12, 2026)" in text
    assert "Minors: <b>0</b>" in text


async def test_figures_come_from_the_main_menu_button(harness: BotHarness) -> None:
    user = harness.people.family_en
    await seed(harness)
    await harness.rig.send_text(user, "/start")
    await harness.rig.press_button(user, "📊 Verified figures")
    text = str(harness.fake.calls("sendMessage", user.id)[-1].params["text"])
    assert "Deprived of liberty: <b>5</b>" in text
    assert harness.fake.calls("sendPhoto", user.id)


async def test_with_no_cases_yet_every_figure_is_zero(harness: BotHarness) -> None:
    text = await _figures_text(harness, "/figures", spanish=False)
    assert "Deprived of liberty: <b>0</b>\n" in text
    assert "Releases: <b>0</b>\n" in text
    assert "by group" not in text


async def test_a_death_in_custody_is_counted_and_never_as_a_release(harness: BotHarness) -> None:
    await seed(harness)
    moderator = harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    await harness.rig.send_text(moderator, "/fallecimiento C2 11/01/2026")
    text = await _figures_text(harness, "/figures", spanish=False)
    assert "Deaths in custody: <b>2</b> (latest on Jan 11, 2026)" in text
    assert "Deprived of liberty: <b>4</b>" in text
    assert "Releases: <b>3</b> (latest on Jan 9, 2026)" in text
    spanish = await _figures_text(harness, "/cifras", spanish=True)
    assert "Muertes bajo custodia: <b>2</b> (la más reciente: 11 ene 2026)" in spanish
