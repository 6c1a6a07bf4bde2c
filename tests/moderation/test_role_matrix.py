"""Every staff command × every role: an admin, a moderator, a broadcaster, a stranger.

Each row is one command as typed, the roles it is for, and how to see that it acted
(a file sent, a role changed, a user blocked…). Every person types it in turn; the
ones it is not for get the neutral "not available" answer and change nothing, the
others get it done. The roles were granted through /grant (tests/roles.py). The desk's
own commands (/queue, /verify, …) have their matrix in test_authorization.py; the last
test here makes sure a new command lands in one of the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from fake_telegram import Call, FakeUser
from handlers.commands import PUBLIC_COMMANDS
from storage.roles import Role
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, texts
from tests.moderation.test_authorization import commands, spanish_commands
from tests.roles import grant

# Who types, in this order: the admin last, so that what the others were refused is
# checked before anyone could have done it.
ROLES = ("stranger", "broadcaster", "moderator", "admin")
# `{target}` in a row is a user id of each person's own, so that what one did is never
# taken for what the next one did.
FIRST_TARGET = 777001

# What a command leaves behind, read before and after each person types it.
Trace = Callable[["Probe"], Awaitable[object]]
Setup = Callable[[BotHarness, list[int]], Awaitable[None]]


@dataclass(frozen=True)
class Probe:
    harness: BotHarness
    user: FakeUser
    target: int
    calls: list[Call]


@dataclass(frozen=True)
class Row:
    """One staff command: what is typed, whom it is for, and the trace it leaves."""

    typed: str
    allowed: frozenset[str]
    trace: Trace
    setup: Setup | None = None
    names: tuple[str, ...] = field(default=())

    @property
    def command(self) -> str:
        return self.typed.split()[0].lstrip("/")


async def _files_sent(probe: Probe) -> int:
    return sum(
        call.method == "sendDocument" and call.chat_id == probe.user.id for call in probe.calls
    )


async def _role(probe: Probe) -> Role | None:
    return await probe.harness.services.roles.role_of(probe.target)


async def _blocked(probe: Probe) -> bool:
    return await probe.harness.services.blocks.is_blocked(probe.target)


def _answer_has(*words: str) -> Trace:
    """For commands whose trace is their answer (a list, a prompt)."""

    async def trace(probe: Probe) -> bool:
        answer = texts(probe.calls, probe.user.id)
        return any(word in answer for word in words)

    return trace


def _rows_in(table: str) -> Trace:
    async def trace(probe: Probe) -> int:
        row = await probe.harness.services.db.fetch_one(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        assert row is not None
        return int(row[0])

    return trace


async def _moderators(harness: BotHarness, targets: list[int]) -> None:
    for target in targets:
        await grant(harness, target, Role.MODERATOR)


async def _blocked_users(harness: BotHarness, targets: list[int]) -> None:
    for target in targets:
        harness.clock.advance(dt.timedelta(seconds=1))
        await harness.rig.send_text(harness.people.admin, f"/block {target}")
        assert await harness.services.blocks.is_blocked(target)


async def _a_report(harness: BotHarness, targets: list[int]) -> None:
    report = await file_report(harness, name="Rosa Peña")
    assert report.id == 1


ADMINS = frozenset({"admin"})
DESK = frozenset({"admin", "moderator"})
BROADCAST = frozenset({"admin", "broadcaster"})

ROWS = (
    Row("/backup", ADMINS, _files_sent),
    Row("/export csv public", ADMINS, _files_sent, names=("exportar",)),
    Row("/importar", ADMINS, _answer_has("CSV"), names=("import",)),
    Row("/grant {target} moderator", ADMINS, _role),
    Row("/otorgar {target} difusor", ADMINS, _role),
    Row("/revoke {target}", ADMINS, _role, _moderators),
    Row("/revocar {target}", ADMINS, _role, _moderators),
    Row("/mods", ADMINS, _answer_has("ADMIN_IDS")),
    Row("/equipo", ADMINS, _answer_has("ADMIN_IDS")),
    Row("/block {target}", DESK, _blocked),
    Row("/unblock {target}", DESK, _blocked, _blocked_users),
    Row(
        "/ask #1 ¿Dónde lo vieron?", DESK, _rows_in("followup_messages"), _a_report, ("preguntar",)
    ),
    Row("/difundir", BROADCAST, _answer_has("difusión"), names=("broadcast",)),
    Row(
        "/anunciar 400 05/01/2026 Ministerio",
        BROADCAST,
        _rows_in("announcements"),
        names=("announce",),
    ),
)


def _refusal(harness: BotHarness, user: FakeUser) -> str:
    return harness.services.catalogs.get(user.language_code).gettext(
        "This command is not available."
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.typed.split()[0])
async def test_each_role_gets_exactly_the_staff_commands_it_holds(
    private_desk: BotHarness, row: Row
) -> None:
    harness = private_desk
    targets = [FIRST_TARGET + index for index in range(len(ROLES))]
    if row.setup is not None:
        await row.setup(harness, targets)
    for role, target in zip(ROLES, targets, strict=True):
        user: FakeUser = getattr(harness.people, role)
        before = await row.trace(Probe(harness, user, target, []))
        harness.clock.advance(dt.timedelta(seconds=1))
        calls = await harness.rig.send_text(user, row.typed.format(target=target))
        after = await row.trace(Probe(harness, user, target, calls))
        answer = texts(calls, user.id)
        refused = answer == _refusal(harness, user)
        if role in row.allowed:
            assert not refused and after != before, (role, answer)
        else:
            assert refused and after == before, (role, answer)
        assert all(call.ok for call in calls), [call.error for call in calls if not call.ok]


async def test_the_roles_of_the_matrix_are_the_ones_granted(private_desk: BotHarness) -> None:
    """The cast is what the matrix says: granted through /grant, or no role at all."""
    roles = private_desk.services.roles
    people = private_desk.people
    assert await roles.role_of(people.admin.id) is Role.ADMIN
    assert await roles.role_of(people.moderator.id) is Role.MODERATOR
    assert await roles.role_of(people.broadcaster.id) is Role.BROADCASTER
    assert await roles.role_of(people.stranger.id) is None


def _command_names(handlers: Sequence[BaseHandler[Any, Any, Any]]) -> set[str]:
    names: set[str] = set()
    for handler in handlers:
        if isinstance(handler, CommandHandler):
            names |= set(handler.commands)
        elif isinstance(handler, ConversationHandler):
            inner: list[BaseHandler[Any, Any, Any]] = [*handler.entry_points, *handler.fallbacks]
            for state in handler.states.values():
                inner += state
            names |= _command_names(inner)
    return names


# Commands for anyone (a family, the public) beyond the neutral menu's.
PUBLIC_EXTRAS = frozenset(
    {
        "reportar", "report", "estado", "status", "misreportes", "myreports", "cifras",
        "figures", "suscribir", "subscribe", "desuscribir", "unsubscribe", "olvidarme",
        "forget_me",
    }
)  # fmt: skip


async def test_every_command_the_bot_answers_is_public_or_in_a_role_matrix(
    harness: BotHarness,
) -> None:
    registered: set[str] = set()
    for handlers in harness.app.handlers.values():
        registered |= _command_names(handlers)
    public = {name for entry in PUBLIC_COMMANDS for name in (entry.spanish, entry.english)}
    desk = {typed.split()[0].lstrip("/") for typed in [*commands(1, 1), *spanish_commands(1, 1)]}
    staff = {name for row in ROWS for name in (row.command, *row.names)}
    unplaced = registered - public - PUBLIC_EXTRAS - desk - staff
    assert not unplaced, f"give these commands a row in a role matrix: {sorted(unplaced)}"


def test_no_test_writes_a_role_straight_into_storage() -> None:
    """Roles come from /grant (tests/roles.py): a role written into storage can hide a
    test whose "moderator" never was one as far as the bot's commands go."""
    root = Path(__file__).resolve().parents[1]
    needle = "roles." + "grant("  # spelled apart, so that this file does not match
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "roles.py" and needle in path.read_text(encoding="utf-8")
    ]
    assert not writers, f"grant roles with tests.roles.grant instead: {writers}"
