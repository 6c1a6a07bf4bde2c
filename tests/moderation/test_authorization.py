"""Authorization matrix: every desk command and button × every role, and each place.

The role is checked at the moment of the action: admins and moderators may work the
desk (grants, revokes and the team list are for admins only); broadcasters and
strangers get one neutral answer and no personal data; in any group other than the
moderation group nobody gets anything but a pointer to a private chat.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fake_telegram import Call, FakeUser
from handlers.moderation.keyboards import CASE_ACTION_CODES
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say, texts

OTHER_GROUP = -100777
NAME = "Yusmely Colmenares"


def commands(report_id: int, case_id: int) -> dict[str, bool]:
    """Each command with arguments that would act, and whether only admins may use it."""
    return {
        "/queue": False,
        "/cola": False,
        f"/case #{report_id}": False,
        f"/caso C{case_id}": False,
        f"/history #{report_id}": False,
        "/audit": False,
        f"/take #{report_id}": False,
        f"/needinfo #{report_id} ¿Dónde lo vieron por última vez?": False,
        f"/reject #{report_id} insufficient": False,
        f"/duplicate #{report_id} C{case_id}": False,
        f"/verify #{report_id}": False,
        f"/merge C{case_id} C{case_id + 1}": False,
        f"/transfer C{case_id} rodeo1": False,
        f"/housearrest C{case_id} hoy": False,
        f"/release C{case_id} hoy full_release": False,
        f"/rearrest C{case_id} hoy": False,
        f"/death C{case_id} hoy": False,
        f"/close C{case_id}": False,
        f"/correct C{case_id} detention hoy": False,
        "/grant 777001 moderator": True,
        "/revoke 777001": True,
        "/mods": True,
    }


def spanish_commands(report_id: int, case_id: int) -> list[str]:
    """The Spanish alias of every desk command (the English names are in `commands`)."""
    return [
        "/equipo",
        f"/historial #{report_id}",
        "/auditoria",
        f"/tomar #{report_id}",
        f"/verificar #{report_id}",
        f"/pedirinfo #{report_id} ¿Dónde?",
        f"/rechazar #{report_id} insufficient",
        f"/duplicado #{report_id} C{case_id}",
        f"/fusionar C{case_id} C{case_id + 1}",
        f"/traslado C{case_id} rodeo1",
        f"/domiciliaria C{case_id} hoy",
        f"/excarcelar C{case_id} hoy full_release",
        f"/redetencion C{case_id} hoy",
        f"/fallecimiento C{case_id} hoy",
        f"/cerrar C{case_id}",
        f"/corregir C{case_id} detencion hoy",
        "/otorgar 777001 moderator",
        "/revocar 777001",
    ]


def buttons(report_id: int, case_id: int) -> list[str]:
    """Every desk button, drawn for the current versions: a press would act."""
    return [
        f"mod:r:tk:{report_id}:0",
        f"mod:r:vf:{report_id}:0",
        f"mod:r:ni:{report_id}:0",
        f"mod:r:rj:{report_id}:0",
        f"mod:rr:{report_id}:0:insufficient",
        f"mod:du:{report_id}:0:{case_id}",
        f"mod:vc:{report_id}:0:{case_id}",
        f"mod:o:{report_id}",
        f"mod:oc:{case_id}",
        *(f"mod:c:{code}:{case_id}:0" for code in CASE_ACTION_CODES),
        f"mod:cc:ha:{case_id}:0",
        f"mod:cc:rl:{case_id}:0:travel_ban",
        f"mod:cc:rl:{case_id}:0:court_presentation",
        f"mod:ci:{case_id}:0:15",
        f"mod:ci:{case_id}:0:nk",
        f"mod:cc:ra:{case_id}:0",
        f"mod:cc:tr:{case_id}:0:yare",
        f"mod:cc:de:{case_id}:0",
        f"mod:cc:cl:{case_id}:0",
        "mod:q:open:0",
        "mod:x",
        "mod:zz:old",
    ]


async def _case_and_report(harness: BotHarness) -> tuple[int, int]:
    """Two cases to act on, and an open report naming a person."""
    people = harness.people
    for name in ("Ana Case", "Otra Case"):
        made = await file_report(harness, name=name)
        await harness.rig.send_text(people.admin, f"/verify #{made.id}")
    report = await file_report(harness, name=NAME)
    return report.id, 1


def _places(said: dict[str, bool]) -> list[tuple[str, int | None]]:
    """Every command in a private chat; a sample in the moderation group (Telegram lets a
    bot post only 20 messages a minute in one group, and PTB's limiter waits for it)."""
    sample = ["/queue", "/audit", "/mods", "/grant 777001 moderator"]
    return [(command, None) for command in said] + [(c, MODERATION_CHAT_ID) for c in sample]


def _pause(harness: BotHarness) -> None:
    """A human pace between actions, below the flood gate's limit."""
    harness.clock.advance(dt.timedelta(seconds=1))


def _not_available(harness: BotHarness, user: FakeUser) -> str:
    return harness.services.catalogs.get(user.language_code).gettext(
        "This command is not available."
    )


def _alerts(calls: list[Call]) -> list[str]:
    return [
        str(call.params.get("text"))
        for call in calls
        if call.method == "answerCallbackQuery" and call.params.get("text")
    ]


def _sends(calls: list[Call], chat_id: int) -> list[Call]:
    """What the bot sent where the button was pressed (the outbox may meanwhile deliver
    an earlier notification to a reporter: that is not an answer to the press)."""
    return [call for call in calls if call.method.startswith("send") and call.chat_id == chat_id]


@pytest.mark.parametrize("role", ["broadcaster", "stranger"])
async def test_no_desk_command_answers_anyone_without_the_role(
    desk: BotHarness, role: str
) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    for command, chat in _places(commands(report_id, case_id)):
        _pause(desk)
        calls = await desk.rig.send_text(user, command, chat_id=chat)
        sent = texts(calls, chat or user.id)
        assert sent == _not_available(desk, user), (command, chat, sent)
        assert NAME not in sent


@pytest.mark.parametrize("role", ["broadcaster", "stranger"])
async def test_no_desk_button_works_for_anyone_without_the_role(
    desk: BotHarness, role: str
) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    message = desk.fake.add_bot_message(user.id, text="old notice")
    for data in buttons(report_id, case_id):
        _pause(desk)
        calls = await desk.rig.press(user, message.message_id, data)
        assert _alerts(calls) == [_not_available(desk, user)], data
        assert not _sends(calls, user.id), data
    state = await desk.services.review.get(report_id)
    case = await desk.services.cases.get(case_id)
    assert case is not None and case.version == 0
    assert state is not None and state.version == 0


@pytest.mark.parametrize("role", ["broadcaster", "stranger"])
async def test_no_spanish_alias_answers_anyone_without_the_role(
    desk: BotHarness, role: str
) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    for command in spanish_commands(report_id, case_id):
        _pause(desk)
        sent = texts(await desk.rig.send_text(user, command), user.id)
        assert sent == _not_available(desk, user), (command, sent)
    state = await desk.services.review.get(report_id)
    assert state is not None and state.version == 0


@pytest.mark.parametrize("role", ["admin", "moderator"])
async def test_staff_get_every_spanish_alias_answered(desk: BotHarness, role: str) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    for command in spanish_commands(report_id, case_id):
        _pause(desk)
        sent = texts(await desk.rig.send_text(user, command), user.id)
        admin_only = command.startswith(("/equipo", "/otorgar", "/revocar"))
        assert (sent == _not_available(desk, user)) == (admin_only and role != "admin"), (
            command,
            sent,
        )
        assert sent, command


@pytest.mark.parametrize("role", ["admin", "moderator"])
async def test_staff_get_every_desk_command_answered(desk: BotHarness, role: str) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    admin_only = commands(report_id, case_id)
    for command, chat in _places(admin_only):
        _pause(desk)
        sent = texts(await desk.rig.send_text(user, command, chat_id=chat), chat or user.id)
        refused = sent == _not_available(desk, user)
        assert refused == (admin_only[command] and role != "admin"), (command, chat, sent)


@pytest.mark.parametrize("role", ["admin", "moderator"])
async def test_staff_get_every_desk_button_answered(desk: BotHarness, role: str) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    message = desk.fake.add_bot_message(user.id, text="notice")
    for data in buttons(report_id, case_id):
        _pause(desk)
        calls = await desk.rig.press(user, message.message_id, data)
        assert _not_available(desk, user) not in _alerts(calls), data


@pytest.mark.parametrize("role", ["admin", "moderator", "broadcaster", "stranger", "family_es"])
async def test_any_other_group_gets_only_a_pointer_to_a_private_chat(
    desk: BotHarness, role: str
) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    pointer = desk.services.catalogs.get("es").gettext(
        "I only talk in private chats, to keep what you tell me safe. Please write to me there."
    )
    said = [*commands(report_id, case_id), "/start", "/estado 1234", "hola", "José"]
    for index, command in enumerate(said):
        # A group per message: Telegram (and PTB's limiter) allow 20 a minute per group.
        group = OTHER_GROUP - index
        _pause(desk)
        calls = await desk.rig.send_text(user, command, chat_id=group)
        assert [call.method for call in calls if call.chat_id == group] == ["sendMessage"]
        assert texts(calls, group) == pointer, command


@pytest.mark.parametrize("role", ["admin", "moderator", "stranger"])
async def test_any_other_group_gets_no_desk_button(desk: BotHarness, role: str) -> None:
    user = getattr(desk.people, role)
    report_id, case_id = await _case_and_report(desk)
    desk.fake.register_chat(OTHER_GROUP, title="Familia")
    message = desk.fake.add_bot_message(OTHER_GROUP, text="forwarded notice")
    for data in buttons(report_id, case_id):
        _pause(desk)
        calls = await desk.rig.press(user, message.message_id, data, chat_id=OTHER_GROUP)
        assert _alerts(calls) == [_not_available(desk, user)], data
        assert not _sends(calls, OTHER_GROUP), data


async def test_a_role_revoked_stops_working_at_the_next_action(desk: BotHarness) -> None:
    people = desk.people
    report = await file_report(desk, name=NAME)
    await desk.rig.send_text(people.admin, f"/revoke {people.moderator.id}")
    sent = await say(desk, people.moderator, f"/take #{report.id}")
    assert sent == _not_available(desk, people.moderator)
