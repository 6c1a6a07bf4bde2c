"""Two hundred families reporting at the same moment each get exactly their own report."""

from __future__ import annotations

import asyncio

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.intake.helpers import Family

REPORTERS = 200


def answers(index: int, spanish: bool) -> list[tuple[str, str]]:
    """A report that differs per reporter in every free-text answer and in its choices."""
    if spanish:
        return [
            ("tap", "📝 Una detención"),
            ("say", f"Persona Número {index}"),
            ("say", f"V-{20_000_000 + index}"),
            ("tap", "Mujer"),
            ("say", str(18 + index % 60)),
            ("tap", "⏭"),
            ("say", "ayer"),
            ("tap", "Apure" if index % 2 else "Aragua"),
            ("say", f"Municipio {index}"),
            ("tap", "GNB"),
            ("tap", "Desconocido" if index % 3 == 0 else "Yare"),
            ("say", f"Relato {index}"),
            ("tap", "✅ Listo"),
            ("say", f"prima {index}"),
            ("tap", "✅ Sí"),
            ("tap", "No"),
            ("tap", "✅ Confirmar y enviar"),
        ]
    return [
        ("tap", "📝 A detention"),
        ("say", f"Person Number {index}"),
        ("say", f"{30_000_000 + index}"),
        ("tap", "Man"),
        ("say", str(18 + index % 60)),
        ("tap", "Civilian"),
        ("say", "today"),
        ("tap", "Barinas"),
        ("say", f"Town {index}"),
        ("tap", "CICPC"),
        ("tap", "Tocorón"),
        ("say", f"Story {index}"),
        ("tap", "✅ Done"),
        ("say", f"friend {index}"),
        ("tap", "No"),
        ("tap", "✅ Yes"),
        ("tap", "✅ Confirm and send"),
    ]


async def report(reporter: Family, index: int, spanish: bool) -> None:
    await reporter.say("/reportar" if spanish else "/report")
    # Let the other families' updates interleave with this one's.
    await reporter.act(answers(index, spanish), interleave=True)


async def test_two_hundred_concurrent_reporters_each_get_their_own_report(
    harness: BotHarness,
) -> None:
    people = [
        FakeUser(
            id=50_000 + index, first_name=f"F{index}", language_code="es" if index % 2 else "en"
        )
        for index in range(REPORTERS)
    ]
    await asyncio.gather(
        *(
            report(Family(harness, user), index, spanish=bool(index % 2))
            for index, user in enumerate(people)
        )
    )
    reports = harness.services.reports
    for index, user in enumerate(people):
        mine = await reports.for_reporter(user.id)
        assert len(mine) == 1, f"reporter {index} has {len(mine)} reports"
        filed = mine[0]
        spanish = bool(index % 2)
        if spanish:
            assert filed.person_name == f"Persona Número {index}"
            assert filed.cedula == f"V{20_000_000 + index}"
            assert filed.municipality == f"Municipio {index}"
            assert filed.relationship == f"prima {index}"
            assert filed.whereabouts == ("unknown" if index % 3 == 0 else "yare")
            assert filed.reporter_language == "es"
        else:
            assert filed.person_name == f"Person Number {index}"
            assert filed.cedula == f"V{30_000_000 + index}"
            assert filed.circumstances == f"Story {index}"
            assert filed.reporter_language == "en"
        assert filed.age == 18 + index % 60
    codes = {(await reports.for_reporter(user.id))[0].receipt_code for user in people}
    assert len(codes) == REPORTERS
