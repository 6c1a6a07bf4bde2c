"""House arrest is deprivation of liberty: its confirmation never calls it a release."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from domain.vocabulary import CaseState
from handlers.context import VigiaContext
from handlers.intake.notify_moderators import notify_moderators
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say, texts

RELEASE_WORDS = re.compile(r"releas|excarcel|liber", re.IGNORECASE)
BUTTON = {"moderator": "🏠 Arresto domiciliario", "moderator2": "🏠 House arrest"}
CONFIRM = {"moderator": "Confirmar", "moderator2": "Confirm"}


@pytest.mark.parametrize("who", ["moderator", "moderator2"])
async def test_the_house_arrest_confirmation_never_says_release(
    desk: BotHarness, who: str
) -> None:
    report = await file_report(desk)
    await notify_moderators(VigiaContext(desk.app), report)
    await desk.services.outbox_worker.drain()
    await desk.rig.press_button(desk.people.moderator, "✅ Verificar", chat_id=MODERATION_CHAT_ID)
    user = getattr(desk.people, who)
    # Asked in the group, the case opens in the moderator's private chat (issue 14).
    await say(desk, user, "/case C1", chat_id=MODERATION_CHAT_ID)

    desk.clock.advance(dt.timedelta(seconds=1))
    calls = await desk.rig.press_button(user, BUTTON[who])
    prompt = texts(calls, user.id)
    labels = [
        label for row in desk.fake.buttons(desk.fake.last_bot_message(user.id)) for label, _ in row
    ]
    assert prompt and labels
    assert RELEASE_WORDS.search(prompt) is None, prompt
    assert RELEASE_WORDS.search(" ".join(labels)) is None, labels

    calls = await desk.rig.press_button(user, CONFIRM[who])
    done = texts(calls, user.id)
    assert RELEASE_WORDS.search(done) is None, done
    case = await desk.services.cases.get(1)
    assert case is not None and case.state is CaseState.HOUSE_ARREST
