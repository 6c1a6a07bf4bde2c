"""A site page: one language's whole document, readable without JavaScript.

Nothing on the page is fetched from anywhere: the style is inline, the chart is inline
SVG (with its data table beside it for screen readers), there is no script, font or
image. Each page links to the other language and to the open data.
"""

from __future__ import annotations

import datetime as dt
import re

from domain.i18n import N_, Translator
from services.site import sections
from services.site.content import SiteContent
from services.site.sections import esc

STYLE = """
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--accent:#6a3d9a}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--ink);background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid var(--line)}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem}
.scroll{overflow-x:auto;max-width:100%;margin:1rem 0}
table{border-collapse:collapse;min-width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
.n{text-align:right;font-variant-numeric:tabular-nums}
th small{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
.chart svg{max-width:100%;height:auto;display:block}
.md{overflow-wrap:anywhere}.md code{white-space:pre-wrap}
a{color:var(--accent)}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-bottom:2rem;color:var(--muted)}
"""
# Said in the other language, by the other language's catalog: "Read this page in English"
# on the Spanish page, "Lee esta página en español" on the English one.
OTHER_LANGUAGE = N_("Read this page in this language")
_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def inline_svg(svg: bytes, label: str) -> str:
    """matplotlib's SVG made fit for a page: no XML prologue or DOCTYPE, no metadata, and
    an accessible name."""
    text = _METADATA.sub("", _SVG_START.sub("", svg.decode("utf-8"), count=1), count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1).strip()


def render_page(
    t: Translator,
    content: SiteContent,
    *,
    svg: bytes,
    methodology_html: str,
    other: Translator,
    other_href: str,
    data_prefix: str,
    site_name: str,
) -> str:
    """The page in `t`'s language; `other_href` is the other language's page and
    `data_prefix` the way from this page to the site's root."""
    _ = t.gettext
    title = _("Verified figures")
    chart = inline_svg(
        svg, _("Verified detentions, releases and deaths in custody per week; dashed lines "
               "mark the releases the authorities announced.")
    )  # fmt: skip
    feed = "releases.xml"
    as_of = _("Only cases our team verified one by one. Figures as of {date}.").format(
        date=t.date(content.today, "long")
    )
    footer = _("Published with Vigía from verified cases only.")
    feed_title, sections_label = _("Verified releases"), _("Sections")
    body = [
        sections.verified(t, content),
        sections.announced(t, content),
        sections.groups(t, content),
        sections.over_time(t, content, chart),
        sections.releases(t, content),
        sections.people(t, content),
        sections.methodology(t, methodology_html),
        sections.open_data(t, data_prefix, feed),
    ]
    switch = (
        f'<a href="{esc(other_href)}" hreflang="{other.language}" lang="{other.language}">'
        f"{esc(other.gettext(OTHER_LANGUAGE))}</a>"
    )
    nav = "".join(
        f'<li><a href="#{anchor}">{esc(_(text))}</a></li>'
        for anchor, text in (
            ("verified", N_("Verified figures")),
            ("announced", N_("Announced and verified")),
            ("over-time", N_("Over time")),
            ("releases", N_("Verified releases")),
            ("methodology", N_("Methodology")),
            ("open-data", N_("Open data")),
        )
    )
    return "\n".join(
        (
            "<!DOCTYPE html>",
            f'<html lang="{t.language}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)} · {esc(site_name)}</title>",
            f'<link rel="alternate" hreflang="{other.language}" href="{esc(other_href)}">',
            f'<link rel="alternate" type="application/atom+xml" href="{feed}" '
            f'title="{esc(feed_title)}">',
            f"<style>{STYLE.strip()}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<p>{switch}</p>",
            f"<h1>{esc(title)} · {esc(site_name)}</h1>",
            f"<p>{esc(as_of)}</p>",
            f"<p>{esc(last_updated(t, content.last_change))}</p>",
            f'<nav aria-label="{esc(sections_label)}"><ul>{nav}</ul></nav>',
            "</header>",
            "<main>",
            *body,
            "</main>",
            f"<footer><p>{esc(footer)} {switch}</p></footer>",
            "</body>",
            "</html>",
            "",
        )
    )


def last_updated(t: Translator, moment: dt.datetime | None) -> str:
    """ "Last updated" in the reader's language, in the NGO's time zone."""
    if moment is None:
        return t.gettext("Nothing has been published yet.")
    return t.gettext("Last updated: {moment}").format(moment=t.datetime(moment, "long"))
