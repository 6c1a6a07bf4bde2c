"""/queue: possible disappearances on top with the 48-hour clock, then oldest waiting."""

from __future__ import annotations

import datetime as dt
import re

from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say

TAG = re.compile(r"^(?:🚨 )?(#\d+) · ", re.MULTILINE)
FLAG = "más de 48 horas: probable desaparición forzada"


def _order(text: str) -> list[str]:
    """The report tags in the order the queue lists them."""
    return [match.group(1) for match in TAG.finditer(text)]


async def test_possible_disappearances_come_first_then_oldest_waiting(
    private_desk: BotHarness,
) -> None:
    clock = private_desk.clock
    old_known = await file_report(private_desk, name="Primero Conocido")
    clock.advance(dt.timedelta(hours=1))
    recent_unknown = await file_report(
        private_desk, name="Reciente", whereabouts="unknown", detained_on=dt.date(2026, 1, 12)
    )
    clock.advance(dt.timedelta(hours=1))
    long_unknown = await file_report(
        private_desk, name="Hace Días", whereabouts="unknown", detained_on=dt.date(2026, 1, 9)
    )
    clock.advance(dt.timedelta(hours=1))
    new_known = await file_report(private_desk, name="Último Conocido")
    sent = await say(private_desk, private_desk.people.moderator, "/queue")
    assert _order(sent) == [
        f"#{long_unknown.id}",
        f"#{recent_unknown.id}",
        f"#{old_known.id}",
        f"#{new_known.id}",
    ]


async def test_hours_since_the_arrest_are_shown_and_flagged_past_48(
    private_desk: BotHarness,
) -> None:
    await file_report(private_desk, whereabouts="unknown", detained_on=dt.date(2026, 1, 11))
    sent = await say(private_desk, private_desk.people.moderator, "/cola")
    # Caracas midnight of the 11th to noon of the 12th.
    assert "⏱ 36 horas desde la detención" in sent
    assert FLAG not in sent
    private_desk.clock.advance(dt.timedelta(hours=12))
    sent = await say(private_desk, private_desk.people.moderator, "/cola")
    assert "⏱ 48 horas desde la detención" in sent
    assert FLAG in sent


async def test_known_whereabouts_show_no_clock(private_desk: BotHarness) -> None:
    await file_report(private_desk, whereabouts="yare", detained_on=dt.date(2026, 1, 1))
    sent = await say(private_desk, private_desk.people.moderator, "/queue")
    assert "⏱" not in sent and "🚨" not in sent


async def test_decided_and_quarantined_reports_stay_out_of_the_open_queue(
    private_desk: BotHarness,
) -> None:
    decided = await file_report(private_desk, name="Decidido")
    await say(private_desk, private_desk.people.moderator, f"/reject #{decided.id} false_report")
    await file_report(private_desk, name="Bloqueado", quarantined=True)
    waiting = await file_report(private_desk, name="Esperando")
    sent = await say(private_desk, private_desk.people.moderator, "/queue")
    assert _order(sent) == [f"#{waiting.id}"]
    sent = await say(private_desk, private_desk.people.moderator, "/queue rechazados")
    assert _order(sent) == [f"#{decided.id}"]


async def test_an_empty_queue_says_so(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.moderator, "/queue")
    assert sent == "No hay nada en la cola (abiertos)."


async def test_an_unknown_state_explains_the_command(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.moderator, "/queue pronto")
    assert sent.startswith("Uso: /cola")


async def test_long_queues_turn_pages_in_place(private_desk: BotHarness) -> None:
    for number in range(10):
        await file_report(private_desk, name=f"Persona {number}")
        private_desk.clock.advance(dt.timedelta(minutes=1))
    mod = private_desk.people.moderator
    sent = await say(private_desk, mod, "/queue")
    assert "página 1 de 2" in sent and len(_order(sent)) == 8
    page = private_desk.fake.last_bot_message(mod.id)
    calls = await private_desk.rig.press_button(mod, "Siguiente ▶")
    assert [call.method for call in calls if call.chat_id == mod.id][-1] == "editMessageText"
    turned = private_desk.fake.message(mod.id, page.message_id)
    assert turned is not None
    assert "página 2 de 2" in turned.body
    assert _order(turned.body) == ["#9", "#10"]


async def test_open_buttons_show_the_report(private_desk: BotHarness) -> None:
    report = await file_report(private_desk, name="Abrible")
    mod = private_desk.people.moderator
    await say(private_desk, mod, "/queue")
    calls = await private_desk.rig.press_button(mod, f"🔎 Abrir #{report.id}")
    assert any("<b>Reporte #1</b>" in str(call.params.get("text")) for call in calls)
