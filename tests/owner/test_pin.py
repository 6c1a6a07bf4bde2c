"""The family PIN: set, unlock, expiry, throttle; typed PINs never stay in the chat."""

from __future__ import annotations

import datetime as dt

from tests.harness import BotHarness
from tests.owner.helpers import PIN, last, say, set_pin
from tests.safety.helpers import file_report


async def test_a_pin_is_set_twice_and_stored_only_as_a_slow_keyed_digest(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await set_pin(harness, family)
    assert "PIN guardado" in "\n".join(m.body for m in harness.fake.bot_messages(family.id))
    row = await harness.services.db.fetch_one("SELECT * FROM chat_secrets")
    assert row is not None
    stored = " ".join(str(value) for value in tuple(row))
    assert PIN not in stored
    assert row["pin_digest"] is not None and len(row["pin_salt"]) == 32
    # Every typed PIN was deleted from the chat as soon as it was read.
    typed = [m for m in harness.fake.messages(family.id) if not m.from_bot and m.body == PIN]
    assert len(typed) == 2 and all(m.deleted for m in typed)


async def test_my_reports_open_only_with_the_pin_and_for_a_few_minutes(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await file_report(harness, family, name="Pedro Pérez")
    await set_pin(harness, family)
    harness.clock.advance(dt.timedelta(minutes=10))
    await say(harness, family, "/misreportes")
    assert "Pedro" not in last(harness, family.id)
    assert "PIN" in last(harness, family.id)
    await say(harness, family, "9999")
    assert "no coincide" in last(harness, family.id)
    await say(harness, family, PIN)
    assert "Pedro Pérez" in last(harness, family.id)
    # Open for a few minutes: again without asking.
    await say(harness, family, "/misreportes")
    assert "Pedro Pérez" in last(harness, family.id)
    harness.clock.advance(dt.timedelta(minutes=6))
    await say(harness, family, "/misreportes")
    assert "Pedro" not in last(harness, family.id)


async def test_a_receipt_code_of_this_chat_opens_too_and_another_chats_does_not(
    harness: BotHarness,
) -> None:
    family, other = harness.people.family_es, harness.people.stranger
    mine = await file_report(harness, family, name="Pedro Pérez")
    theirs = await file_report(harness, other, name="Rosa Díaz")
    await say(harness, family, "/misreportes")
    await say(harness, family, theirs.receipt_code)
    assert "Rosa" not in last(harness, family.id)
    assert "no coincide" in last(harness, family.id)
    await say(harness, family, mine.receipt_code)
    assert "Pedro Pérez" in last(harness, family.id)


async def test_five_wrong_in_ten_minutes_lock_for_fifteen_with_or_without_reports(
    harness: BotHarness,
) -> None:
    answers = []
    for user, with_report in (
        (harness.people.family_es, True),
        (harness.people.stranger, False),
    ):
        if with_report:
            await file_report(harness, user)
        await set_pin(harness, user)
        harness.clock.advance(dt.timedelta(minutes=6))
        said = []
        await say(harness, user, "/misreportes")
        for wrong in ("1357", "2468", "1470", "3691", "8024", PIN):
            await say(harness, user, wrong)
            said.append(last(harness, user.id))
            if "Demasiados" in said[-1]:
                await say(harness, user, "/misreportes")
        answers.append(said)
    assert answers[0] == answers[1]
    assert "Demasiados" in answers[0][4]
    # Even the right PIN is refused while locked out.
    assert "Demasiados" in answers[0][5] and "Pedro" not in answers[0][5]
    family = harness.people.family_es
    harness.clock.advance(dt.timedelta(minutes=16))
    await say(harness, family, "/misreportes")
    await say(harness, family, PIN)
    assert "Pedro Pérez" in last(harness, family.id)


async def test_digits_typed_after_the_pin_command_do_not_stay_in_the_chat(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await say(harness, family, f"/pin {PIN}")
    typed = [m for m in harness.fake.messages(family.id) if not m.from_bot]
    assert typed and all(m.deleted for m in typed)
    assert "Elige un PIN" in last(harness, family.id)


async def test_obvious_or_mistyped_pins_are_refused_and_a_pin_can_be_changed(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    filed = await file_report(harness, family)
    await say(harness, family, "/pin")
    await say(harness, family, "1234")
    assert "demasiado fácil" in last(harness, family.id)
    await say(harness, family, "12")
    assert "de 4 a 8 dígitos" in last(harness, family.id)
    await say(harness, family, PIN)
    await say(harness, family, "4818")
    assert "no coinciden" in harness.fake.bot_messages(family.id)[-2].body
    await say(harness, family, PIN)
    await say(harness, family, PIN)
    # Changing it needs the old PIN or a receipt code, given minutes before.
    harness.clock.advance(dt.timedelta(minutes=10))
    await say(harness, family, "/pin")
    assert "PIN" in last(harness, family.id) and "Cambiar" not in last(harness, family.id)
    await say(harness, family, filed.receipt_code)
    await harness.rig.press_button(family, "Cambiar el PIN")
    await say(harness, family, "905172")
    await say(harness, family, "905172")
    harness.clock.advance(dt.timedelta(minutes=10))
    await say(harness, family, "/misreportes")
    await say(harness, family, PIN)
    assert "no coincide" in last(harness, family.id)
    await say(harness, family, "905172")
    assert "Pedro Pérez" in last(harness, family.id)


async def test_help_tells_of_the_pin_and_the_news_in_both_languages(harness: BotHarness) -> None:
    for user, words in (
        (harness.people.family_es, ("/pin", "/novedades", "PIN de emergencia")),
        (harness.people.family_en, ("/pin", "/news", "duress PIN")),
    ):
        await say(harness, user, "/help")
        assert all(word in last(harness, user.id) for word in words)
