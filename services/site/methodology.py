"""The methodology section: the NGO's own words, in a Markdown file it edits.

`methodology.es.md` and `methodology.en.md` in the data folder (beside the database)
replace the defaults shipped here. markdown-it-py renders them: a CommonMark parser
kept by the executable-books project, safe by default for text that is not ours —
raw HTML is escaped rather than passed through, `javascript:` and other unsafe link
targets are refused — and images are switched off, so an edit cannot make the page
fetch anything from another host. Headings move two levels down to sit under the
section's own heading.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from markdown_it import MarkdownIt

HEADING_SHIFT = 2
_TOP_LEVEL = 6


def methodology_file(folder: Path, language: str) -> Path:
    return folder / f"methodology.{language}.md"


def read_methodology(folder: Path | None, language: str) -> str:
    """The NGO's file for the language, else the default shipped with Vigía."""
    if folder is not None:
        path = methodology_file(folder, language)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    default = resources.files("services.site").joinpath(f"methodology.{language}.md")
    return default.read_text(encoding="utf-8")


def methodology_html(markdown: str) -> str:
    """The Markdown as HTML: raw HTML escaped, no images, headings from h3 down."""
    parser = MarkdownIt("commonmark", {"html": False}).disable("image")
    tokens = parser.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(_TOP_LEVEL, int(token.tag[1:]) + HEADING_SHIFT)
            token.tag = f"h{level}"
    return str(parser.renderer.render(tokens, parser.options, {}))
