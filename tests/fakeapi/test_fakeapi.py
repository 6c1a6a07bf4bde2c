"""The fake Bot API against a real PTB Application: in process, and over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from fake_telegram import (
    FakeRequest,
    FakeTelegram,
    FakeTelegramServer,
    FakeUser,
    Rig,
    document_update,
    text_update,
)

App = Application[Any, Any, Any, Any, Any, Any]
ANA = FakeUser(id=2001, first_name="Ana", language_code="es")
GROUP = -100123
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Again", callback_data="again"),
            InlineKeyboardButton("Web", url="https://example.org"),
        ]
    ]
)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "<b>Hola</b> 👋", parse_mode="HTML", reply_markup=KEYBOARD, protect_content=True
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def _media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    if message.document is not None:
        file = await message.document.get_file()
        data = await file.download_as_bytearray()
        await message.reply_text(f"got document, {len(data)} bytes")
        return
    kind = type(message.effective_attachment).__name__.lower()
    await message.reply_text(f"got {kind}")


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert query.message.reply_markup is not None  # the press carries the stored keyboard
    await query.answer("ok")
    await query.edit_message_text(f"pressed {query.data}")


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[App]:
    application: App = (
        Application.builder()
        .token("123:ABC")
        .base_url("http://anything.invalid/bot")
        .request(FakeRequest(fake))
        .get_updates_request(FakeRequest(fake))
        .build()
    )
    media = filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.Sticker.ALL
    application.add_handlers(
        [
            CommandHandler("start", _start),
            MessageHandler(filters.TEXT & ~filters.COMMAND, _echo),
            MessageHandler(media | filters.LOCATION | filters.CONTACT, _media),
            CallbackQueryHandler(_pressed),
        ]
    )
    async with application:
        yield application


@pytest.fixture
def rig(app: App, fake: FakeTelegram) -> Rig:
    return Rig(app, fake)


# --- in process --------------------------------------------------------------------------


async def test_application_initializes_against_the_fake(app: App, fake: FakeTelegram) -> None:
    assert app.bot.username == "vigia_test_bot"
    assert app.bot.id == fake.bot_id == 100000001
    assert fake.calls("getMe")[0].result["first_name"] == "Vigía"


async def test_text_is_echoed_and_message_ids_are_shared(rig: Rig, fake: FakeTelegram) -> None:
    calls = await rig.send_text(ANA, "hola")
    assert [call.method for call in calls] == ["sendMessage"]
    assert calls[0].params == {"chat_id": ANA.id, "text": "hola"}
    assert calls[0].result["chat"] == {"id": ANA.id, "type": "private", "first_name": "Ana"}
    user_message = fake.message(ANA.id, 1)
    assert user_message is not None and user_message.text == "hola" and not user_message.from_bot
    assert fake.last_bot_message(ANA.id).message_id == 2
    assert fake.last_text(ANA.id) == "hola"


async def test_command_with_bot_suffix_in_a_supergroup(rig: Rig, fake: FakeTelegram) -> None:
    calls = await rig.send_text(ANA, "/start@vigia_test_bot now", chat_id=GROUP)
    send = calls[0]
    assert send.params["protect_content"] is True and send.params["parse_mode"] == "HTML"
    assert send.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "again"
    assert send.result["chat"]["type"] == "supergroup" and send.result["chat"]["title"]
    assert send.result["text"] == "Hola 👋"  # Telegram answers with the parsed text
    message = fake.last_bot_message(GROUP)
    assert message.protect_content and message.parse_mode == "HTML"
    assert fake.last_text(GROUP) == "<b>Hola</b> 👋"
    assert fake.last_text(GROUP, plain=True) == "Hola 👋"
    assert fake.buttons(message) == [[("Again", "again"), ("Web", "https://example.org")]]


async def test_press_button_answers_and_edits(rig: Rig, fake: FakeTelegram) -> None:
    await rig.send_text(ANA, "/start")
    calls = await rig.press_button(ANA, "Again")
    assert [call.method for call in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[0].params["text"] == "ok"
    message = fake.last_bot_message(ANA.id)
    assert (message.text, message.edit_count, fake.buttons(message)) == ("pressed again", 1, [])
    with pytest.raises(AssertionError, match=r"no button 'Again'.*none"):
        await rig.press_button(ANA, "Again")


async def test_press_button_by_predicate_and_clear_failures(rig: Rig, fake: FakeTelegram) -> None:
    await rig.send_text(ANA, "/start")
    with pytest.raises(AssertionError, match=r"not a callback button"):
        await rig.press_button(ANA, "Web")
    with pytest.raises(AssertionError, match=r"'Again' \(message 2\), 'Web'"):
        await rig.press_button(ANA, "Nope")
    calls = await rig.press_button(ANA, lambda label: label.startswith("Ag"))
    assert calls[-1].params["message_id"] == 2
    assert fake.calls("answerCallbackQuery", chat_id=None)[0].ok


async def test_press_on_a_stale_message_id(rig: Rig, fake: FakeTelegram) -> None:
    await rig.send_text(ANA, "/start")
    calls = await rig.press(ANA, 2, "gone:old")
    assert calls[-1].result["text"] == "pressed gone:old"
    with pytest.raises(AssertionError, match=r"no visible message 99"):
        await rig.press(ANA, 99, "x")


async def test_reply_keyboards_replies_and_captions(
    app: App, rig: Rig, fake: FakeTelegram
) -> None:
    keyboard = ReplyKeyboardMarkup([["hola"], [KeyboardButton("Share", request_contact=True)]])
    await app.bot.send_message(ANA.id, "choose", reply_markup=keyboard)
    await rig.press_button(ANA, "hola")
    assert fake.last_text(ANA.id) == "hola"
    await rig.press_button(ANA, "Share")
    assert fake.last_text(ANA.id) == "got contact"
    await app.bot.send_message(ANA.id, "bye", reply_markup=ReplyKeyboardRemove())
    with pytest.raises(AssertionError, match="buttons on offer: none"):
        await rig.press_button(ANA, "hola")

    reply = await app.bot.send_message(ANA.id, "re", reply_parameters=ReplyParameters(2))
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "hola"
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await app.bot.send_message(ANA.id, "re", reply_parameters=ReplyParameters(999))
    photo = await app.bot.send_photo(ANA.id, b"x", caption="a")
    edited = await app.bot.edit_message_caption(ANA.id, photo.message_id, caption="b")
    assert not isinstance(edited, bool) and edited.caption == "b"
    with pytest.raises(BadRequest, match=r"(?i)no caption"):
        await app.bot.edit_message_caption(ANA.id, reply.message_id, caption="c")
    with pytest.raises(BadRequest, match=r"(?i)can't be edited"):
        await app.bot.edit_message_text("mine?", ANA.id, 2)  # Ana's "hola"


async def test_edit_and_delete_errors_match_telegram(app: App, fake: FakeTelegram) -> None:
    sent = await app.bot.send_message(ANA.id, "one", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text("one", ANA.id, sent.message_id, reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(ANA.id, sent.message_id, reply_markup=KEYBOARD)
    edited = await app.bot.edit_message_text("two", ANA.id, sent.message_id)
    assert not isinstance(edited, bool) and edited.text == "two" and edited.edit_date
    assert await app.bot.delete_message(ANA.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(ANA.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("three", ANA.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("three", ANA.id, 404)
    stored = fake.message(ANA.id, sent.message_id)
    assert stored is not None and stored.deleted and stored.edit_count == 1
    assert fake.bot_messages(ANA.id) == []
    assert [call.ok for call in fake.calls("deleteMessage")] == [True, False]


async def test_delete_messages_skips_missing_ones(app: App, fake: FakeTelegram) -> None:
    first = await app.bot.send_message(ANA.id, "a")
    second = await app.bot.send_message(ANA.id, "b")
    await app.bot.send_message(ANA.id, "c")
    assert await app.bot.delete_messages(ANA.id, [first.message_id, second.message_id, 77])
    assert [message.text for message in fake.bot_messages(ANA.id)] == ["c"]


async def test_rejects_what_telegram_rejects(app: App) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(ANA.id, "1 < 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await app.bot.send_message(ANA.id, "<b>bold", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await app.bot.send_message(ANA.id, " ")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(ANA.id, "x" * 4097)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await app.bot.send_message(ANA.id, "hi", reply_markup=long_data)
    assert (await app.bot.send_message(ANA.id, "1 &lt; 2 & 3", parse_mode="HTML")).text == (
        "1 < 2 & 3"
    )


async def test_retry_after_is_surfaced(
    app: App, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on int retry_after otherwise
    fake.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(ANA.id, "hi")
    assert caught.value.retry_after == dt.timedelta(seconds=7)
    assert (await app.bot.send_message(ANA.id, "hi")).text == "hi"
    errors = [call.error for call in fake.calls("sendMessage")]
    assert errors[0] == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert errors[1] is None


async def test_blocked_chats_are_forbidden(app: App, fake: FakeTelegram) -> None:
    fake.block_chat(ANA.id)
    fake.block_chat(GROUP)
    with pytest.raises(Forbidden, match=r"bot was blocked by the user"):
        await app.bot.send_message(ANA.id, "hi")
    with pytest.raises(Forbidden, match=r"kicked"):
        await app.bot.send_photo(GROUP, "AgACAgEAAxkBAAIknownid")
    fake.unblock_chat(ANA.id)
    assert (await app.bot.send_message(ANA.id, "hi")).text == "hi"
    fake.fail_next("sendMessage", error_code=403)
    with pytest.raises(Forbidden):
        await app.bot.send_message(ANA.id, "hi")


async def test_server_side_and_network_failures(app: App, fake: FakeTelegram) -> None:
    fake.fail_next("*", error_code=502, times=2, chat_id=ANA.id)
    assert (await app.bot.send_message(7, "other chat")).text == "other chat"
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"Bad Gateway"):
            await app.bot.send_message(ANA.id, "hi")
    fake.fail_next("sendMessage", network=True)
    with pytest.raises(NetworkError):
        await app.bot.send_message(ANA.id, "hi")
    fake.fail_next("sendMessage", timed_out=True)
    with pytest.raises(TimedOut):
        await app.bot.send_message(ANA.id, "hi")
    fake.fail_next("sendMessage", error_code=400, description="Bad Request: boom")
    with pytest.raises(BadRequest, match=r"Boom"):
        await app.bot.send_message(ANA.id, "hi")
    assert (await app.bot.send_message(ANA.id, "hi")).text == "hi"


async def test_uploads_are_recorded_with_their_bytes(app: App, fake: FakeTelegram) -> None:
    photo = await app.bot.send_photo(
        ANA.id, b"\x89PNG-bytes", caption="<i>c</i>", parse_mode="HTML"
    )
    call = fake.calls("sendPhoto")[-1]
    assert call.params["photo"] == {
        "filename": "application.octet-stream",  # PTB's name for nameless bytes
        "size": 10,
        "mime_type": "application/octet-stream",
    }
    assert call.files == {"photo": b"\x89PNG-bytes"}
    assert photo.caption == "c" and photo.photo[-1].file_size == 10
    stored = fake.last_bot_message(ANA.id)
    assert stored.media_kind == "photo" and stored.file_id == photo.photo[-1].file_id
    again = await app.bot.send_photo(ANA.id, photo.photo[-1].file_id)
    assert again.photo[-1].file_id == photo.photo[-1].file_id
    album = await app.bot.send_media_group(
        ANA.id, [InputMediaPhoto(b"one"), InputMediaPhoto(b"two", caption="second")]
    )
    assert len({message.media_group_id for message in album}) == 1
    assert [message.caption for message in album] == [None, "second"]
    group_call = fake.calls("sendMediaGroup")[-1]
    parts = [item["media"]["attach"] for item in group_call.params["media"]]
    assert [group_call.files[part] for part in parts] == [b"one", b"two"]


async def test_user_media_updates(rig: Rig, fake: FakeTelegram) -> None:
    await rig.send_document(ANA, file_name="acta.pdf", file_size=1234)
    assert fake.last_text(ANA.id) == "got document, 1234 bytes"
    assert [call.method for call in fake.calls()][-1] == "sendMessage"
    assert fake.calls("getFile")[-1].result["file_path"].endswith(".pdf")
    await rig.send_photo(ANA, caption="mira")
    assert fake.last_text(ANA.id) == "got tuple"  # effective_attachment of a photo: sizes
    for send, expected in [
        (rig.send_voice(ANA, duration=3), "got voice"),
        (rig.send_sticker(ANA), "got sticker"),
        (rig.send_location(ANA, 10.5, -66.9), "got location"),
        (rig.send_contact(ANA), "got contact"),
    ]:
        await send
        assert fake.last_text(ANA.id) == expected
    file_ids = {m.file_id for m in fake.messages(ANA.id) if m.file_id and not m.from_bot}
    assert len(file_ids) == 4


async def test_copy_forward_and_protected_content(app: App, rig: Rig, fake: FakeTelegram) -> None:
    await rig.send_text(ANA, "/start")  # message 1 by Ana, 2 by the bot (protected)
    copied = await app.bot.copy_message(GROUP, ANA.id, 1)
    forwarded = await app.bot.forward_message(GROUP, ANA.id, 1)
    assert (copied.message_id, forwarded.message_id) == (1, 2)
    assert fake.last_text(GROUP) == "/start" and forwarded.forward_origin is not None
    with pytest.raises(BadRequest, match=r"(?i)protected content"):
        await app.bot.copy_message(GROUP, ANA.id, 2)
    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await app.bot.copy_message(GROUP, ANA.id, 50)


async def test_commands_chats_and_webhook(app: App, fake: FakeTelegram) -> None:
    await app.bot.set_my_commands([("start", "Start")], language_code="es")
    assert [c.command for c in await app.bot.get_my_commands(language_code="es")] == ["start"]
    assert await app.bot.get_my_commands() == ()
    assert fake.calls("setMyCommands")[0].params["commands"] == [
        {"command": "start", "description": "Start"}
    ]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await app.bot.set_my_commands([("Start", "bad")])
    assert await app.bot.delete_my_commands(language_code="es")
    assert await app.bot.set_chat_menu_button()
    fake.register_user(ANA)
    chat = await app.bot.get_chat(ANA.id)
    assert (chat.type, chat.first_name) == ("private", "Ana")
    assert await app.bot.send_chat_action(ANA.id, "typing")
    assert await app.bot.set_webhook("https://example.org/hook")
    assert (await app.bot.get_webhook_info()).url == "https://example.org/hook"
    assert await app.bot.delete_webhook()
    assert await app.bot.do_api_request("someFutureMethod", api_kwargs={"x": 1})
    assert fake.calls("someFutureMethod")[0].params == {"x": 1}


async def test_get_updates_in_process_long_polls(app: App, fake: FakeTelegram) -> None:
    assert await app.bot.get_updates(timeout=0) == ()
    fake.enqueue_update(text_update(fake, ANA, "queued"))

    async def later() -> None:
        await asyncio.sleep(0.05)
        fake.enqueue_update(text_update(fake, ANA, "late"))

    first = await app.bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["queued"]
    task = asyncio.create_task(later())
    started = time.monotonic()
    second = await app.bot.get_updates(offset=first[-1].update_id + 1, timeout=5)
    await task
    assert time.monotonic() - started < 0.9
    assert [u.message.text for u in second if u.message] == ["late"]


# --- over loopback HTTP ------------------------------------------------------------------


async def test_server_serves_a_real_bot_over_http() -> None:
    with FakeTelegramServer(max_poll_wait=0.2) as server:
        bot = Bot(
            "123456:TEST",
            base_url=server.base_url,
            base_file_url=server.base_file_url,
            request=HTTPXRequest(),
            get_updates_request=HTTPXRequest(),
        )
        async with bot:
            assert bot.username == "vigia_test_bot"
            assert server.wait_for_call("getMe", timeout=1) is not None
            started = time.monotonic()
            assert await bot.get_updates(timeout=5) == ()
            assert 0.15 <= time.monotonic() - started < 2
            server.enqueue_update(text_update(server.fake, ANA, "hola ñandú"))
            updates = await bot.get_updates(timeout=5)
            assert updates[0].message is not None and updates[0].message.text == "hola ñandú"
            assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()

            sent = await bot.send_message(ANA.id, "123", reply_markup=KEYBOARD)
            call = server.calls("sendMessage")[-1]
            assert call.params["text"] == "123" and call.params["chat_id"] == ANA.id
            assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Again"
            assert sent.reply_markup == KEYBOARD

            await bot.send_document(ANA.id, b"%PDF-1", filename="a.pdf", caption="café ☕")
            upload = server.calls("sendDocument")[-1]
            assert upload.files["document"] == b"%PDF-1"
            assert upload.params["document"]["filename"] == "a.pdf"
            assert upload.params["caption"] == "café ☕"

            update = document_update(server.fake, ANA, file_size=321)
            file = await bot.get_file(update["message"]["document"]["file_id"])
            assert len(await file.download_as_bytearray()) == 321

            server.fake.fail_next("sendMessage", error_code=403)
            with pytest.raises(Forbidden):
                await bot.send_message(ANA.id, "x")
            server.fake.fail_next("sendMessage", network=True)
            with pytest.raises(NetworkError):
                await bot.send_message(ANA.id, "x")
            with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
                await bot.delete_message(ANA.id, 999)


def test_server_accepts_json_bodies_and_reports_waited_calls() -> None:
    with FakeTelegramServer() as server:
        payload = {"chat_id": -100, "text": "true", "reply_markup": json.dumps(KEYBOARD.to_dict())}
        status, answer = _http(server, "POST", "/bot123:ABC/sendMessage", payload)
        assert status == 200 and answer["result"]["chat"]["type"] == "supergroup"
        call = server.calls("sendMessage")[0]
        assert call.params["text"] == "true" and call.params["reply_markup"]["inline_keyboard"]
        assert _http(server, "GET", "/nowhere", None)[0] == 404

        def poll_later() -> None:
            time.sleep(0.05)
            _http(server, "GET", "/bot123:ABC/getUpdates?timeout=0", None)

        thread = threading.Thread(target=poll_later)
        thread.start()
        waited = server.wait_for_call("getUpdates", timeout=5)
        thread.join()
        assert waited is not None and waited.params == {"timeout": 0}
        assert server.wait_for_call("getUpdates", timeout=0.05, since=2) is None


def _http(
    server: FakeTelegramServer, method: str, path: str, payload: dict[str, Any] | None
) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        body = json.dumps(payload).encode() if payload is not None else None
        connection.request(method, path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()
