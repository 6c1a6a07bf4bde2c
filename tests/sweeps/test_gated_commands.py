"""Every gated command outside the desk, for an admin, a moderator, a broadcaster and a
stranger (issue 22): the roles allowed act, everyone else reads one neutral answer.

The desk's own matrix (every desk command and button × role × place) is
`tests/moderation/test_authorization.py`; this one covers the rest, so a command that
slips its check (`/backup` for a moderator) fails here. Roles are granted with the
bot's own `/grant`, and each grant is checked to have taken (`tests.roles`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fake_telegram import Call, FakeUser
from storage.roles import Role
from tests.harness import BotHarness
from tests.roles import make_staff

REFUSED = "Este comando no está disponible."
ROLES = ("admin", "moderator", "broadcaster", "stranger")
# Command → the roles that may use it (admins may use everything).
GATED: dict[str, frozenset[str]] = {
    "/backup": frozenset({"admin"}),
    "/exportar": frozenset({"admin"}),
    "/export": frozenset({"admin"}),
    "/importar": frozenset({"admin"}),
    "/import": frozenset({"admin"}),
    "/block 2998": frozenset({"admin", "moderator"}),
    "/unblock 2998": frozenset({"admin", "moderator"}),
    "/difundir": frozenset({"admin", "broadcaster"}),
    "/broadcast": frozenset({"admin", "broadcaster"}),
    "/anunciar": frozenset({"admin", "broadcaster"}),
    "/announce": frozenset({"admin", "broadcaster"}),
}


def _answers(calls: list[Call], chat_id: int) -> list[str]:
    return [
        str(call.params.get("text") or call.params.get("caption") or f"<{call.method}>")
        for call in calls
        if call.chat_id == chat_id and call.method.startswith("send")
    ]


@pytest.mark.parametrize("command", sorted(GATED))
async def test_each_gated_command_for_each_role(harness: BotHarness, command: str) -> None:
    await make_staff(harness)
    assert await harness.services.roles.role_of(harness.people.moderator.id) is Role.MODERATOR
    for who in ROLES:
        user: FakeUser = getattr(harness.people, who)
        harness.clock.advance(dt.timedelta(seconds=2))
        calls = await harness.rig.send_text(user, command)
        answers = _answers(calls, user.id)
        if who in GATED[command]:
            assert answers and REFUSED not in answers, (command, who, answers)
        else:
            assert answers == [REFUSED], (command, who, answers)
        # Leave any conversation the command began, so the next role starts clean.
        harness.clock.advance(dt.timedelta(seconds=2))
        await harness.rig.send_text(user, "/cancelar")
