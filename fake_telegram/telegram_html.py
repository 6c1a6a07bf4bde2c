"""Telegram's HTML parse mode, read the way Telegram reads it.

A text sent with `parse_mode=HTML` is turned into plain text and entities by Telegram's
own rules, and refused with `400 Bad Request: can't parse entities: …` where they do not
hold. The fake applies the same rules, so that a user's "<" or "&" that the bot forgot
to escape fails a test exactly as it would fail in production:

- only Telegram's tags: b/strong, i/em, u/ins, s/strike/del, tg-spoiler,
  span class="tg-spoiler", a href, tg-emoji emoji-id, code (class="language-…"), pre,
  blockquote (optionally `expandable`); tag names are case-insensitive;
- every tag closed, in order (`</>` closes the innermost one);
- attributes as `name=value`, the value quoted or a bare name token (letters, digits,
  "." and "-"); the only bare attribute is blockquote's `expandable`; other attributes
  are read and ignored, as Telegram ignores them;
- entities: `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric ones (`&#60;`, `&#x3C;`), with
  or without the ";". Anything else after "&" (a bare "&", `&nbsp;`, `&apos;`) stays
  literal text, as Telegram leaves it: the reader then sees the raw characters.

Error texts and byte offsets are Telegram's, so a failing test reads like production.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from fake_telegram.records import ApiError, JSONDict

_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_KIND = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
    "pre": "pre",
}  # fmt: skip
_SPACE = " \t\r\n\v\0"  # Telegram's is_space; "\0" is the end of its C string
_SPECIAL = re.compile(r"[<&]")
_URL_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})


@dataclass(frozen=True, slots=True)
class Entity:
    """One `MessageEntity`, offsets in UTF-16 code units; `argument` is its url, language
    or custom emoji id."""

    kind: str
    offset: int
    length: int
    argument: str = ""

    def to_dict(self) -> JSONDict:
        """The entity as the Bot API shows it in a `Message`."""
        data: JSONDict = {"type": self.kind, "offset": self.offset, "length": self.length}
        if self.kind == "text_link":
            data["url"] = self.argument
        elif self.kind == "pre" and self.argument:
            data["language"] = self.argument
        elif self.kind == "custom_emoji":
            data["custom_emoji_id"] = self.argument
        return data


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a reader sees: the plain text, and the formatting over it."""

    text: str
    entities: tuple[Entity, ...]

    def entity_dicts(self) -> list[JSONDict]:
        return [entity.to_dict() for entity in self.entities]


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    expandable: bool = False


def parse_html(text: str) -> Parsed:
    """Parse `text` as Telegram does, or raise its `can't parse entities` error."""
    if "<" not in text and "&" not in text:
        return Parsed(text, ())
    return _parse_cached(text)


def is_valid_html(text: str) -> bool:
    """Whether Telegram would accept `text` with parse_mode=HTML."""
    try:
        parse_html(text)
    except ApiError:
        return False
    return True


@functools.lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Parsed:
    return _Parser(text).run()


class _Parser:
    """One pass over the text, the way Telegram walks its bytes (offsets are byte offsets)."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.text = text + "\0"  # a C string: the reader stops at the terminator
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[Entity] = []
        self.stack: list[_Open] = []

    def run(self) -> Parsed:
        text, i = self.text, 0
        end = len(self.source)
        while i < end:
            match = _SPECIAL.search(text, i, end)
            stop = match.start() if match else end
            if stop > i:
                self._emit(text[i:stop])
                i = stop
                continue
            if text[i] == "&":
                i = self._entity(i)
            elif text[i + 1] == "/":
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self.stack:
            reason = f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            raise _error(reason)
        plain = "".join(self.out)
        if any("\ud800" <= char <= "\udfff" for char in plain):
            raise _error(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        entities = sorted(self.entities, key=lambda e: (e.offset, -e.length))
        return Parsed(plain, tuple(entities))

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.utf16 += _utf16_len(chunk)

    def _entity(self, i: int) -> int:
        char, after = decode_entity(self.text, i)
        if char is None:
            self._emit("&")
            return i + 1
        self._emit(char)
        return after

    def _start_tag(self, begin: int) -> int:
        text = self.text
        i = begin + 1
        while text[i] not in _SPACE and text[i] != ">":
            i += 1
        if text[i] == "\0":
            raise self._at("Unclosed start tag", begin)
        tag = text[begin + 1 : i].lower()
        if tag not in _TAGS:
            raise self._at(f'Unsupported start tag "{tag}"', begin)
        opened = _Open(tag, "", self.utf16)
        while text[i] != ">":
            while text[i] != "\0" and text[i] in _SPACE:
                i += 1
            if text[i] == ">":
                break
            name_begin = i
            while text[i] not in _SPACE and text[i] not in "=>":
                i += 1
            name = text[name_begin:i].lower()
            if not name:
                raise self._at(f'Empty attribute name in the tag "{tag}"', begin)
            while text[i] != "\0" and text[i] in _SPACE:
                i += 1
            if text[i] == "\0":
                raise self._at(f'Unclosed start tag "{tag}"', begin)
            if text[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    opened.expandable = True
                    continue
                reason = f'Expected equal sign in declaration of an attribute of the tag "{tag}"'
                raise self._at(reason, begin)
            i += 1
            while text[i] != "\0" and text[i] in _SPACE:
                i += 1
            if text[i] == "\0":
                raise self._at(f'Unclosed start tag "{tag}"', begin)
            value, i = self._attribute_value(i)
            if text[i] == "\0":
                raise self._at("Unclosed start tag", begin)
            _apply_attribute(opened, name, value)
        if tag == "span" and opened.argument != "spoiler":
            raise self._at('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append(opened)
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        text = self.text
        if text[i] not in "'\"":
            after = i
            while text[after].isascii() and (text[after].isalnum() or text[after] in ".-"):
                after += 1
            if text[after] not in _SPACE and text[after] != ">":
                raise self._at("Unexpected end of name token", i)
            return text[i:after].lower(), after
        quote = text[i]
        i += 1
        value: list[str] = []
        while text[i] != quote and text[i] != "\0":
            if text[i] == "&":
                char, after = decode_entity(text, i)
                if char is not None:
                    value.append(char)
                    i = after
                    continue
            value.append(text[i])
            i += 1
        if text[i] == quote:
            i += 1
        return "".join(value), i

    def _end_tag(self, begin: int) -> int:
        text = self.text
        if not self.stack:
            raise self._at("Unexpected end tag", begin)
        i = begin + 2
        while text[i] not in _SPACE and text[i] != ">":
            i += 1
        name = text[begin + 2 : i]
        while text[i] != "\0" and text[i] in _SPACE:
            i += 1
        if text[i] != ">":
            raise self._at("Unclosed end tag", begin)
        opened = self.stack[-1]
        if name and name.lower() != opened.tag:
            offset = _byte_offset(self.source, begin)
            raise _error(
                f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self._close(opened)
        return i + 1

    def _close(self, opened: _Open) -> None:
        """Turn a closed tag into its entity; empty ones leave none, as in Telegram."""
        if opened.tag == "tg-emoji" and not _is_emoji_id(opened.argument):
            raise _error("Invalid custom emoji identifier specified")
        length = self.utf16 - opened.utf16_offset
        if length <= 0:
            return
        offset, tag = opened.utf16_offset, opened.tag
        if tag == "a":
            url = _checked_url(opened.argument or self._inner_text(opened))
            if url is not None:
                self.entities.append(Entity("text_link", offset, length, url))
        elif tag == "tg-emoji":
            self.entities.append(Entity("custom_emoji", offset, length, opened.argument))
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.expandable else "blockquote"
            self.entities.append(Entity(kind, offset, length))
        elif tag == "code" and self._merge_into_pre(opened, length):
            return
        elif tag == "pre" and self._merge_code(opened, length):
            return
        else:
            argument = opened.argument if tag == "code" else ""
            self.entities.append(Entity(_KIND[tag], offset, length, argument))

    def _merge_into_pre(self, opened: _Open, length: int) -> bool:
        """`<pre><code class="language-x">` is one pre entity with a language."""
        last = self.entities[-1] if self.entities else None
        same = last is not None and (last.offset, last.length) == (opened.utf16_offset, length)
        if same and last is not None and last.kind == "pre" and opened.argument:
            self.entities[-1] = Entity("pre", last.offset, last.length, opened.argument)
            return True
        return False

    def _merge_code(self, opened: _Open, length: int) -> bool:
        last = self.entities[-1] if self.entities else None
        same = last is not None and (last.offset, last.length) == (opened.utf16_offset, length)
        if same and last is not None and last.kind == "code" and last.argument:
            self.entities[-1] = Entity("pre", last.offset, last.length, last.argument)
            return True
        return False

    def _inner_text(self, opened: _Open) -> str:
        """The text inside an `<a>` without href: Telegram links to the text itself."""
        plain = "".join(self.out)
        encoded = plain.encode("utf-16-le")
        return encoded[opened.utf16_offset * 2 :].decode("utf-16-le", errors="replace")

    def _at(self, reason: str, index: int) -> ApiError:
        return _error(f"{reason} at byte offset {_byte_offset(self.source, index)}")


def decode_entity(text: str, i: int) -> tuple[str | None, int]:
    """The character a `&…` at `i` stands for and the index after it, or None if Telegram
    leaves it literal (unknown names, a bare "&", numbers out of range)."""
    end = i + 1
    if end < len(text) and text[end] == "#":
        end += 1
        hexadecimal = end < len(text) and text[end] == "x"
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(text) and text[end] in digits:
            end += 1
        if end == start or end - i >= 10:
            return None, i
        code = int(text[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None, i
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[i + 1 : end])
        if named is None:
            return None, i
        char = named
    if end < len(text) and text[end] == ";":
        end += 1
    return char, end


def _apply_attribute(opened: _Open, name: str, value: str) -> None:
    """Keep the attributes Telegram reads; any other is read and ignored."""
    tag = opened.tag
    if tag == "a" and name == "href":
        opened.argument = value
    elif tag == "code" and name == "class" and value.startswith("language-"):
        opened.argument = value.removeprefix("language-")
    elif tag == "span" and name == "class" and value.startswith("tg-"):
        opened.argument = value.removeprefix("tg-")
    elif tag == "tg-emoji" and name == "emoji-id":
        opened.argument = value


def _is_emoji_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) != 0


def _checked_url(url: str) -> str | None:
    """A link Telegram would keep; an invalid one leaves the text without a link (no error)."""
    candidate = url.strip()
    if not candidate or any(char in _SPACE for char in candidate):
        return None
    if "://" not in candidate and not candidate.startswith("tg:"):
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES:
        return None
    if scheme in ("http", "https") and "." not in (parts.hostname or ""):
        return None
    return candidate


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", errors="surrogatepass"))


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def _error(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")
