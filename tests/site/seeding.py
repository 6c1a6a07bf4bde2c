"""A desk's history made through the bot: reports through intake, verified, released,
an announcement recorded; returns what the families typed, so tests can look for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fake_telegram import FakeUser
from storage.roles import Role
from tests.harness import BotHarness
from tests.moderation.helpers import say
from tests.roles import grant
from tests.safety.helpers import report_through_intake, verify_as_moderator

# Reporters with ids long enough that finding one in a file means a leak.
REPORTERS = (
    FakeUser(id=7731559012, first_name="Reporterina", last_name="Quintero", language_code="en"),
    FakeUser(id=7731559013, first_name="Informante", username="informa_vz", language_code="en"),
)


@dataclass(frozen=True, slots=True)
class Seeded:
    consented_name: str
    secrets: tuple[str, ...]  # what must never be published
    receipt_codes: tuple[str, ...]


async def seed_through_the_bot(harness: BotHarness) -> Seeded:
    """Two detentions reported through intake and verified (one family consented to
    publication, one did not); the consented case released with conditions; one
    announcement."""
    public, private = REPORTERS
    consented = await report_through_intake(
        harness, public, name="Rosaura Benítez Lugo", cedula="V-17.654.321",
        story="Se lo llevaron de la panadería Los Andes", relation="Su prima Yelitza",
    )  # fmt: skip
    withheld = await report_through_intake(
        harness, private, name="Wilmer Arocha Pacheco", cedula="E-84.123.777",
        story="Lo sacaron del autobús en la alcabala de Tazón", relation="Su vecina Dilcia",
        publish=False,
    )  # fmt: skip
    for code in (consented, withheld):
        await verify_as_moderator(harness, code)
    cases = await harness.services.exports.cases(public=False)
    released = next(case.case_id for case in cases if case.person_name.startswith("Rosaura"))
    harness.clock.advance(dt.timedelta(minutes=5))
    await say(
        harness,
        harness.people.moderator,
        f"/excarcelar C{released} hoy court_presentation,travel_ban cada 15 días",
    )
    await grant(harness, harness.people.broadcaster, Role.BROADCASTER)
    await say(
        harness, harness.people.broadcaster, "/anunciar 400 01/01/2026 Ministerio <b>Interior</b>"
    )
    secrets = (
        "Wilmer", "Arocha", "Pacheco",
        "17654321", "17.654.321", "84123777", "84.123.777",
        "panadería Los Andes", "Yelitza", "alcabala de Tazón", "Dilcia", "Maracay",
        "Reporterina", "Quintero", "Informante", "informa_vz",
        *(str(user.id) for user in REPORTERS),
    )  # fmt: skip
    codes = tuple(form for code in (consented, withheld) for form in (code, code.replace(" ", "")))
    return Seeded("Rosaura Benítez Lugo", secrets + codes, codes)
