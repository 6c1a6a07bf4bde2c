"""Catalog chores: `python -m bot.i18n_tools extract|compile|check`.

`extract` refreshes `locales/messages.pot` from the code and merges it into both
catalogs. English is the source language, so new English entries are filled with
their own text; Spanish entries stay empty until a person translates them, and
`check` (and the test-suite) fail until they do.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from domain.i18n import DOMAIN, LOCALES_DIR, SUPPORTED_LANGUAGES

ROOT = LOCALES_DIR.parent
SOURCE_DIRS = ("domain", "storage", "services", "handlers", "bot")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_template() -> Catalog:
    """Every translatable string in the code, with where it appears."""
    template = Catalog(project="vigia", charset="utf-8")
    for directory in SOURCE_DIRS:
        results = extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
        )
        for filename, lineno, message, comments, context in results:
            location = (f"{directory}/{filename}", lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="vigia", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalog(language: str, catalog: Catalog) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    with path.open("wb") as handle:
        write_po(handle, catalog, width=99, sort_output=False, omit_header=False)


def extract() -> None:
    template = extract_template()
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=99, omit_header=True)
    for language in SUPPORTED_LANGUAGES:
        catalog = read_catalog(language)
        # Keep the header date: a re-extraction with no new strings must not touch the file.
        template.creation_date = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if language == "en":
            _fill_from_source(catalog)
        write_catalog(language, catalog)


def _fill_from_source(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            message.string = message.string or message.id
        elif not all(_as_tuple(message.string)):
            # English plurals have two forms, exactly the singular and plural ids.
            message.string = tuple(message.id)


def compile_all() -> None:
    """Compile both catalogs; each .mo is replaced atomically (tests may run in parallel)."""
    for language in SUPPORTED_LANGUAGES:
        catalog = read_catalog(language)
        target = po_path(language).with_suffix(".mo")
        scratch = target.with_suffix(f".mo.{os.getpid()}")
        with scratch.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(scratch, target)


def problems(template: Catalog | None = None) -> list[str]:
    """Missing, fuzzy or placeholder-mismatched entries in any catalog."""
    template = template or extract_template()
    found: list[str] = []
    for language in SUPPORTED_LANGUAGES:
        catalog = read_catalog(language)
        for source in template:
            if not source.id:
                continue
            entry = catalog.get(source.id, context=source.context)
            found.extend(_entry_problems(language, source, entry))
    return found


def _entry_problems(language: str, source: Message, entry: Message | None) -> list[str]:
    label = _first(_as_tuple(source.id))
    if entry is None:
        return [f"{language}: missing {label!r}"]
    if entry.fuzzy:
        return [f"{language}: fuzzy {label!r}"]
    originals = _as_tuple(source.id)
    strings = _as_tuple(entry.string)
    if not all(strings):
        return [f"{language}: untranslated {label!r}"]
    expected = set(PLACEHOLDER.findall(originals[-1]))
    issues = []
    for text in strings:
        if set(PLACEHOLDER.findall(text)) != expected:
            issues.append(f"{language}: placeholders differ in {label!r}")
    return issues


def _first(message_id: tuple[str, ...]) -> str:
    return message_id[0]


def _as_tuple(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_tools")
    parser.add_argument("action", choices=("extract", "compile", "check"))
    action = parser.parse_args(argv).action
    if action == "extract":
        extract()
    elif action == "compile":
        compile_all()
    found = problems() if action != "compile" else []
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
