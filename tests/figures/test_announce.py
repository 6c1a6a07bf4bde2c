"""/announce: only broadcasters and admins record official claims; bad input is explained."""

from __future__ import annotations

import pytest

from fake_telegram import FakeUser
from storage.roles import Role
from tests.figures.dataset import seed
from tests.harness import BotHarness
from tests.roles import grant

NOT_AVAILABLE = "Este comando no está disponible."


async def _broadcaster(harness: BotHarness) -> FakeUser:
    user = harness.people.broadcaster
    await grant(harness, user, Role.BROADCASTER)
    return user


async def _reply(harness: BotHarness, user: FakeUser, text: str) -> str:
    await harness.rig.send_text(user, text)
    return harness.fake.last_text(user.id)


async def test_a_broadcaster_records_an_announcement_and_sees_the_gap(
    harness: BotHarness,
) -> None:
    await seed(harness)
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 3 01/12/2025 Fiscalía General")
    assert reply == (
        "Registrado. Las autoridades anunciaron <b>3</b> excarcelaciones desde el 1 de "
        "diciembre de 2025 (Fiscalía General); verificadas hasta ahora: <b>2</b> (66,7%).\n"
        "Ya aparece en /cifras."
    )


async def test_announced_versus_verified_shows_in_the_figures_in_both_languages(
    harness: BotHarness,
) -> None:
    await seed(harness)
    user = await _broadcaster(harness)
    await harness.rig.send_text(user, "/announce 1500 2026-01-01 Ministerio, rueda de prensa")
    await harness.rig.send_text(user, "/announce 3 01/12/2025 Fiscalía General")
    await harness.rig.send_text(harness.people.family_es, "/cifras")
    spanish = str(
        harness.fake.calls("sendMessage", harness.people.family_es.id)[-1].params["text"]
    )
    assert (
        "<b>Anunciado y verificado</b>\n"
        "Las autoridades anunciaron <b>1.500</b> excarcelaciones desde el 1 de enero de 2026 "
        "(Ministerio, rueda de prensa); verificadas hasta ahora: <b>1</b> (0,1%).\n"
        "Las autoridades anunciaron <b>3</b> excarcelaciones desde el 1 de diciembre de 2025 "
        "(Fiscalía General); verificadas hasta ahora: <b>2</b> (66,7%).\n"
    ) in spanish
    await harness.rig.send_text(harness.people.family_en, "/figures")
    english = str(
        harness.fake.calls("sendMessage", harness.people.family_en.id)[-1].params["text"]
    )
    assert (
        "<b>Announced and verified</b>\n"
        "The authorities announced <b>1,500</b> releases since January 1, 2026 "
        "(Ministerio, rueda de prensa); verified so far: <b>1</b> (0.1%).\n"
        "The authorities announced <b>3</b> releases since December 1, 2025 "
        "(Fiscalía General); verified so far: <b>2</b> (66.7%).\n"
    ) in english


async def test_a_single_announced_release_reads_in_the_singular(harness: BotHarness) -> None:
    await seed(harness)
    user = await _broadcaster(harness)
    await harness.services.prefs.set_language(user.id, "en")
    reply = await _reply(harness, user, "/announce 1 2026-01-08 Governor, on the radio")
    assert "announced <b>1</b> release since January 8, 2026" in reply
    assert "verified so far: <b>1</b> (100%)" in reply


async def test_an_admin_may_announce(harness: BotHarness) -> None:
    reply = await _reply(harness, harness.people.admin, "/anunciar 10 05/01/2026 Fiscalía")
    assert reply.startswith("Registrado.")


@pytest.mark.parametrize("who", ["stranger", "family_es", "moderator"])
async def test_anyone_else_is_told_the_command_is_not_available(
    harness: BotHarness, who: str
) -> None:
    await grant(harness, harness.people.moderator, Role.MODERATOR)
    user = getattr(harness.people, who)
    assert await _reply(harness, user, "/anunciar 400 08/01/2026 Fiscalía") == NOT_AVAILABLE
    assert await harness.services.announcements.recent() == []


async def test_without_arguments_the_usage_is_explained(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar")
    assert reply.startswith("Uso: /anunciar CANTIDAD FECHA FUENTE")


@pytest.mark.parametrize("count", ["muchos", "0", "-5", "12.34", "20000000"])
async def test_a_count_that_is_not_a_whole_positive_number_is_refused(
    harness: BotHarness, count: str
) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, f"/anunciar {count} 08/01/2026 Fiscalía")
    assert reply.startswith(f"«{count}» no es una cantidad de excarcelaciones")
    assert await harness.services.announcements.recent() == []


async def test_a_count_with_thousands_separators_is_read(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    await _reply(harness, user, "/anunciar 1.500 08/01/2026 Fiscalía")
    [announcement] = await harness.services.announcements.recent()
    assert announcement.claimed_count == 1500


async def test_a_future_date_is_refused_with_the_reason(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 400 13/01/2026 Fiscalía")
    assert reply.startswith("La fecha «13/01/2026» está en el futuro")
    assert await harness.services.announcements.recent() == []


async def test_an_unreadable_date_is_refused_with_an_example(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 400 31/02/2026 Fiscalía")
    assert reply.startswith("No entiendo la fecha «31/02/2026»: escríbela como 08/01/2026")


async def test_a_date_before_the_records_is_refused(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 400 01/01/2010 Fiscalía")
    assert reply.startswith("La fecha «01/01/2010» es anterior a 2014")


async def test_an_overlong_source_is_refused(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 400 08/01/2026 " + "x" * 201)
    assert reply.startswith("La fuente es muy larga")


async def test_the_source_is_shown_as_typed_never_as_markup(harness: BotHarness) -> None:
    user = await _broadcaster(harness)
    reply = await _reply(harness, user, "/anunciar 400 08/01/2026 <b>TV</b> & radio")
    assert "(&lt;b&gt;TV&lt;/b&gt; &amp; radio)" in reply
    [announcement] = await harness.services.announcements.recent()
    assert announcement.source == "<b>TV</b> & radio"
