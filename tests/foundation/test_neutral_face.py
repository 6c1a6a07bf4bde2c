"""A neutral face: menus, name and descriptions say nothing of detentions or releases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_telegram import Call
from handlers.menu import MAIN_MENU
from services.settings import Settings
from storage.roles import Role
from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings
from tests.roles import grant

# Words (stems) that would tell a searcher what the chat is for, in both languages.
TELLTALE = re.compile(
    r"detenc|detenid|detain|detention|arrest|excarcel|release|liberad|liberac|freed|pres[oa]s?\b"
    r"|prisi|prisoner|prison|c[áa]rcel|jail|derechos|human rights|ddhh|ong\b|ngo\b|politic"
    r"|pol[íi]tic|desaparec|disappear|report|denunci|verific|cifra|figure|case\b|caso|"
    r"excarcelaci|custod|v[íi]ctima|victim|tortur|sebin|dgcim|vig[íi]a",
    re.IGNORECASE,
)
DESK = {"cola", "queue", "caso", "case", "verificar", "verify", "excarcelar", "release"}


def menus_for_private_chats(harness: BotHarness) -> list[Call]:
    """setMyCommands calls for the default scope (what every private chat shows)."""
    calls = [
        call
        for call in harness.fake.calls("setMyCommands")
        if (call.params.get("scope") or {"type": "default"})["type"]
        in ("default", "all_private_chats")
    ]
    assert calls
    return calls


def shown(harness: BotHarness, field: str, language: str | None) -> str | None:
    """What Telegram shows a user of `language`: its own text, else the default one."""
    profile = harness.fake.profile
    return profile.get((field, language)) or profile.get((field, None))


def words(call: Call) -> list[str]:
    return [
        text
        for command in call.params["commands"]
        for text in (command["command"], command["description"])
    ]


async def test_private_chat_menus_hold_no_telltale_word_in_either_language(
    harness: BotHarness,
) -> None:
    calls = menus_for_private_chats(harness)
    assert {call.params.get("language_code") for call in calls} == {None, "es", "en"}
    for call in calls:
        found = [text for text in words(call) if TELLTALE.search(text)]
        assert found == [], f"{call.params.get('language_code')}: {found}"


async def test_the_pattern_catches_what_the_menu_used_to_say() -> None:
    for old in ("Reportar una detención", "Receive verified release updates", "reportar"):
        assert TELLTALE.search(old)


async def test_staff_commands_are_published_only_in_chat_scoped_menus(tmp_path: Path) -> None:
    harness = BotHarness(make_settings(tmp_path, moderation_chat_id=MODERATION_CHAT_ID))
    await harness.start()
    try:
        people = harness.people
        await grant(harness, people.moderator, Role.MODERATOR)
        await harness.rig.send_text(people.admin, f"/grant {people.broadcaster.id} broadcaster")
        for call in menus_for_private_chats(harness):
            assert DESK.isdisjoint(c["command"] for c in call.params["commands"])
        scoped: dict[int, set[str]] = {}
        for call in harness.fake.calls("setMyCommands"):
            scope = call.params.get("scope") or {}
            if scope.get("type") == "chat":
                scoped[int(scope["chat_id"])] = {c["command"] for c in call.params["commands"]}
        assert "cola" in scoped[people.admin.id] and "otorgar" in scoped[people.admin.id]
        assert "cola" in scoped[MODERATION_CHAT_ID]
        assert "difundir" in scoped[people.broadcaster.id]
        scope = {"type": "chat", "chat_id": people.moderator.id}
        key = (json.dumps(scope, sort_keys=True), None)
        del harness.fake.commands[key]  # published at the grant; startup must publish it again
        await harness.restart()
        menu = harness.fake.commands[key]
        assert "cola" in {c["command"] for c in menu}
    finally:
        await harness.stop()


async def test_the_name_and_descriptions_are_neutral_in_every_language(
    harness: BotHarness,
) -> None:
    assert shown(harness, "name", None) == shown(harness, "name", "es") == "Recordatorios"
    assert shown(harness, "name", "en") == "Reminders"
    assert shown(harness, "short_description", "es") == "Recordatorios"
    assert shown(harness, "short_description", "en") == "Reminders"
    for field in ("name", "description", "short_description"):
        for language in (None, "es", "en", "pt"):
            text = shown(harness, field, language)
            assert text and not TELLTALE.search(text), (field, language, text)


async def test_a_restart_does_not_set_the_name_again(harness: BotHarness) -> None:
    names = len(harness.fake.calls("setMyName"))
    assert names
    await harness.restart()
    assert len(harness.fake.calls("setMyName")) == names
    assert len(harness.fake.calls("getMyName")) == 6  # default, es, en; twice


async def test_the_deployment_chooses_the_name_and_descriptions(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        bot_display_name="Agenda Ana",
        bot_description='{"es": "Citas y avisos", "en": "Appointments"}',
        bot_short_description="",
    )
    harness = BotHarness(settings)
    await harness.start()
    try:
        assert shown(harness, "name", "es") == shown(harness, "name", "en") == "Agenda Ana"
        assert shown(harness, "description", "es") == "Citas y avisos"
        assert shown(harness, "description", "en") == "Appointments"
        assert not harness.fake.calls("setMyShortDescription")  # left to @BotFather
    finally:
        await harness.stop()


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("bot_display_name", "x" * 65, "longer than Telegram's 64"),
        ("bot_short_description", "x" * 121, "longer than Telegram's 120"),
        ("bot_description", '{"pt": "Lembretes"}', "unknown language pt"),
        ("bot_description", '{"es": ', "not a JSON object"),
    ],
)
def test_profile_settings_telegram_would_refuse_are_refused(
    field: str, value: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        Settings.model_validate({field: value})


async def test_families_still_reach_every_feature_from_the_start_buttons(
    harness: BotHarness,
) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/start")
    start = harness.fake.last_bot_message(family.id)
    offered = {data for row in harness.fake.buttons(start) for _, data in row}
    assert offered == {entry.callback_data for entry in MAIN_MENU}
    for entry in ("menu:report", "menu:status", "menu:myreports", "menu:subscribe"):
        assert entry in offered
