"""Catalogs, the per-user translator and locale-aware formatting.

Source strings are English; `locales/es` and `locales/en` are both complete catalogs.
Module-level labels are marked with `N_()` and translated when shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

SUPPORTED_LANGUAGES = ("es", "en")
DOMAIN = "messages"
# The package holding the compiled catalogs, in a checkout or an installed wheel.
CATALOG_PACKAGE = "locales"


class CatalogError(RuntimeError):
    """A catalog was not compiled: refuse to start rather than speak half a language."""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def normalise_language(code: str | None) -> str | None:
    """`es-VE` → `es`, `en-US` → `en`; anything else → None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


@dataclass(frozen=True, slots=True)
class Translator:
    """One language: gettext plus babel formatting in that locale."""

    language: str
    catalog: gettext.NullTranslations
    locale: Locale
    timezone: dt.tzinfo

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalog.ngettext(singular, plural, count)

    def date(self, value: dt.date, fmt: str = "long") -> str:
        return _date(value, fmt, self.locale)

    def datetime(self, value: dt.datetime, fmt: str = "medium") -> str:
        return format_datetime(value, format=fmt, tzinfo=self.timezone, locale=self.locale)

    def time(self, value: dt.datetime, fmt: str = "short") -> str:
        return format_time(value, format=fmt, tzinfo=self.timezone, locale=self.locale)

    def number(self, value: float) -> str:
        return _number(value, self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, format="#,##0.#%", locale=self.locale)

    def duration(self, value: dt.timedelta) -> str:
        """`24 horas`, `1 hour`, `90 minutes`: whole hours in hours, else minutes."""
        minutes = int(value.total_seconds() // 60)
        if minutes % 60 == 0:
            return format_unit(minutes // 60, "duration-hour", length="long", locale=self.locale)
        return format_unit(minutes, "duration-minute", length="long", locale=self.locale)


# Babel takes tens of microseconds per call and the same few dates and small numbers
# recur in every notice, summary and list; the results depend on nothing else.
@functools.lru_cache(maxsize=4096)
def _date(value: dt.date, fmt: str, locale: Locale) -> str:
    return format_date(value, format=fmt, locale=locale)


@functools.lru_cache(maxsize=4096)
def _number(value: float, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


class Catalogs:
    """Loads every compiled catalog once at startup."""

    def __init__(
        self,
        default_language: str,
        timezone: dt.tzinfo,
        locales_dir: Traversable | None = None,
    ) -> None:
        """Catalogs from `locales_dir`, by default the `locales` package wherever it is
        installed (importlib.resources: a wheel carries them compiled)."""
        self.default_language = default_language
        self._translators: dict[str, Translator] = {}
        root = locales_dir if locales_dir is not None else resources.files(CATALOG_PACKAGE)
        for language in SUPPORTED_LANGUAGES:
            mo_file = root / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
            if not mo_file.is_file():
                raise CatalogError(f"{mo_file} is not compiled")
            _refuse_stale(mo_file)
            catalog = gettext.GNUTranslations(io.BytesIO(mo_file.read_bytes()))
            self._translators[language] = Translator(
                language, catalog, Locale.parse(language), timezone
            )

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or "", self._translators[self.default_language])

    def resolve(self, stored: str | None, telegram_code: str | None) -> str:
        """Stored choice, else Telegram's language, else the deployment default."""
        return stored or normalise_language(telegram_code) or self.default_language

    def all(self) -> list[Translator]:
        return [self._translators[language] for language in SUPPORTED_LANGUAGES]


def _refuse_stale(mo_file: Traversable) -> None:
    """In a checkout, a catalog edited since it was compiled would speak the old texts.
    (An installed wheel carries no `.po` files.)"""
    if not isinstance(mo_file, Path):
        return
    po_file = mo_file.with_suffix(".po")
    if po_file.exists() and po_file.stat().st_mtime > mo_file.stat().st_mtime + 1:
        raise CatalogError(f"{mo_file} is older than its .po")
