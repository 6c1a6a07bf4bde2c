"""Hostile text in every field, through every flow that shows it (issue 22, part 1).

Tags, an ampersand, a link, a lone closing tag, right-to-left marks and a story of
4,000 characters go into every field a family's report holds (the intake stores
them as typed), a moderator's question and the family's answer. Then the flows that
show them run: the moderators' notice, the queue, the case view with its thread, the
morning digest, the relayed question and answer, the family's status, the release
news draft. The fake Bot API parses every HTML text as Telegram does, so a message
Telegram would refuse fails here; and each field shows literally where it is shown.
"""

from __future__ import annotations

import datetime as dt

from fake_telegram import Call
from fake_telegram.telegram_html import parse_html
from handlers.context import VigiaContext
from handlers.intake.notify_moderators import notify_moderators
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say

NAME = "<b>Ana</b> & <a href='https://evil.example'>Pérez</a> </i>"
TOWN = "Sucre </b><i>& Co"
PLACE = "Sótano \u202eATELOP\u202c <code>&amp;"
STORY = ("Se la llevaron <b>de noche</b> & sin orden </a> " * 80)[:4000]
QUESTION = "¿Dónde <i>exactamente</i> & a qué hora?"
ANSWER = "En <u>la esquina</u> & </b> a las 3"


def _refused(calls: list[Call]) -> list[object]:
    return [call.error for call in calls if call.error is not None]


def _shown(harness: BotHarness, chat_id: int) -> str:
    """Every bot text in the chat as its reader sees it (Telegram's parse of the HTML)."""
    return "\n".join(
        parse_html(message.body).text if message.parse_mode == "HTML" else message.body
        for message in harness.fake.bot_messages(chat_id)
    )


async def test_hostile_text_is_accepted_and_shown_literally_everywhere(
    private_desk: BotHarness,
) -> None:
    harness = private_desk
    moderator, family = harness.people.moderator, harness.people.family_es
    report = await file_report(
        harness,
        reporter=family,
        name=NAME,
        whereabouts="other",
        whereabouts_other=PLACE,
        municipality=TOWN,
        circumstances=STORY,
        relationship="<s>hermana</s> &",
        publish_consent_at=harness.clock.now(),
    )
    start = harness.fake.call_count()
    await notify_moderators(VigiaContext(harness.app), report)
    await harness.services.outbox_worker.drain()
    await say(harness, moderator, "/cola")
    await say(harness, moderator, f"/caso #{report.id}")
    await say(harness, moderator, f"/pedirinfo #{report.id} {QUESTION}")
    await harness.services.outbox_worker.drain()
    await harness.rig.press_button(family, "↩️ Responder")
    await harness.rig.send_text(family, ANSWER)
    await harness.services.outbox_worker.drain()
    await say(harness, moderator, f"/caso #{report.id}")
    harness.clock.advance(dt.timedelta(hours=30))
    jobs = harness.app.job_queue
    assert jobs is not None
    (digest,) = jobs.get_jobs_by_name("moderation_digest")
    await digest.run(harness.app)
    await harness.services.outbox_worker.drain()
    await say(harness, moderator, f"/verificar #{report.id}")
    await say(harness, moderator, "/excarcelar C1 hoy full_release")
    await harness.services.outbox_worker.drain()
    await say(harness, family, f"/estado {report.receipt_display}")
    calls = harness.fake.calls_since(start)

    assert _refused(calls) == []
    desk = _shown(harness, moderator.id)
    for value in (NAME, TOWN, PLACE, QUESTION, ANSWER):
        assert value in desk, value
    assert STORY[:1000] in desk  # the case view shows a long story cut, never broken
    assert desk.count(NAME) >= 5  # notice, queue, case view, digest, release news
    told = _shown(harness, family.id)
    assert QUESTION in told
    assert NAME in told  # the family's own status shows the person as it typed it
