"""The fake reads parse_mode=HTML as Telegram does: same tags, same entities, same errors.

If the fake were more lenient than Telegram, an unescaped name would pass every test
and fail in production; if it were stricter, tests would fail on texts Telegram takes.
"""

from __future__ import annotations

import pytest
from telegram.error import BadRequest

from fake_telegram import ApiError, FakeTelegram
from fake_telegram.api_send import send_message
from fake_telegram.records import Call
from fake_telegram.telegram_html import parse_html

REFUSED = [
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
    ("x <b", "Unclosed start tag at byte offset 2"),
    ('<a href="x"', "Unclosed start tag at byte offset 0"),
    ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
    ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
    ("<b foo>x</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("</i>", "Unexpected end tag at byte offset 0"),
    ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
    ("привет <br>", 'Unsupported start tag "br" at byte offset 13'),
    ("&#xD800;", "Text contains invalid Unicode characters"),
]


@pytest.mark.parametrize(("html", "reason"), REFUSED)
def test_what_telegram_refuses_is_refused_with_its_words(html: str, reason: str) -> None:
    with pytest.raises(ApiError) as refused:
        parse_html(html)
    assert refused.value.code == 400
    assert refused.value.description.startswith("Bad Request: can't parse entities: " + reason)


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("&lt;b&gt; &amp; &quot;", '<b> & "'),
        ("&lt&gt", "<>"),
        ("&#65;&#x42;&#67", "ABC"),
        ("&#x27;", "'"),
        # Telegram leaves what it does not know as literal text: a reader sees it raw.
        ("Tom & Jerry", "Tom & Jerry"),
        ("&nbsp; &apos; &copy", "&nbsp; &apos; &copy"),
        ("a > b", "a > b"),
        ("&#0; &#99999999999;", "&#0; &#99999999999;"),
    ],
)
def test_entities_are_decoded_as_telegram_decodes_them(html: str, plain: str) -> None:
    assert parse_html(html).text == plain


def test_every_tag_telegram_knows_gives_its_entity() -> None:
    parsed = parse_html(
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><a href="https://example.org">l</a>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><code>c</code>'
        '<pre><code class="language-python">x</code></pre><pre>y</pre>'
        "<blockquote>z</blockquote><blockquote expandable>w</blockquote>"
    )
    assert parsed.text == "bsieunskdpql👍cxyzw"
    assert [entity["type"] for entity in parsed.entity_dicts()] == [
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough",
        "strikethrough", "strikethrough", "spoiler", "spoiler", "text_link", "custom_emoji",
        "code", "pre", "pre", "blockquote", "expandable_blockquote",
    ]  # fmt: skip
    by_type = {entity["type"]: entity for entity in parsed.entity_dicts()}
    assert by_type["text_link"]["url"] == "https://example.org"
    assert by_type["custom_emoji"] == {
        "type": "custom_emoji",
        "offset": 12,
        "length": 2,
        "custom_emoji_id": "5368324170671202286",
    }
    assert {"type": "pre", "offset": 15, "length": 1, "language": "python"} in (
        parsed.entity_dicts()
    )


def test_offsets_count_utf16_units_and_nesting_is_kept() -> None:
    parsed = parse_html("😀 <b>Ana <i>Pérez</i></b>")
    assert parsed.text == "😀 Ana Pérez"
    assert parsed.entity_dicts() == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 7, "length": 5},
    ]


def test_attributes_are_read_like_telegram_reads_them() -> None:
    """Case-insensitive tags, quoted or bare values, entities in values, unknown attributes
    ignored, `</>` closing the innermost tag, an invalid link leaving plain text."""
    parsed = parse_html(
        "<B>x</b><a HREF='https://a.example/?q=1&amp;r=2' target=blank>y</a>"
        '<i>z</><a href="not a link">w</a>'
    )
    assert parsed.text == "xyzw"
    assert parsed.entity_dicts() == [
        {"type": "bold", "offset": 0, "length": 1},
        {"type": "text_link", "offset": 1, "length": 1, "url": "https://a.example/?q=1&r=2"},
        {"type": "italic", "offset": 2, "length": 1},
    ]


def test_empty_tags_leave_no_entity() -> None:
    assert parse_html("<b></b>x").entity_dicts() == []


def _send(fake: FakeTelegram, text: str) -> Call:
    call = Call("sendMessage", {"chat_id": 2001, "text": text, "parse_mode": "HTML"})
    call.result = send_message(fake, call)
    return call


def test_a_message_shows_the_parsed_text_and_its_entities() -> None:
    fake = FakeTelegram()
    call = _send(fake, "<b>Ana</b> &amp; Luis &lt;3")
    assert call.result["text"] == "Ana & Luis <3"
    assert call.result["entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    assert fake.last_text(2001, plain=True) == "Ana & Luis <3"


def test_a_text_that_parses_to_nothing_is_empty() -> None:
    with pytest.raises(ApiError, match="message text is empty"):
        _send(FakeTelegram(), "<b> </b>")


def test_the_length_limit_counts_the_parsed_text() -> None:
    fake = FakeTelegram()
    _send(fake, "<b>" + "&amp;" * 4096 + "</b>")
    with pytest.raises(ApiError, match="message is too long"):
        _send(fake, "&amp;" * 4097)


async def test_the_bot_gets_telegrams_error_for_broken_html(fake: FakeTelegram) -> None:
    from telegram import Bot

    from fake_telegram import FakeRequest

    bot = Bot("123:abc", request=FakeRequest(fake))
    async with bot:
        with pytest.raises(BadRequest, match=r"Can't parse entities: unexpected end tag"):
            await bot.send_message(2001, "Ana </i> Pérez", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"Can't parse entities: unsupported start tag"):
            await bot.send_photo(2001, b"img", caption="<br>", parse_mode="HTML")
    assert [call.ok for call in fake.calls("sendMessage")] == [False]


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()
