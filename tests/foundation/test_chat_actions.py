"""Slow answers say they are coming: the chat action Telegram shows, sent before the work."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest

from fake_telegram import Call, FakeUser
from tests.broadcast.helpers import add_case
from tests.harness import BotHarness


def _methods(calls: list[Call], chat_id: int) -> list[str]:
    """The Bot API methods sent to this chat, in order; a chat action with its action."""
    return [
        f"{call.method}:{call.params['action']}" if "action" in call.params else call.method
        for call in calls
        if call.chat_id == chat_id and call.ok
    ]


async def _sent(harness: BotHarness, user: FakeUser, command: str) -> list[str]:
    return _methods(await harness.rig.send_text(user, command), user.id)


async def test_the_figures_chart_is_announced_as_a_photo(harness: BotHarness) -> None:
    sent = await _sent(harness, harness.people.family_es, "/cifras")
    assert sent == ["sendMessage", "sendChatAction:upload_photo", "sendPhoto"]


@pytest.mark.parametrize("command", ["/exportar csv public", "/backup"])
async def test_an_export_and_a_backup_are_announced_as_documents(
    harness: BotHarness, command: str
) -> None:
    await add_case(harness)
    sent = await _sent(harness, harness.people.admin, command)
    assert sent == ["sendChatAction:upload_document", "sendDocument"]


async def test_nobody_else_sees_an_upload_coming(harness: BotHarness) -> None:
    sent = await _sent(harness, harness.people.family_es, "/backup")
    assert not any(method.startswith("sendChatAction") for method in sent)


async def test_the_fake_refuses_an_action_telegram_does_not_know(harness: BotHarness) -> None:
    family = harness.people.family_es
    await harness.rig.send_text(family, "/start")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await harness.app.bot.send_chat_action(family.id, "uploading_everything")
