"""`python -m bot figures --from-csv FILE [--lang es|en] [--as-of DATE]`: /cifras from a file.

A journalist, a rapporteur or a partner NGO can check a published count with the public
export alone: no database, no key, no settings. The file's rows give the tally
(`domain.figures_csv`), the figures are computed by the code /cifras uses
(`domain.figures`), and printed in its layout (`services.figures_text`), without the
HTML. The reports awaiting verification and the official announcements are not case
data, so those lines are not printed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.figures import compute
from domain.figures_csv import FigureFileError, tally_csv
from domain.i18n import SUPPORTED_LANGUAGES, CatalogError, Catalogs
from services.figures_text import figures_text, plain_text
from services.operator_language import operator_translator

DEFAULT_TIMEZONE = "America/Caracas"
LANGUAGES = SUPPORTED_LANGUAGES


def figures_command(path: Path, language: str, as_of: str | None) -> int:
    """Print the figures of a case file; 0 on success, 1 when it cannot be read."""
    try:
        text = figures_from_file(path, language, as_of)
    except (OSError, FigureFileError, CatalogError, ValueError, ZoneInfoNotFoundError) as exc:
        failed = operator_translator(language).gettext("figures failed: {reason}")
        print(f"vigia: {failed.format(reason=exc)}", file=sys.stderr)
        return 1
    print(text)
    return 0


def figures_from_file(path: Path, language: str, as_of: str | None) -> str:
    """The plain text of the figures of the file, as of `as_of` (ISO; default today in
    `TIMEZONE`, else Caracas)."""
    zone = ZoneInfo(os.environ.get("TIMEZONE") or DEFAULT_TIMEZONE)
    today = dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(zone).date()
    tally = tally_csv(path.read_bytes())
    translator = Catalogs(language, zone).get(language)
    return plain_text(figures_text(translator, compute(tally, today=today), None))
