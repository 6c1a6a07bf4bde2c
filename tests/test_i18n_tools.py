"""The catalog chores: Babel's own extraction driven by babel.cfg, and `check`'s findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot import i18n_tools


def _locations(catalog: Catalog) -> set[str]:
    return {filename for message in catalog for filename, _line in message.locations}


def test_extraction_reads_only_the_files_babel_cfg_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _locations(i18n_tools.extract_template())
    assert {name.split("/")[0] for name in everything} == {
        "domain", "storage", "services", "handlers", "bot",
    }  # fmt: skip
    narrow = tmp_path / "babel.cfg"
    narrow.write_text("[python: domain/**.py]\n", encoding="utf-8")
    monkeypatch.setattr(i18n_tools, "MAPPING", narrow)
    only_domain = _locations(i18n_tools.extract_template())
    assert only_domain and all(name.startswith("domain/") for name in only_domain)


def test_n_underscore_marks_a_message() -> None:
    template = i18n_tools.extract_template()
    # domain/vocabulary.py marks its labels with N_ only.
    assert template.get("Travel ban") is not None


def test_entries_follow_the_sections_of_babel_cfg() -> None:
    template = [message for message in i18n_tools.extract_template() if message.id]
    first_layers = [message.locations[0][0].split("/")[0] for message in template]
    seen: list[str] = []
    for layer in first_layers:
        if not seen or seen[-1] != layer:
            seen.append(layer)
    # Bottom-up, as babel.cfg lists them; a message used in two layers sits in the lower.
    assert seen[0] == "domain"
    assert seen.index("storage") < seen.index("services")


def _source(text: str) -> Catalog:
    catalog = Catalog(locale="en")
    catalog.add(text, None, [("domain/x.py", 1)])
    return catalog


def _translated(text: str, translation: str, *, fuzzy: bool = False) -> Catalog:
    catalog = Catalog(locale="es")
    catalog.add(text, translation, flags=("fuzzy",) if fuzzy else ())
    return catalog


@pytest.mark.parametrize(
    ("translation", "fuzzy", "finding"),
    [
        (None, False, "missing"),
        ("", False, "untranslated"),
        ("Caso {tag}", True, "fuzzy"),
        ("Caso {etiqueta}", False, "placeholders differ in"),
    ],
)
def test_check_names_each_kind_of_problem(
    monkeypatch: pytest.MonkeyPatch, translation: str | None, fuzzy: bool, finding: str
) -> None:
    text = "Case {tag}"

    def catalog_for(language: str) -> Catalog:
        if language == "es" and translation is not None:
            return _translated(text, translation, fuzzy=fuzzy)
        return _translated(text, text) if language == "en" else Catalog(locale=language)

    monkeypatch.setattr(i18n_tools, "read_catalog", catalog_for)
    found = i18n_tools.problems(_source(text))
    assert found == [f"es: {finding} 'Case {{tag}}'"]


def test_a_complete_catalog_has_no_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        i18n_tools, "read_catalog", lambda language: _translated("Case {tag}", "Caso {tag}")
    )
    assert i18n_tools.problems(_source("Case {tag}")) == []
