"""A searched phone gives nothing away (issue 14).

A family files a report through the intake, sets a PIN when offered, and accepts the
wipe. Then someone else holds the phone: they tap every menu button, send every
command the bot knows in both languages (alone, with a wrong code, with a wrong PIN),
open every owner view, and read the news that arrives. Nothing the bot sends to that
chat names the person, the cédula or the receipt code.
"""

from __future__ import annotations

import datetime as dt
import re

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from domain.receipts import format_receipt
from tests.harness import BotHarness
from tests.owner.helpers import PIN, said_since, say
from tests.safety.helpers import RECEIPT, report_through_intake, verify_as_moderator
from tests.status.helpers import deliver

NAME = "Pedro Pérez"
CEDULA = "V-12.345.678"
WRONG_CODE = "1111 2222 3333 4444"
WRONG_PIN = "9999"


def every_command(harness: BotHarness) -> list[str]:
    """The name of every command any handler of the running bot answers."""
    found: set[str] = set()

    def walk(handler: BaseHandler) -> None:  # type: ignore[type-arg]
        if isinstance(handler, CommandHandler):
            found.update(handler.commands)
        elif isinstance(handler, ConversationHandler):
            for inner in (
                *handler.entry_points,
                *handler.fallbacks,
                *(h for state in handler.states.values() for h in state),
            ):
                walk(inner)

    for group in harness.app.handlers.values():
        for handler in group:
            walk(handler)
    return sorted(found)


def leaks(text: str, code: str) -> list[str]:
    digits = code.replace(" ", "")
    secrets = [NAME, "Pedro", "Pérez", "Perez", "12.345.678", "12345678", code, digits]
    found = [secret for secret in secrets if secret in text]
    # The code split anyhow (groups of four, with dashes, in HTML).
    spaced = re.sub(r"\D", "", text)
    if digits in spaced:
        found.append("code digits")
    return found


async def test_after_the_wipe_nothing_typed_or_tapped_says_a_name_cedula_or_code(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family, name=NAME, cedula=CEDULA)
    assert format_receipt(code.replace(" ", "")) == code
    # Offered with the report: a PIN, then the wipe.
    await harness.rig.press_button(family, "🔑 Set a PIN")
    await say(harness, family, PIN)
    await say(harness, family, PIN)
    await harness.rig.press_button(family, "🧹 Delete everything, I noted the code")
    assert all(m.deleted or "Done" in m.body for m in harness.fake.messages(family.id))
    harness.clock.advance(dt.timedelta(minutes=10))
    cursor = harness.fake.call_count()

    # The case moves on while the phone is elsewhere: the news reaches the chat.
    await verify_as_moderator(harness, code)
    await deliver(harness)
    # Someone else now holds the phone, in each language.
    commands = every_command(harness)
    assert {"misreportes", "myreports", "estado", "status", "pin", "novedades"} <= set(commands)
    for language in ("en", "es"):
        await say(harness, family, f"/language {language}")
        for command in commands:
            for text in (f"/{command}", f"/{command} {WRONG_CODE}", f"/{command} {WRONG_PIN}"):
                await say(harness, family, text)
                await say(harness, family, WRONG_PIN)
                await say(harness, family, WRONG_CODE)
                await say(harness, family, "/cancel")
            # Past any lockout, so that every answer is a real one.
            harness.clock.advance(dt.timedelta(minutes=16))
        await say(harness, family, "/start")
        menu = harness.fake.last_bot_message(family.id)
        for row in harness.fake.buttons(menu):
            for _label, data in row:
                assert data is not None
                harness.clock.advance(dt.timedelta(seconds=2))
                await harness.rig.press(family, menu.message_id, data)
                await say(harness, family, WRONG_PIN)
                await say(harness, family, "/cancel")
        # Every button the bot put in the chat since the wipe, pressed once.
        pressed: set[str] = set()
        for message in list(harness.fake.bot_messages(family.id)):
            for row in harness.fake.buttons(message):
                for _label, data in row:
                    current = harness.fake.message(family.id, message.message_id)
                    if data is None or data in pressed or "forget" in data:
                        continue
                    if current is None or current.deleted:
                        continue
                    pressed.add(data)
                    harness.clock.advance(dt.timedelta(seconds=2))
                    await harness.rig.press(family, message.message_id, data)
                    await say(harness, family, WRONG_PIN)
        harness.clock.advance(dt.timedelta(minutes=16))

    said = said_since(harness, family.id, cursor)
    assert "Hay novedades" in said or "There is news" in said
    assert leaks(said, code) == []
    # The report is still the family's: the PIN opens it.
    await say(harness, family, "/misreportes")
    await say(harness, family, PIN)
    assert NAME in harness.fake.last_text(family.id)
    assert RECEIPT.search(harness.fake.last_text(family.id))
