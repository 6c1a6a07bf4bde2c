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
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fake_telegram import Call
from fake_telegram.telegram_html import parse_html
from handlers.context import VigiaContext
from handlers.intake.notify_moderators import notify_moderators
from tests.harness import BotHarness, make_settings
from tests.moderation.helpers import file_report, say
from tests.record.lifecycles import Life
from tests.record.paths import by_import, import_file_bytes
from tests.roles import make_staff

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


CHANNEL = -1009876543
IMPORTED = "Luis </b>& <a href='x'>Mora</a> <tg-spoiler>"


@pytest.fixture
async def channel_desk(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The desk with a public channel for release news."""
    bot = BotHarness(make_settings(tmp_path, channel_id=CHANNEL))
    await bot.start()
    bot.fake.register_chat(CHANNEL, title="Noticias", chat_type="channel")
    await make_staff(bot)
    try:
        yield bot
    finally:
        await bot.stop()


async def test_hostile_names_reach_the_channel_and_come_in_through_an_import_literally(
    channel_desk: BotHarness,
) -> None:
    harness = channel_desk
    moderator = harness.people.moderator
    report = await file_report(harness, name=NAME, publish_consent_at=harness.clock.now())
    start = harness.fake.call_count()
    await say(harness, moderator, f"/verificar #{report.id}")
    await say(harness, moderator, "/excarcelar C1 hoy full_release")
    await harness.rig.press_button(moderator, "📣 Difundir")
    await harness.services.outbox_worker.drain()
    imported = Life(
        name=IMPORTED,
        sex="male",
        age=40,
        affiliation="civilian",
        entity="miranda",
        body="sebin",
        whereabouts="helicoide",
        reported_on=dt.date(2026, 1, 2),
        detained_on=dt.date(2026, 1, 2),
        consent=True,
        place="helicoide",
    )
    await by_import(harness, import_file_bytes([imported]), 1)
    await say(harness, moderator, "/caso C2")
    calls = harness.fake.calls_since(start)
    assert _refused(calls) == []
    assert NAME in _shown(harness, CHANNEL)
    assert IMPORTED in _shown(harness, moderator.id)
