"""The terminal demo: numbered buttons, several people, stale buttons."""

from __future__ import annotations

from demo.session import DemoSession
from tests.demo.conftest import number_of, type_lines

REPORT_ES = (
    "/reportar", "1", "María Fernanda Pérez", "V-14.523.889", "1", "29", "1", "ayer", "7",
    "Valencia", "2", "1", "Se la llevaron de su casa de madrugada.", "1", "hermana", "1",
    "1", "1",
)  # fmt: skip


async def test_start_shows_the_menu_as_numbered_buttons(demo: DemoSession) -> None:
    shown = await type_lines(demo, "/start")
    assert shown[0].startswith("🤖 Vigía recibe reportes")
    assert any("[1] " in line and "  [2] " in line for line in shown)
    assert "🌐 Idioma" in "\n".join(shown)


async def test_a_number_presses_that_button_of_the_newest_message(demo: DemoSession) -> None:
    await type_lines(demo, "/start")
    shown = await type_lines(demo, number_of(demo, "🌐 Idioma"))
    assert shown[0] == "  ▸ pressed «🌐 Idioma»"
    assert "Elige tu idioma" in "\n".join(shown)
    shown = await type_lines(demo, number_of(demo, "English"))
    assert "I will speak to you in English from now on" in "\n".join(shown)


async def test_a_number_with_no_such_button_is_sent_as_text(demo: DemoSession) -> None:
    await type_lines(demo, "/start")
    shown = await type_lines(demo, "42")
    assert "No esperaba eso aquí" in "\n".join(shown)


async def test_message_dot_number_presses_a_button_of_an_older_message(
    demo: DemoSession,
) -> None:
    await type_lines(demo, "/start")
    menu = demo.chat(demo.current).latest_with_buttons()
    assert menu is not None
    await type_lines(demo, "/idioma")
    shown = await type_lines(demo, f"{menu.message_id}.{number_of_in(menu, '❓ Ayuda')}")
    assert "Lo que puedo hacer" in "\n".join(shown)


def number_of_in(message: object, label: str) -> int:
    labels = [button.label for button in message.flat_buttons]  # type: ignore[attr-defined]
    return labels.index(label) + 1


async def test_switching_people_counts_unread_messages_in_the_prompt(
    demo: DemoSession,
) -> None:
    await type_lines(demo, *REPORT_ES)
    assert demo.prompt() == "family · moderator (1 new) › "
    shown = await type_lines(demo, "/as moderator")
    assert shown[0] == "── moderator (es, admin) ──"
    assert "Reporte de detención #1" in "\n".join(shown)
    assert demo.prompt() == "moderator › "


async def test_each_person_has_their_own_chat_and_language(demo: DemoSession) -> None:
    await type_lines(demo, "/as family2 en")
    shown = await type_lines(demo, "/start")
    assert "receives reports of detentions" in shown[0]
    await type_lines(demo, "/as family")
    shown = await type_lines(demo, "/start")
    assert "recibe reportes de detenciones" in shown[0]


async def test_a_stale_button_gets_the_same_kind_answer_as_in_telegram(
    demo: DemoSession,
) -> None:
    await type_lines(demo, "/reportar", "1")
    question = demo.chat(demo.current).latest_with_buttons()
    assert question is not None
    await type_lines(demo, "/cancelar")
    shown = await type_lines(demo, f"{question.message_id}.1")
    answer = demo.fake.calls("answerCallbackQuery")[-1].params
    assert answer["show_alert"] is True
    assert shown == ["  ▸ pressed «✖️ Cancelar»", f"🤖 ⚠ {answer['text']}"]
    assert "Ese botón es de un mensaje anterior" in answer["text"]


async def test_a_photo_is_sent_as_evidence(demo: DemoSession) -> None:
    await type_lines(demo, *REPORT_ES[:13])
    shown = await type_lines(demo, "/photo")
    assert "Recibido (1 de 5)" in "\n".join(shown)


async def test_a_wipe_shows_each_deleted_message(demo: DemoSession) -> None:
    await type_lines(demo, "/start", "/borrar")
    shown = await type_lines(demo, number_of(demo, "🧹 Sí, borrar"))
    assert "🤖 🗑 deleted: «Vigía recibe reportes de detenciones y…»" in shown
    assert any(line.endswith("of your own messages") for line in shown)


async def test_demo_commands_do_not_reach_the_bot(demo: DemoSession) -> None:
    before = demo.fake.call_count()
    shown = await type_lines(demo, "/demo")
    assert shown[0].startswith("Demo commands")
    await type_lines(demo, "/quit")
    assert demo.finished
    assert demo.fake.call_count() == before
