"""`releases.xml`: an Atom feed of verified releases, newest first, one per language.

Entries are the site's own release list (public rows only, so a name only with
consent). Times come from the data, never the clock: an entry is dated at the start of
its release day in the NGO's time zone, the feed at the data's last change, so the same
database gives the same bytes. An entry's id is a keyed reference to its case and day
(`CaseExports.public_ref`): a reader never sees an entry come back as new when other
releases of the same day are recorded, and the id names no case number. (Rotating
ENCRYPTION_KEY gives every entry a new id once.)
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from domain.i18n import Translator
from services.site.content import SiteContent
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
    for release in content.releases[:FEED_ENTRIES]:
        day = dt.datetime.combine(release.day, dt.time(), t.timezone)
        title = _("Release verified: {date}").format(date=t.date(release.day, "long"))
        lines += [
            "<entry>",
            f"<id>urn:vigia:release:{release.ref}</id>",
            f"<title>{escape(title)}</title>",
            f"<updated>{_stamp(day, t)}</updated>",
            f'<link rel="alternate" type="text/html" href={quoteattr(page + "#releases")}/>',
            f'<content type="text">{escape(release_summary(t, release))}</content>',
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _stamp(moment: dt.datetime, t: Translator) -> str:
    """RFC 3339 in the NGO's time zone."""
    return moment.astimezone(t.timezone).isoformat(timespec="seconds")
