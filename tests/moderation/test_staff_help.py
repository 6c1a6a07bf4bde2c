"""/ayuda for staff: after the help everyone gets, their role's commands in their language."""

from __future__ import annotations

from fake_telegram import FakeUser
from storage.roles import Role
from tests.harness import BotHarness
from tests.roles import grant


async def help_messages(harness: BotHarness, user: FakeUser, command: str) -> list[str]:
    calls = await harness.rig.send_text(user, command)
    return [
        str(call.params["text"])
        for call in calls
        if call.method == "sendMessage" and call.chat_id == user.id and call.ok
    ]


async def test_a_moderator_gets_the_desk_commands_in_spanish(private_desk: BotHarness) -> None:
    family_help, staff = await help_messages(private_desk, private_desk.people.moderator, "/ayuda")
    assert "/reportar" in family_help
    assert staff.startswith("<b>Tus comandos como moderador</b>")
    for line in (
        "• /cola: ",
        "• /excarcelar: ",
        "• /preguntar: Enviar una pregunta",
        "• /block: Apartar de la cola",
    ):
        assert line in staff
    assert "/queue" not in staff and "/difundir" not in staff and "/otorgar" not in staff


async def test_an_english_moderator_reads_them_in_english(private_desk: BotHarness) -> None:
    _, staff = await help_messages(private_desk, private_desk.people.moderator2, "/help")
    assert staff.startswith("<b>Your commands as moderator</b>")
    assert "• /queue: Reports waiting, most urgent first" in staff
    assert "• /release: Record a release" in staff
    assert "/cola" not in staff


async def test_a_broadcaster_gets_only_the_broadcast_commands(private_desk: BotHarness) -> None:
    _, staff = await help_messages(private_desk, private_desk.people.broadcaster, "/ayuda")
    assert "• /difundir: " in staff and "• /anunciar: " in staff
    assert "/cola" not in staff and "/exportar" not in staff


async def test_an_admin_gets_every_area(harness: BotHarness) -> None:
    _, staff = await help_messages(harness, harness.people.admin, "/ayuda")
    for title in ("<b>Moderación</b>", "<b>Difusiones</b>", "<b>Administración</b>"):
        assert title in staff
    for command in ("/cola:", "/difundir:", "/otorgar:", "/exportar:", "/importar:", "/backup:"):
        assert command in staff


async def test_a_revoked_moderator_gets_the_family_help_only(private_desk: BotHarness) -> None:
    moderator = private_desk.people.moderator
    await private_desk.rig.send_text(private_desk.people.admin, f"/revoke {moderator.id}")
    assert len(await help_messages(private_desk, moderator, "/ayuda")) == 1


async def test_a_family_sees_no_staff_commands(harness: BotHarness) -> None:
    (only,) = await help_messages(harness, harness.people.family_es, "/ayuda")
    assert "/cola" not in only and "comandos como" not in only


async def test_the_menu_help_button_shows_them_too(harness: BotHarness) -> None:
    broadcaster = harness.people.broadcaster
    await grant(harness, broadcaster, Role.BROADCASTER)
    await harness.rig.send_text(broadcaster, "/start")
    calls = await harness.rig.press_button(broadcaster, lambda label: "Ayuda" in label)
    texts = [str(call.params.get("text")) for call in calls if call.method == "sendMessage"]
    assert any(text.startswith("<b>Tus comandos como difusor</b>") for text in texts)
