"""The moderation group sees no identities (issue 14, part 6).

Every member of the group reads what the bot posts there, and a member's phone can be
taken too. Notices name a report by its number, kind, urgency and 48-hour clock; its
details open only in the private chat of someone whose role allows it, checked when
they press; whoever joins the group without a role is told to the admins.
"""

from __future__ import annotations

import datetime as dt

from domain.cedula import display_cedula
from fake_telegram import Call, FakeUser, chat_member_update
from handlers.context import VigiaContext
from handlers.intake.notify_moderators import notify_moderators
from tests.harness import ADMIN_ID, MODERATION_CHAT_ID, BotHarness
from tests.moderation.helpers import file_report, say, texts

GROUP = MODERATION_CHAT_ID
NAME = "Yorbelis Mijares"
CEDULA = "V14785236"
PLACE = "Sótano de la PNB en Boleíta"
HOSTILE = '<a href="https://evil.example">Mallory</a> & <b>co</b>'
NEWCOMER = FakeUser(id=4242, first_name="Mallory", last_name="<b>Spy</b>", language_code="es")


async def _filed_and_announced(
    harness: BotHarness, detained_on: dt.date = dt.date(2026, 1, 10)
) -> int:
    report = await file_report(
        harness,
        name=NAME,
        cedula=CEDULA,
        whereabouts="other",
        whereabouts_other=PLACE,
        municipality="Sucre",
        detained_on=detained_on,
    )
    await notify_moderators(VigiaContext(harness.app), report)
    await harness.services.outbox_worker.drain()
    return report.id


def _secrets(receipt: str) -> list[str]:
    return [NAME, "Yorbelis", CEDULA, display_cedula(CEDULA), PLACE, "Sucre", receipt]


def _group_text(harness: BotHarness) -> str:
    return "\n".join(str(call.params) for call in harness.fake.calls() if call.chat_id == GROUP)


async def _receipt(harness: BotHarness, report_id: int) -> str:
    report = await harness.services.reports.by_id(report_id)
    assert report is not None
    return report.receipt_display


async def test_the_group_notice_says_number_kind_urgency_and_clock_only(
    desk: BotHarness,
) -> None:
    report_id = await _filed_and_announced(desk, detained_on=dt.date(2026, 1, 11))
    notice = desk.fake.last_bot_message(GROUP)
    assert f"Reporte de detención #{report_id}" in notice.body
    assert "horas desde la detención" in notice.body
    receipt = await _receipt(desk, report_id)
    leaked = [secret for secret in _secrets(receipt) if secret in _group_text(desk)]
    assert leaked == []
    assert receipt.replace(" ", "") not in _group_text(desk).replace(" ", "")


async def test_an_urgent_notice_says_so_without_naming_anyone(desk: BotHarness) -> None:
    report = await file_report(desk, name=NAME, whereabouts="unknown")
    await notify_moderators(VigiaContext(desk.app), report)
    await desk.services.outbox_worker.drain()
    notice = desk.fake.last_bot_message(GROUP).body
    assert "URGENTE" in notice and "desaparición forzada" in notice
    assert NAME not in notice


async def test_open_in_the_group_sends_the_details_to_the_moderator_privately(
    desk: BotHarness,
) -> None:
    report_id = await _filed_and_announced(desk)
    moderator = desk.people.moderator
    group_before = len(desk.fake.bot_messages(GROUP))
    calls = await desk.rig.press_button(moderator, "🔎 Abrir", chat_id=GROUP)
    private = texts(calls, moderator.id)
    assert f"Reporte #{report_id}" in private and NAME in private and PLACE in private
    toasts = [call.params.get("text") for call in calls if call.method == "answerCallbackQuery"]
    assert toasts == ["📬 Enviado a nuestro chat privado."]
    assert len(desk.fake.bot_messages(GROUP)) == group_before
    assert NAME not in _group_text(desk)


async def test_open_pressed_by_a_member_without_a_role_shows_nothing(desk: BotHarness) -> None:
    await _filed_and_announced(desk)
    for who in (desk.people.stranger, desk.people.broadcaster):
        calls = await desk.rig.press_button(who, "🔎 Abrir", chat_id=GROUP)
        alerts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
        assert alerts == ["Este comando no está disponible."]
        assert [c for c in calls if c.method.startswith("send")] == []


async def test_open_by_a_moderator_revoked_since_the_notice_shows_nothing(
    desk: BotHarness,
) -> None:
    await _filed_and_announced(desk)
    moderator = desk.people.moderator
    await say(desk, desk.people.admin, f"/revoke {moderator.id}")
    calls = await desk.rig.press_button(moderator, "🔎 Abrir", chat_id=GROUP)
    assert NAME not in texts(calls)


async def test_open_by_a_moderator_the_bot_cannot_write_to_asks_them_to_start_it(
    desk: BotHarness,
) -> None:
    await _filed_and_announced(desk)
    moderator = desk.people.moderator
    desk.fake.block_chat(
        moderator.id, description="Forbidden: bot can't initiate conversation with a user"
    )
    calls = await desk.rig.press_button(moderator, "🔎 Abrir", chat_id=GROUP)
    [alert] = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert "todavía no puedo escribirte" in str(alert)
    assert NAME not in texts(calls)


async def test_a_desk_action_pressed_in_the_group_is_answered_privately(
    desk: BotHarness,
) -> None:
    report_id = await _filed_and_announced(desk)
    moderator = desk.people.moderator
    calls = await desk.rig.press_button(moderator, "✅ Verificar", chat_id=GROUP)
    assert "Caso nuevo C1" in texts(calls, moderator.id)
    sent_to_group = [c for c in calls if c.chat_id == GROUP and c.method == "sendMessage"]
    assert sent_to_group == []
    snapshot = await desk.services.review.get(report_id)
    assert snapshot is not None and snapshot.case_id == 1


def _alerts_to(harness: BotHarness, chat_id: int) -> list[str]:
    return [
        message.body
        for message in harness.fake.bot_messages(chat_id)
        if "Hay alguien sin rol" in message.body or "Someone without a role" in message.body
    ]


async def _join(harness: BotHarness, user: FakeUser, *, old: str, new: str) -> list[Call]:
    calls = await harness.rig.feed(chat_member_update(harness.fake, GROUP, user, old=old, new=new))
    await harness.services.outbox_worker.drain()
    return calls


async def test_a_join_without_a_role_is_told_to_the_admins_privately(desk: BotHarness) -> None:
    await _join(desk, NEWCOMER, old="left", new="member")
    [alert] = _alerts_to(desk, ADMIN_ID)
    assert "Mallory &lt;b&gt;Spy&lt;/b&gt;" in alert and "<code>4242</code>" in alert
    assert "Hay alguien sin rol en el grupo de moderación" in alert
    assert _alerts_to(desk, GROUP) == []
    assert _alerts_to(desk, desk.people.moderator.id) == []


async def test_a_join_of_a_moderator_is_not_an_alert(desk: BotHarness) -> None:
    await _join(desk, desk.people.moderator2, old="left", new="member")
    assert _alerts_to(desk, ADMIN_ID) == []


async def test_mods_lists_the_members_seen_without_a_role_until_they_leave(
    desk: BotHarness,
) -> None:
    admin = desk.people.admin
    assert "No se ha visto a nadie sin rol" in await say(desk, admin, "/equipo")
    await _join(desk, NEWCOMER, old="left", new="member")
    hostile = FakeUser(id=4343, first_name=HOSTILE, language_code="en")
    await desk.rig.send_text(hostile, "hola", chat_id=GROUP)
    await desk.services.outbox_worker.drain()
    listed = await say(desk, admin, "/equipo")
    assert "En el grupo de moderación sin rol" in listed
    assert "Mallory &lt;b&gt;Spy&lt;/b&gt; · 4242" in listed
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;Mallory&lt;/a&gt;" in listed
    assert HOSTILE not in listed
    # Seen speaking first: told once, not at every message.
    await desk.rig.send_text(hostile, "otra vez", chat_id=GROUP)
    await desk.services.outbox_worker.drain()
    assert sum("4343" in alert for alert in _alerts_to(desk, ADMIN_ID)) == 1
    # One left, the other was given a role: nobody is listed any more.
    await _join(desk, NEWCOMER, old="member", new="left")
    await say(desk, admin, f"/grant {hostile.id} moderator")
    assert "No se ha visto a nadie sin rol" in await say(desk, admin, "/equipo")


async def test_mods_is_for_admins_only(desk: BotHarness) -> None:
    answer = await say(desk, desk.people.moderator, "/mods")
    assert answer == "Este comando no está disponible."


async def test_a_question_asked_from_the_group_is_confirmed_privately(desk: BotHarness) -> None:
    report = await file_report(desk, name=NAME)
    receipt = report.receipt_display
    moderator = desk.people.moderator
    calls = await desk.rig.send_text(
        moderator, f"/preguntar {receipt} ¿Dónde lo vieron?", chat_id=GROUP
    )
    in_group = [str(c.params.get("text")) for c in calls if c.chat_id == GROUP]
    assert in_group == ["📬 Te respondo en nuestro chat privado."]
    assert "Pregunta enviada" in texts(calls, moderator.id)
    assert receipt in texts(calls, moderator.id)
    thread = await desk.services.followups.thread(report.id)
    assert [message.text for message in thread] == ["¿Dónde lo vieron?"]
