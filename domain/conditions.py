"""How a release's conditions read, with the court-presentation interval when known.

The interval ("every N days") belongs to `court_presentation` only; without it that
condition keeps its generic label. Shared by the release news, the moderator's case
view, the family's status text and notifications, so they all say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.i18n import Translator
from domain.vocabulary import RELEASE_CONDITIONS, label_for

COURT_PRESENTATION = "court_presentation"
MIN_PRESENTATION_DAYS = 1
MAX_PRESENTATION_DAYS = 90


def presentation_label(t: Translator, days: int) -> str:
    return t.ngettext(
        "Court presentation every {count} day",
        "Court presentation every {count} days",
        days,
    ).format(count=t.number(days))


def condition_labels(
    t: Translator, conditions: Iterable[str], presentation_days: int | None
) -> list[str]:
    """Each known condition translated; court presentation with its interval, if any."""
    labels: list[str] = []
    for code in conditions:
        if code == COURT_PRESENTATION and presentation_days:
            labels.append(presentation_label(t, presentation_days))
        elif (label := label_for(RELEASE_CONDITIONS, code)) is not None:
            labels.append(t.gettext(label))
    return labels
