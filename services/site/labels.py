"""The words of the site's lists: codes of the public rows in the reader's language."""

from __future__ import annotations

from domain.conditions import condition_labels
from domain.i18n import Translator
from domain.vocabulary import (
    CASE_STATE_LABELS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    PLACES,
    CaseState,
    Choice,
    label_for,
)
from services.site.content import Release


def choice(t: Translator, choices: tuple[Choice, ...], code: str | None) -> str:
    """A code's label, translated; empty when not recorded (or not public)."""
    label = label_for(choices, code)
    return t.gettext(label) if label is not None else (code or "")


def entity(t: Translator, code: str | None) -> str:
    return choice(t, FEDERAL_ENTITIES, code)


def body(t: Translator, code: str | None) -> str:
    return choice(t, DETAINING_BODIES, code)


def place(t: Translator, code: str | None) -> str:
    return choice(t, PLACES, code)


def state(t: Translator, code: str) -> str:
    try:
        return t.gettext(CASE_STATE_LABELS[CaseState(code)])
    except ValueError:
        return code


def conditions(t: Translator, release: Release) -> str:
    return "; ".join(condition_labels(t, release.conditions, release.presentation_days))


def release_summary(t: Translator, release: Release) -> str:
    """One line for the feed: where, the conditions, and the name when consented."""
    parts = [
        part
        for part in (
            release.name or "",
            entity(t, release.federal_entity),
            place(t, release.place),
            conditions(t, release),
        )
        if part
    ]
    return " · ".join(parts) or t.gettext("Release verified")
