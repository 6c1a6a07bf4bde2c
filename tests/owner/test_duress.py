"""The duress PIN, and the optional lockout after 10 wrong PINs in a row."""

from __future__ import annotations

import datetime as dt

from fake_telegram import FakeUser
from tests.harness import BotHarness
from tests.owner.helpers import DURESS, PIN, last, say, set_pin
from tests.safety.helpers import file_report, report_row


async def set_duress(harness: BotHarness, user: FakeUser, pin: str = DURESS) -> None:
    """Right after /pin (the chat is open): the button, then the duress PIN twice."""
    await harness.rig.press_button(user, "Crear un PIN de emergencia")
    await say(harness, user, pin)
    await say(harness, user, pin)


async def audit_actions(harness: BotHarness) -> list[tuple[object, ...]]:
    rows = await harness.services.db.fetch_all(
        "SELECT action, actor_key, target_type, target_id, state_before, state_after, details"
        " FROM audit_events ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def test_the_duress_pin_shows_an_empty_chat_and_quietly_unlinks_it(
    harness: BotHarness,
) -> None:
    family, nobody = harness.people.family_es, harness.people.stranger
    filed = await file_report(harness, family, name="Pedro Pérez")
    await set_pin(harness, family)
    await set_duress(harness, family)
    assert "PIN de emergencia guardado" in "\n".join(
        m.body for m in harness.fake.bot_messages(family.id)
    )
    harness.clock.advance(dt.timedelta(minutes=10))
    before = await audit_actions(harness)

    await say(harness, nobody, "/misreportes")
    empty = last(harness, nobody.id)
    await say(harness, family, "/misreportes")
    assert "PIN" in last(harness, family.id)
    await say(harness, family, DURESS)
    # Exactly what a chat that never reported sees.
    assert last(harness, family.id) == empty
    row = await report_row(harness, filed.report.id)
    assert row["reporter_key"] is None and row["reporter_chat_enc"] is None
    after = await audit_actions(harness)
    assert after[len(before) :] == [("duress unlink", None, "chat", None, None, None, None)]
    # The PIN went with everything else: the chat is a chat without reports now.
    await say(harness, family, "/misreportes")
    assert last(harness, family.id) == empty
    await say(harness, family, PIN)
    assert "Pedro" not in last(harness, family.id)
    # The duress PIN itself did not stay in the chat.
    typed = [m for m in harness.fake.messages(family.id) if not m.from_bot and m.body == DURESS]
    assert typed and all(m.deleted for m in typed)
    # The report stays with the organisation, and its code still tells its state.
    await say(harness, family, f"/estado {filed.receipt_code}")
    assert "Reporte:" in last(harness, family.id)
    assert "Pedro" not in last(harness, family.id)


async def test_the_duress_pin_must_differ_from_the_pin(harness: BotHarness) -> None:
    family = harness.people.family_es
    await set_pin(harness, family)
    await harness.rig.press_button(family, "Crear un PIN de emergencia")
    await say(harness, family, PIN)
    assert "deben ser distintos" in last(harness, family.id)


async def wrong_pins(harness: BotHarness, user: FakeUser, count: int) -> list[str]:
    """`count` wrong PINs, waiting out each lockout as a patient guesser would."""
    answers = []
    await say(harness, user, "/misreportes")
    for number in range(count):
        await say(harness, user, f"{1357 + number * 2:04d}")
        answers.append(last(harness, user.id))
        if "Demasiados" in answers[-1]:
            harness.clock.advance(dt.timedelta(minutes=16))
            await say(harness, user, "/misreportes")
    return answers


async def test_the_lockout_is_off_by_default(harness: BotHarness) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await set_pin(harness, family)
    harness.clock.advance(dt.timedelta(minutes=10))
    await wrong_pins(harness, family, 12)
    assert (await report_row(harness, filed.report.id))["reporter_key"] is not None
    await say(harness, family, PIN)
    assert "Pedro Pérez" in last(harness, family.id)


async def test_with_the_lockout_ten_wrong_pins_in_a_row_unlink_silently(
    harness: BotHarness,
) -> None:
    family, control = harness.people.family_es, harness.people.stranger
    filed = await file_report(harness, family)
    await file_report(harness, control, name="Otra Persona", cedula="V11111111")
    for user in (family, control):
        await set_pin(harness, user)
    await harness.rig.press_button(family, "Activar el bloqueo")
    assert "Bloqueo: <b>activado</b>" in last(harness, family.id)
    harness.clock.advance(dt.timedelta(minutes=10))

    # A right PIN in between starts the count again.
    await wrong_pins(harness, family, 9)
    await say(harness, family, PIN)
    assert "Pedro Pérez" in last(harness, family.id)
    assert (await report_row(harness, filed.report.id))["reporter_key"] is not None
    harness.clock.advance(dt.timedelta(minutes=16))

    locked = await wrong_pins(harness, family, 10)
    unlocked = await wrong_pins(harness, control, 10)
    # Silently: the answers are those of any wrong PIN.
    assert locked == unlocked
    assert (await report_row(harness, filed.report.id))["reporter_key"] is None
    assert ("lockout unlink", None, "chat", None, None, None, None) in await audit_actions(harness)
    harness.clock.advance(dt.timedelta(minutes=16))
    await say(harness, family, "/misreportes")
    assert "no tiene reportes" in last(harness, family.id)
