"""The language of the lines printed for the operator: `DEFAULT_LANGUAGE`.

The operator reads the same language the deployment speaks to families by default
(Spanish unless set). It must be known even when the settings fail to load, so it is
read on its own, from the same environment and `.env`, and anything unusable falls
back to Spanish. Missing catalogs (a checkout never compiled) leave the English
source lines: the operator still learns what is wrong.
"""

from __future__ import annotations

import datetime as dt
import gettext

from babel import Locale
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.i18n import CatalogError, Catalogs, Translator, normalise_language
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


def operator_translator(language: str | None = None) -> Translator:
    """The operator's language (by default `DEFAULT_LANGUAGE`): its catalog and its
    number and date formats; English source lines if the catalogs are not compiled."""
    chosen = language or operator_language()
    try:
        return Catalogs(chosen, dt.UTC).get(chosen)
    except CatalogError:
        return Translator("en", gettext.NullTranslations(), Locale.parse("en"), dt.UTC)


def operator_gettext(language: str | None = None) -> Gettext:
    """Translate into `language` (by default the operator's); English if uncompiled."""
    translator = operator_translator(language)
    return translator.gettext


def render_for_operator(line: OperatorText, language: str | None = None) -> str:
    return line.render(operator_gettext(language))
