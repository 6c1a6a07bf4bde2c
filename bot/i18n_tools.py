"""Catalog chores: `python -m bot.i18n_tools extract|compile|check`.

`extract` and `compile` are Babel's own commands (`pybabel extract -F babel.cfg -k N_`,
`pybabel update`, `pybabel compile`), so `babel.cfg` alone says which files hold
translatable strings. Two chores Babel has no option for stay here: English is the
source language, so new English entries are filled with their own text; and `check`
fails on a missing, untranslated, fuzzy or placeholder-mismatched entry (Spanish
entries stay empty until a person translates them, and the test-suite fails until
they do). These run from a source checkout: `babel.cfg` sits at its root.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

from domain.i18n import DOMAIN, SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
# The catalogs' sources, in the checkout (an installed wheel carries only the .mo files).
LOCALES_DIR = ROOT / "locales"
MAPPING = ROOT / "babel.cfg"
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
# Babel's default keywords (_, gettext, ngettext, ...) plus this one.
EXTRA_KEYWORDS = ("N_",)
COMMENT_TAG = "TRANSLATORS:"
WIDTH = "99"
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


class BabelFailed(RuntimeError):
    """A pybabel command reported an error (its own message went to stderr)."""


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str) -> None:
    """One pybabel command, in this process."""
    # Babel's command-line interface has no type hints.
    if CommandLineInterface().run(["pybabel", "--quiet", *args]):  # type: ignore[no-untyped-call]
        raise BabelFailed(" ".join(args[:1]))


def extract_to(output: Path) -> None:
    """`pybabel extract -F babel.cfg -k N_` over the source tree into `output`.

    Run from the checkout's root (a child process, so this process keeps its working
    directory), so locations read `handlers/x.py:12` on every machine."""
    keywords = [arg for keyword in EXTRA_KEYWORDS for arg in ("-k", keyword)]
    command = [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract"]
    command += ["-F", str(MAPPING), *keywords, "-c", COMMENT_TAG, "-w", WIDTH]
    command += ["--project", "vigia", "-o", str(output), "."]
    done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 - fixed arguments
    if done.returncode or not output.exists():
        raise BabelFailed("extract")
    _in_mapping_order(output)


def _in_mapping_order(template_path: Path) -> None:
    """Entries in the order of babel.cfg's sections (the layers, bottom up), not the
    alphabetical walk: a string added in one layer then moves no other entry."""
    with MAPPING.open() as config:
        sections = parse_mapping_cfg(config)[0]  # type: ignore[no-untyped-call]
    patterns = [str(pattern) for pattern, _method in sections]
    with template_path.open("rb") as handle:
        template = read_po(handle)

    def section(message: Message) -> int:
        """The first section whose files use the message."""
        found = [
            index
            for filename, _line in message.locations
            for index, pattern in enumerate(patterns)
            if pathmatch(pattern, filename)
        ]
        return min(found, default=len(patterns))

    ordered = Catalog(project="vigia", charset="utf-8")
    for message in sorted((m for m in template if m.id), key=section):
        ordered[message.id] = message
    with template_path.open("wb") as output:
        write_po(output, ordered, width=int(WIDTH))


def extract_template() -> Catalog:
    """Every translatable string in the files babel.cfg names, with where it appears."""
    with tempfile.TemporaryDirectory(prefix="vigia-i18n-") as scratch:
        template = Path(scratch) / f"{DOMAIN}.pot"
        extract_to(template)
        with template.open("rb") as handle:
            return read_po(handle)


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="vigia", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def extract() -> None:
    """Refresh the template, merge it into each catalog, fill English from the source."""
    extract_to(TEMPLATE)
    for language in SUPPORTED_LANGUAGES:
        if not po_path(language).exists():
            _pybabel("init", "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "-D", DOMAIN,
                     "-l", language, "-w", WIDTH)  # fmt: skip
    # A re-extraction with no new strings must not touch the files: keep their dates.
    _pybabel("update", "-i", str(TEMPLATE), "-d", str(LOCALES_DIR), "-D", DOMAIN, "-w", WIDTH,
             "--no-fuzzy-matching", "--ignore-obsolete", "--ignore-pot-creation-date")  # fmt: skip
    english = read_catalog("en")
    if _fill_from_source(english):
        with po_path("en").open("wb") as handle:
            write_po(handle, english, width=int(WIDTH))


def _fill_from_source(catalog: Catalog) -> bool:
    """English entries read as their own ids; True if any was empty."""
    filled = False
    for message in catalog:
        if not message.id or all(_as_tuple(message.string)):
            continue
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        filled = True
    return filled


def compile_all() -> None:
    """`pybabel compile` of each catalog; each .mo is replaced atomically (tests may
    compile while another process reads)."""
    for language in SUPPORTED_LANGUAGES:
        source = po_path(language)
        target = source.with_suffix(".mo")
        scratch = target.with_suffix(f".mo.{os.getpid()}")
        _pybabel("compile", "-i", str(source), "-o", str(scratch), "-l", language, "-D", DOMAIN)
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
    label = _as_tuple(source.id)[0]
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


def _as_tuple(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_tools")
    parser.add_argument("action", choices=("extract", "compile", "check"))
    action = parser.parse_args(argv).action
    try:
        if action == "extract":
            extract()
        elif action == "compile":
            compile_all()
    except BabelFailed as failed:
        print(f"pybabel {failed} failed", file=sys.stderr)
        return 1
    found = problems() if action != "compile" else []
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
