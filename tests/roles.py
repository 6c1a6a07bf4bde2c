"""Staff roles in tests, granted the way an admin grants them: `/grant` in the bot.

A test's "moderator" is a moderator only because an admin said so through the bot's
own command, and the grant is checked to have taken: a fixture that quietly left
someone without a role would make every "moderators may not…" test pass for the
wrong reason.
"""

from __future__ import annotations

from fake_telegram import FakeUser
from storage.roles import Role
from tests.harness import BotHarness

ROLE_WORDS = {
    Role.MODERATOR: "moderator",
    Role.BROADCASTER: "broadcaster",
    Role.ADMIN: "admin",
}


async def grant(
    harness: BotHarness, user: FakeUser | int, role: Role, *, by: FakeUser | None = None
) -> None:
    """`by` (the bootstrap admin unless named) sends `/grant USER ROLE`; the role took."""
    admin = by or harness.people.admin
    user_id = user if isinstance(user, int) else user.id
    calls = await harness.rig.send_text(admin, f"/grant {user_id} {ROLE_WORDS[role]}")
    answers = [call for call in calls if call.method == "sendMessage" and call.chat_id == admin.id]
    assert answers and all(call.ok for call in answers), answers
    assert str(user_id) in str(answers[-1].params.get("text")), answers[-1].params
    assert await harness.services.roles.role_of(user_id) is role, (user_id, role)


async def make_staff(harness: BotHarness) -> None:
    """The cast's two moderators and its broadcaster, granted by the bootstrap admin."""
    people = harness.people
    await grant(harness, people.moderator, Role.MODERATOR)
    await grant(harness, people.moderator2, Role.MODERATOR)
    await grant(harness, people.broadcaster, Role.BROADCASTER)
