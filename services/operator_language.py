"""The language of the lines printed for the operator: `DEFAULT_LANGUAGE`.

The operator reads the same language the deployment speaks to families by default
(Spanish unless set). It must be known even when the settings fail to load, so it is
read on its own, from the same environment and `.env`, and anything unusable falls
back to Spanish. Missing catalogs (a checkout never compiled) leave the English
source lines: the operator still learns what is wrong.
"""

from __future__ import annotations

import datetime as dt

from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.i18n import CatalogError, Catalogs, normalise_language
from domain.operator_text import Gettext, OperatorText

FALLBACK_LANGUAGE = "es"


class _LanguageOnly(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    default_language: str = FALLBACK_LANGUAGE


def operator_language() -> str:
    """`DEFAULT_LANGUAGE` when it names a supported language, else Spanish."""
    try:
        configured = _LanguageOnly().default_language
    except ValueError:
        return FALLBACK_LANGUAGE
    return normalise_language(configured) or FALLBACK_LANGUAGE


def operator_gettext(language: str | None = None) -> Gettext:
    """Translate into `language` (by default the operator's); English if uncompiled."""
    chosen = language or operator_language()
    try:
        catalogs = Catalogs(chosen, dt.UTC)
    except CatalogError:
        return _english
    return catalogs.get(chosen).gettext


def render_for_operator(line: OperatorText, language: str | None = None) -> str:
    return line.render(operator_gettext(language))


def _english(message: str) -> str:
    return message
