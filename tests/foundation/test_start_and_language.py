"""/start, /help, /language: the first things every family sees."""

from __future__ import annotations

import pytest

from fake_telegram import FakeUser
from tests.harness import BotHarness


@pytest.mark.parametrize(
    ("person", "command", "welcome"),
    [
        pytest.param(
            "family_es", "/start", "recibe reportes de detenciones", id="spanish-for-spanish-users"
        ),
        pytest.param(
            "family_en", "/start", "receives reports of detentions", id="english-for-english-users"
        ),
        pytest.param(
            "family_other",
            "/start",
            "recibe reportes de detenciones",
            id="spanish-for-other-languages",
        ),
        pytest.param(
            "family_es", "/start zzz_123", "recibe reportes", id="unknown-deep-link-still-welcomes"
        ),
    ],
)
async def test_start_welcomes_in_the_users_language(
    harness: BotHarness, person: str, command: str, welcome: str
) -> None:
    user: FakeUser = getattr(harness.people, person)
    await harness.rig.send_text(user, command)
    assert welcome in harness.fake.last_text(user.id)


async def test_start_shows_the_main_menu_as_inline_buttons(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/start")
    message = harness.fake.last_bot_message(user.id)
    labels = [text for row in harness.fake.buttons(message) for text, _ in row]
    assert "❓ Help" in labels
    assert "🌐 Language" in labels


async def test_help_is_localised(harness: BotHarness) -> None:
    await harness.rig.send_text(harness.people.family_es, "/ayuda")
    assert "Lo que puedo hacer" in harness.fake.last_text(harness.people.family_es.id)
    await harness.rig.send_text(harness.people.family_en, "/help")
    assert "What I can do" in harness.fake.last_text(harness.people.family_en.id)


async def test_language_button_switches_and_survives_a_restart(harness: BotHarness) -> None:
    user = harness.people.family_es
    await harness.rig.send_text(user, "/idioma")
    await harness.rig.press_button(user, "English")
    assert "English from now on" in harness.fake.last_text(user.id)
    await harness.restart()
    await harness.rig.send_text(user, "/start")
    assert "receives reports of detentions" in harness.fake.last_text(user.id)


async def test_language_argument_switches_at_once(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/language es")
    assert "en español" in harness.fake.last_text(user.id)


async def test_language_from_the_main_menu(harness: BotHarness) -> None:
    user = harness.people.family_en
    await harness.rig.send_text(user, "/start")
    await harness.rig.press_button(user, "🌐 Language")
    assert "Choose your language" in harness.fake.last_text(user.id)


async def test_command_menus_are_published_per_language(harness: BotHarness) -> None:
    calls = harness.fake.calls("setMyCommands")
    by_language = {call.params.get("language_code"): call.params for call in calls}
    spanish = [command["command"] for command in by_language["es"]["commands"]]
    english = [command["command"] for command in by_language["en"]["commands"]]
    assert "idioma" in spanish and "ayuda" in spanish
    assert "language" in english and "help" in english
    assert None in by_language  # the default menu for every other language


async def test_cancel_with_nothing_running_says_so(harness: BotHarness) -> None:
    user: FakeUser = harness.people.family_en
    await harness.rig.send_text(user, "/cancel")
    assert "nothing to cancel" in harness.fake.last_text(user.id)
