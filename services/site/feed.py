"""`releases.xml`: an Atom feed of verified releases, newest first, one per language.

Entries are the site's own release list (public rows only, so a name only with
consent). Times come from the data, never the clock: an entry is dated at the start of
its release day in the NGO's time zone, the feed at the data's last change, so the same
database gives the same bytes. An entry's id is its day and its place in that day's
list, which holds while the records of that day stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from domain.i18n import Translator
from services.site.content import Release, SiteContent
from services.site.labels import release_summary

FEED_ENTRIES = 50
FEED_FILE = "releases.xml"
ATOM = "http://www.w3.org/2005/Atom"


def releases_feed(
    content: SiteContent, t: Translator, *, page: str, self_href: str, site_name: str
) -> bytes:
    """The feed of `content`'s newest releases in `t`'s language; links are relative to
    the feed's own place."""
    _ = t.gettext
    updated = content.last_change or dt.datetime.combine(content.today, dt.time(), dt.UTC)
    title, subtitle = _("Verified releases"), _("Releases our team verified case by case.")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="{t.language}">',
        f"<title>{escape(title)}</title>",
        f"<subtitle>{escape(subtitle)}</subtitle>",
        f"<id>urn:vigia:releases:{t.language}</id>",
        f"<updated>{_stamp(updated, t)}</updated>",
        f"<author><name>{escape(site_name)}</name></author>",
        f'<link rel="self" href={quoteattr(self_href)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(page)}/>',
    ]
    for entry_id, release in _numbered(content.releases[:FEED_ENTRIES]):
        day = dt.datetime.combine(release.day, dt.time(), t.timezone)
        title = _("Release verified: {date}").format(date=t.date(release.day, "long"))
        lines += [
            "<entry>",
            f"<id>urn:vigia:release:{entry_id}</id>",
            f"<title>{escape(title)}</title>",
            f"<updated>{_stamp(day, t)}</updated>",
            f'<link rel="alternate" type="text/html" href={quoteattr(page + "#releases")}/>',
            f'<content type="text">{escape(release_summary(t, release))}</content>',
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _numbered(releases: Sequence[Release]) -> list[tuple[str, Release]]:
    """Each release with an id of its day and its place among that day's releases."""
    seen: Counter[dt.date] = Counter()
    numbered = []
    for release in releases:
        seen[release.day] += 1
        numbered.append((f"{release.day.isoformat()}:{seen[release.day]}", release))
    return numbered


def _stamp(moment: dt.datetime, t: Translator) -> str:
    """RFC 3339 in the NGO's time zone."""
    return moment.astimezone(t.timezone).isoformat(timespec="seconds")
