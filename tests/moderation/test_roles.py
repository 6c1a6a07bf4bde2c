"""/grant, /revoke, /mods, and the staff command menus that follow the roles."""

from __future__ import annotations

import json

from storage.roles import Role
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import say

NEWCOMER = 777001


def _menu(harness: BotHarness, chat_id: int) -> list[str] | None:
    key = (json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True), None)
    commands = harness.fake.commands.get(key)
    return [command["command"] for command in commands] if commands is not None else None


async def test_an_admin_grants_a_role(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.admin, f"/grant {NEWCOMER} moderator")
    assert sent == f"Listo: el usuario {NEWCOMER} ahora es moderador."
    assert await private_desk.services.roles.role_of(NEWCOMER) is Role.MODERATOR


async def test_roles_have_spanish_names_too(private_desk: BotHarness) -> None:
    await say(private_desk, private_desk.people.admin, f"/otorgar {NEWCOMER} difusor")
    assert await private_desk.services.roles.role_of(NEWCOMER) is Role.BROADCASTER


async def test_a_grant_and_a_revoke_are_audited_without_the_user_id(
    private_desk: BotHarness,
) -> None:
    admin = private_desk.people.admin
    await say(private_desk, admin, f"/grant {NEWCOMER} moderator")
    await say(private_desk, admin, f"/revoke {NEWCOMER}")
    assert (await private_desk.services.audit.verify_chain()).intact
    rows = await private_desk.services.db.fetch_all(
        "SELECT action, state_before, state_after, details FROM audit_events"
        " WHERE target_type = 'role' ORDER BY id"
    )
    assert [(row[0], row[1], row[2]) for row in rows][-2:] == [
        ("grant", None, "moderator"),
        ("revoke", "moderator", None),
    ]
    assert all(str(NEWCOMER) not in row[3] for row in rows)


async def test_revoke_takes_the_role_away(private_desk: BotHarness) -> None:
    moderator = private_desk.people.moderator
    sent = await say(private_desk, private_desk.people.admin, f"/revocar {moderator.id}")
    assert "ya no tiene ningún rol" in sent
    assert await private_desk.services.roles.role_of(moderator.id) is None


async def test_a_bootstrap_admin_cannot_be_revoked(private_desk: BotHarness) -> None:
    admin = private_desk.people.admin
    sent = await say(private_desk, admin, f"/revoke {admin.id}")
    assert "ADMIN_IDS" in sent
    assert await private_desk.services.roles.role_of(admin.id) is Role.ADMIN


async def test_revoking_someone_without_a_role_says_so(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.admin, f"/revoke {NEWCOMER}")
    assert sent == "Ese usuario no tenía ningún rol."


async def test_a_bad_role_explains_the_command(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.admin, f"/grant {NEWCOMER} jefe")
    assert sent.startswith("Uso: /otorgar")
    assert await private_desk.services.roles.role_of(NEWCOMER) is None


async def test_mods_lists_the_team(private_desk: BotHarness) -> None:
    people = private_desk.people
    sent = await say(private_desk, people.admin, "/mods")
    assert f"{people.admin.id} · administrador (por ADMIN_IDS)" in sent
    assert f"{people.moderator.id} · moderador · desde el" in sent
    assert f"{people.broadcaster.id} · difusor" in sent


async def test_a_grant_gives_the_new_moderator_the_desk_menu(private_desk: BotHarness) -> None:
    await say(private_desk, private_desk.people.admin, f"/grant {NEWCOMER} moderator")
    menu = _menu(private_desk, NEWCOMER)
    assert menu is not None and "cola" in menu and "otorgar" not in menu
    await say(private_desk, private_desk.people.admin, f"/revoke {NEWCOMER}")
    assert _menu(private_desk, NEWCOMER) is None


async def test_staff_menus_are_published_at_startup(desk: BotHarness) -> None:
    await desk.restart()
    people = desk.people
    admin_menu = _menu(desk, people.admin.id)
    moderator_menu = _menu(desk, people.moderator.id)
    assert admin_menu is not None and "otorgar" in admin_menu and "cola" in admin_menu
    assert moderator_menu is not None and "cola" in moderator_menu
    assert "otorgar" not in moderator_menu
    assert "start" in moderator_menu and "reportar" not in moderator_menu
    broadcaster_menu = _menu(desk, people.broadcaster.id)
    assert broadcaster_menu is not None and "difundir" in broadcaster_menu
    assert "cola" not in broadcaster_menu
    group_menu = _menu(desk, MODERATION_CHAT_ID)
    assert group_menu is not None and "cola" in group_menu and "reportar" not in group_menu
