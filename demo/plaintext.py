"""Telegram HTML to terminal text: tags dropped, entities decoded, bold optional.

The bot speaks the small HTML subset Telegram accepts; a terminal needs plain text.
Bold and italics may become ANSI styles, but only when writing to a real terminal, so
that a transcript piped to a file or read by a test carries no escape codes.
"""

from __future__ import annotations

from html.parser import HTMLParser

BOLD_ON, BOLD_OFF = "\x1b[1m", "\x1b[22m"
ITALIC_ON, ITALIC_OFF = "\x1b[3m", "\x1b[23m"
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em"})


class _Flattener(HTMLParser):
    def __init__(self, styled: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._styled = styled
        self.parts: list[str] = []
        self._link_href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self._link_href = dict(attrs).get("href")
            self._link_text = []
        elif self._styled and tag in _BOLD_TAGS:
            self.parts.append(BOLD_ON)
        elif self._styled and tag in _ITALIC_TAGS:
            self.parts.append(ITALIC_ON)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            text = "".join(self._link_text)
            href = self._link_href
            # A bare link shows once; a labelled one keeps its target visible.
            if href and href != text and not href.startswith("tg://"):
                text = f"{text} ({href})"
            self.parts.append(text)
            self._link_href = None
        elif self._styled and tag in _BOLD_TAGS:
            self.parts.append(BOLD_OFF)
        elif self._styled and tag in _ITALIC_TAGS:
            self.parts.append(ITALIC_OFF)
        elif tag == "blockquote":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._link_href is not None:
            self._link_text.append(data)
        else:
            self.parts.append(data)


def html_to_text(html: str, *, styled: bool = False) -> str:
    """Plain text of a Telegram HTML message; `styled` adds ANSI bold and italics."""
    flattener = _Flattener(styled)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.parts)
