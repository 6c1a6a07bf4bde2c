"""What the terminal shows for each kind of Bot API call (the renderer alone)."""

from __future__ import annotations

from demo.chat import Chat, toast_lines
from demo.plaintext import BOLD_ON, html_to_text

KEYBOARD = {
    "inline_keyboard": [
        [
            {"text": "Confirmar", "callback_data": "intake:ok"},
            {"text": "Editar", "callback_data": "intake:edit"},
        ],
        [{"text": "Web", "url": "https://example.org"}],
    ]
}


def test_html_is_shown_as_plain_text_with_entities_decoded() -> None:
    html = "<b>Hola</b> &amp; <i>adiós</i> <a href='https://x.org'>aquí</a>"
    assert html_to_text(html) == "Hola & adiós aquí (https://x.org)"


def test_bold_becomes_ansi_only_when_styled() -> None:
    assert BOLD_ON not in html_to_text("<b>Hola</b>")
    assert html_to_text("<b>Hola</b>", styled=True).startswith(BOLD_ON)


def test_inline_buttons_are_numbered_across_rows() -> None:
    chat = Chat(1)
    lines = chat.apply(
        "sendMessage", {"text": "¿Todo bien?", "reply_markup": KEYBOARD}, {"message_id": 7}
    )
    assert lines == [
        "🤖 ¿Todo bien?",
        "   [1] Confirmar  [2] Editar",
        "   [3] Web ↗   · msg 7",
    ]


def test_an_edit_replaces_the_message_and_is_marked() -> None:
    chat = Chat(1)
    chat.apply("sendMessage", {"text": "Enviados: 0", "reply_markup": KEYBOARD}, {"message_id": 3})
    lines = chat.apply("editMessageText", {"message_id": 3, "text": "Enviados: 5"}, True)
    assert lines == ["🤖 (✎ edited) Enviados: 5"]
    assert chat.latest_with_buttons() is None


def test_a_deleted_message_is_named_and_its_buttons_go() -> None:
    chat = Chat(1)
    chat.apply("sendMessage", {"text": "Código", "reply_markup": KEYBOARD}, {"message_id": 3})
    assert chat.apply("deleteMessages", {"message_ids": [3]}, True) == ["🤖 🗑 deleted: «Código»"]
    assert chat.latest_with_buttons() is None


def test_documents_and_photos_are_one_line_with_their_name() -> None:
    chat = Chat(1)
    document = {"filename": "casos.csv", "size": 10, "mime_type": "text/csv"}
    lines = chat.apply(
        "sendDocument", {"document": document, "caption": "Export"}, {"message_id": 4}
    )
    assert lines == ["🤖 [📄 document: casos.csv]", "   Export"]
    photo = {"filename": "cifras.png", "size": 10, "mime_type": "image/png"}
    assert chat.apply("sendPhoto", {"photo": photo}, {"message_id": 5}) == [
        "🤖 [🖼 photo: cifras.png]"
    ]


def test_a_reply_keyboard_is_listed_under_the_message() -> None:
    chat = Chat(1)
    markup = {"keyboard": [[{"text": "Sí"}, {"text": "No"}]]}
    lines = chat.apply(
        "sendMessage", {"text": "¿Seguro?", "reply_markup": markup}, {"message_id": 2}
    )
    assert lines == ["🤖 ¿Seguro?", "   ⌨ «Sí»  «No»"]


def test_a_button_answer_is_a_toast_or_an_alert() -> None:
    assert toast_lines({"text": "Guardado"}) == ["🤖 💬 Guardado"]
    assert toast_lines({"text": "Ya no", "show_alert": True}) == ["🤖 ⚠ Ya no"]
    assert toast_lines({}) == []
